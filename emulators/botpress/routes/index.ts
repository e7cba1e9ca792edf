import { Route, route } from '../router'
import { conversationRoutes } from './conversations'
import { eventRoutes } from './events'
import { fileRoutes } from './files'
import { messageRoutes } from './messages'
import { stateRoutes } from './states'
import { userRoutes } from './users'

export const routes: Route[] = [
  ...userRoutes,
  ...conversationRoutes,
  ...messageRoutes,
  ...stateRoutes,
  ...eventRoutes,
  ...fileRoutes,
  // Newer integrations call it at register time; there is nothing to configure here.
  route('POST', '/v1/chat/integrations/configure', () => ({})),
]
