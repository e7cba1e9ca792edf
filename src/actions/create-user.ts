import { describeError, toRuntimeError } from '../botpress/errors'
import { createLiveChat } from '../botpress/livechat-client'
import { createLog } from '../botpress/log'
import { refreshUserProfile } from '../botpress/user-profile'
import { realEmailOf } from '../customer/placeholder-email'
import { prepareCustomer } from '../customer/prepare'
import * as bp from '.botpress'

type CreateUser = bp.IntegrationProps['actions']['createUser']

/**
 * The Botpress user that stands for the end customer in the `hitl` conversation, and their LiveChat customer.
 *
 * - A real email is the identity: `getOrCreateUser` by the `email` tag alone, so the same person is the same user (and,
 *   through the user's `customer` state, the same LiveChat customer) across sessions; name and picture follow the
 *   latest call.
 * - No email, or the HITL plugin's `…@no-reply.<botId>.botpress.com` placeholder: a new, distinct user. Merging on a
 *   placeholder would merge nobody useful, and it must never reach an agent as if it were an address.
 *
 * The LiveChat customer is prepared here (token, profile), so that startHitl only has to open the chat. Should
 * LiveChat fail now, the user is still returned: startHitl prepares the customer itself and reports what fails then.
 */
export const createUser: CreateUser = async ({ ctx, client, input, logger }) => {
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
