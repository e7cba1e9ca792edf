import { RuntimeError } from '@botpress/sdk'
import * as bp from '.botpress'

// Skeleton: the HITL round trip lands with issue 3.
const notYet = async (): Promise<never> => {
  throw new RuntimeError('Not implemented yet')
}

export default new bp.Integration({
  register: async () => {},
  unregister: async () => {},
  actions: { createUser: notYet, startHitl: notYet, stopHitl: notYet },
  channels: {
    hitl: {
      messages: {
        text: notYet,
        markdown: notYet,
        image: notYet,
        audio: notYet,
        video: notYet,
        file: notYet,
        location: notYet,
        carousel: notYet,
        card: notYet,
        dropdown: notYet,
        choice: notYet,
        bloc: notYet,
      },
    },
  },
  handler: async () => ({ status: 200 }),
})
