import { createUser } from './create-user'
import { getAvailability } from './get-availability'
import { rateSession } from './rate-session'
import { startHitl } from './start-hitl'
import { stopHitl } from './stop-hitl'
import * as bp from '.botpress'

export const actions = {
  createUser,
  startHitl,
  stopHitl,
  getAvailability,
  rateSession,
} satisfies bp.IntegrationProps['actions']
