import { refreshUserProfile } from '../botpress/user-profile'
import { toRuntimeError } from '../misc/errors'
import { createLog } from '../misc/log'
import { realEmailOf } from '../misc/placeholder-email'
import * as bp from '.botpress'

type CreateUser = bp.IntegrationProps['actions']['createUser']

/**
 * The Botpress user that stands for the end customer in the `hitl` conversation.
 *
 * - A real email is the identity: `getOrCreateUser` by the `email` tag alone, so the same person is the same user (and,
 *   through the user's `customer` state, the same LiveChat customer) across sessions; name and picture follow the
 *   latest call.
 * - No email, or the HITL plugin's `…@no-reply.<botId>.botpress.com` placeholder: a new, distinct user. Merging on a
 *   placeholder would merge nobody useful, and it must never reach an agent as if it were an address.
 *
 * LiveChat is not called here: the customer is created lazily by `startHitl`, which needs its token anyway.
 */
export const createUser: CreateUser = async ({ client, input, logger }) => {
  const log = createLog(logger)
  const email = realEmailOf(input.email)
  const name = input.name.trim() || undefined
  const pictureUrl = input.pictureUrl?.trim() || undefined

  try {
    if (!email) {
      const { user } = await client.createUser({ tags: {}, name, pictureUrl })
      log.info('Created a HITL end user without email', { botpressUserId: user.id })
      return { userId: user.id }
    }

    const { user } = await client.getOrCreateUser({ tags: { email }, name, pictureUrl })
    await refreshUserProfile(client, user, { name, pictureUrl })
    log.info('Found or created the HITL end user for an email', { botpressUserId: user.id })
    return { userId: user.id }
  } catch (thrown) {
    throw toRuntimeError(thrown, 'Could not create the HITL end user')
  }
}
