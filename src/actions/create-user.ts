import { describeError, toRuntimeError } from '../botpress/errors'
import { createLiveChat } from '../botpress/livechat-client'
import { createLog } from '../botpress/log'
import { refreshUserProfile } from '../botpress/user-profile'
import { realEmailOf } from '../customer/placeholder-email'
import { prepareCustomer } from '../customer/prepare'
import * as bp from '.botpress'

/**
 * The Botpress user of the end customer, and their LiveChat customer prepared (token, profile) so that startHitl only
 * opens the chat; should LiveChat fail now, startHitl prepares it and reports what fails then.
 * - A real email is the identity: the same person is the same user, hence the same LiveChat customer, across sessions.
 * - No email, or the HITL plugin's placeholder: a new user; a placeholder must never merge users nor reach an agent.
 */
export const createUser: bp.IntegrationProps['actions']['createUser'] = async ({ ctx, client, input, logger }) => {
  const log = createLog(logger)
  const email = realEmailOf(input.email)
  const name = input.name.trim() || undefined
  const pictureUrl = input.pictureUrl?.trim() || undefined

  const user = await (async () => {
    if (!email) {
      const { user: created } = await client.createUser({ tags: {}, name, pictureUrl })
      log.info('Created a HITL end user without email', { botpressUserId: created.id })
      return { user: created, isNew: true }
    }
    const { user: found } = await client.getOrCreateUser({ tags: { email }, name, pictureUrl })
    log.info('Found or created the HITL end user for an email', { botpressUserId: found.id })
    return { user: await refreshUserProfile(client, found, { name, pictureUrl }), isNew: false }
  })().catch((thrown: unknown) => {
    throw toRuntimeError(thrown, 'Could not create the HITL end user')
  })

  const { lc } = createLiveChat(ctx, log)
  await prepareCustomer({
    client,
    ctx,
    lc,
    log,
    user: user.user,
    // A user created just now has no customer yet: nothing to read.
    ...(user.isNew && { known: { customer: undefined } }),
  }).catch((thrown: unknown) => {
    log.warn('Could not prepare the LiveChat customer yet; startHitl will', {
      botpressUserId: user.user.id,
      ...describeError(thrown),
    })
  })
  return { userId: user.user.id }
}
