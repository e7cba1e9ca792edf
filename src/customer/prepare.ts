import { describeError } from '../botpress/errors'
import { Clients } from '../botpress/livechat-client'
import { User } from '../botpress/types'
import { SessionFields } from '../livechat'
import { realEmailOf } from './placeholder-email'
import { Customer } from './state'
import { getCustomerClientOn, readKnownCustomer } from './token'

/** It also marks a chat as this bot's (src/webhook/find-session.ts). */
export const BOT_ID_FIELD = 'botpress_bot_id'
/** The session fields every customer of this integration carries: how an agent or admin finds the Botpress side. */
export const integrationSessionFields = (botpressUserId: string, botId: string): SessionFields => [
  { botpress_user_id: botpressUserId },
  { [BOT_ID_FIELD]: botId },
]
export const INTEGRATION_FIELD_KEYS = ['botpress_user_id', BOT_ID_FIELD]

/** LiveChat validates avatars as URLs; a Botpress picture can be anything. */
const httpUrlOrUndefined = (url: string | undefined): string | undefined =>
  url && /^https?:\/\/\S+$/i.test(url) ? url : undefined

type Props = Clients & {
  user: User
  /** What the caller already knows of the end user's `customer` state; without it, it is read. */
  known?: { customer: Customer | undefined }
}

/**
 * Makes the end user's LiveChat customer ready before anyone asks for a human, so that startHitl only opens the chat:
 * a token for the same customer as before (the identity cookies of the user's `customer` state) and the profile agents
 * see (name, a real email, avatar, the Botpress ids as session fields). A refused profile is a warning.
 */
export const prepareCustomer = async (props: Props): Promise<Customer> => {
  const { ctx, log, user } = props
  const botpressUserId = user.id
  const stored = props.known ? props.known.customer : await readKnownCustomer({ ...props, botpressUserId })
  const customer = await getCustomerClientOn({ ...props, botpressUserId }, stored)
  const email = realEmailOf(user.tags.email)
  const avatar = httpUrlOrUndefined(user.pictureUrl)
  const profile = customer
    .call((api) =>
      api.updateCustomer({
        ...(user.name && { name: user.name }),
        ...(email && { email }),
        ...(avatar && { avatar }),
        session_fields: integrationSessionFields(botpressUserId, ctx.botId),
      })
    )
    .then(
      () => undefined,
      (thrown: unknown) =>
        log.warn('Could not show the end user’s name and email to the LiveChat agent', {
          botpressUserId,
          ...describeError(thrown),
        })
    )
  await Promise.all([profile, customer.save()])
  // LiveChat refused the token during the profile update and it was renewed: keep the renewed one.
  await customer.save()
  return customer.current()
}
