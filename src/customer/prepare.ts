import { describeError } from '../botpress/errors'
import { LiveChat } from '../botpress/livechat-client'
import { Log } from '../botpress/log'
import { Client, User } from '../botpress/types'
import { realEmailOf } from './placeholder-email'
import { Customer, writeCustomer } from './state'
import { getCustomerClientOn, readKnownCustomer } from './token'
import * as bp from '.botpress'

/** The session fields every customer of this integration carries: how an agent or admin finds the Botpress side. */
export const integrationSessionFields = (botpressUserId: string, botId: string): Record<string, string>[] => [
  { botpress_user_id: botpressUserId },
  { botpress_bot_id: botId },
]
export const INTEGRATION_FIELD_KEYS = ['botpress_user_id', 'botpress_bot_id']

/** LiveChat validates avatars as URLs; a Botpress picture can be anything. */
const httpUrlOrUndefined = (url: string | undefined): string | undefined =>
  url && /^https?:\/\/\S+$/i.test(url) ? url : undefined

export const isSameCustomer = (a: Customer | undefined, b: Customer): boolean =>
  a !== undefined &&
  a.customerId === b.customerId &&
  a.cookies === b.cookies &&
  a.accessToken === b.accessToken &&
  a.expiresAt === b.expiresAt &&
  a.activeChatId === b.activeChatId

type Props = {
  client: Client
  ctx: bp.Context
  lc: LiveChat
  log: Log
  user: User
  /** What the caller already knows of the end user's `customer` state; without it, it is read. */
  known?: { customer: Customer | undefined }
}

/**
 * Makes the end user's LiveChat customer ready before anyone asks for a human, the way HITL integrations create the
 * remote user in `createUser`: a customer token (the same customer as before, thanks to the identity cookies kept in
 * the user's `customer` state) and the profile agents see (name, real email never the plugin's placeholder, avatar,
 * and the Botpress ids as session fields, listed in the Agent App's customer details). startHitl then only opens the
 * chat, which keeps the hand-over itself short.
 *
 * A profile LiveChat refuses only costs the agent the name: a warning. The identity is written when it changed.
 */
export const prepareCustomer = async (props: Props): Promise<Customer> => {
  const { client, ctx, lc, log, user } = props
  const botpressUserId = user.id
  const stored = props.known ? props.known.customer : await readKnownCustomer({ ...props, botpressUserId })
  const customer = await getCustomerClientOn({ client, ctx, lc, log, botpressUserId }, stored)
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
  const identity = customer.current()
  await Promise.all([
    profile,
    isSameCustomer(stored, identity) ? undefined : writeCustomer(client, botpressUserId, identity),
  ])
  // LiveChat refused the token during the profile update and it was renewed: keep the renewed one.
  const current = customer.current()
  if (current !== identity) await writeCustomer(client, botpressUserId, current)
  return current
}
