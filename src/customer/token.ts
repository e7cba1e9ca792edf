import { MINUTE, cacheKey } from '../botpress/caches'
import { describeError } from '../botpress/errors'
import { Clients, LiveChat } from '../botpress/livechat-client'
import { TtlCache } from '../botpress/ttl-cache'
import { isExpiredCustomerToken, isRedirectUriRefusal, isRefusedForGood } from '../livechat'
import { Customer, readCustomer, writeChangedCustomer, writeCustomer } from './state'
import * as bp from '.botpress'

/**
 * The customers this process holds, never past their token's expiry. Another copy may renew a token meanwhile;
 * LiveChat then refuses ours and the entry is dropped. Holds secrets: memory only, never logged.
 */
const customerCache = new TtlCache<Customer>({ maxEntries: 5_000, ttlMs: 60 * MINUTE })

/** Renew ahead of expiry so that a token never dies between our check and LiveChat's (clock skew, slow calls). */
const RENEW_MARGIN_MS = 5 * MINUTE

/** The cookie grant's redirect URI: the Botpress webhook URL, which the LiveChat admin registers (see hub.md). */
export const redirectUriOf = (ctx: bp.Context): string => `https://webhook.botpress.cloud/${ctx.webhookId}`

export const isFresh = (identity: Pick<Customer, 'expiresAt'>): boolean =>
  Date.parse(identity.expiresAt) - Date.now() > RENEW_MARGIN_MS

type Props = Clients & { botpressUserId: string }

const customerKey = (ctx: bp.Context, id: string) => cacheKey(ctx.botId, 'customer', id)

/** The customer this process holds under `id` (an end user's id), while its token is fresh. */
export const cachedCustomer = (ctx: bp.Context, id: string): Customer | undefined => {
  const cached = customerCache.get(customerKey(ctx, id))
  return cached && isFresh(cached) ? cached : undefined
}

/** Kept until the renewal margin, so that a warm process sends a message without a state read. */
export const rememberCustomer = (ctx: bp.Context, id: string, identity: Customer) => {
  const ttlMs = Date.parse(identity.expiresAt) - Date.now() - RENEW_MARGIN_MS
  customerCache.set(customerKey(ctx, id), identity, Number.isNaN(ttlMs) ? 0 : ttlMs)
}

/**
 * A token for the customer of `cookies` (the same customer, same history for the agents). Should LiveChat refuse the
 * cookies for good (identity lost or revoked), the end user gets a new customer rather than no HITL ever again; a
 * refusal not about the cookies (clientId, organizationId, redirect URI) fails the same way again.
 */
export const issueToken = async (
  { ctx, lc, log, botpressUserId }: Pick<Props, 'ctx' | 'lc' | 'log'> & { botpressUserId?: string },
  cookies: string | undefined
): Promise<Omit<Customer, 'activeChatId'>> => {
  const issue = async (cookies: string | undefined) => {
    const issued = await lc.accounts.issueCustomerToken({ cookies, redirectUri: redirectUriOf(ctx) })
    const { customerId, accessToken, expiresAt } = issued
    return { customerId, cookies: issued.cookies, accessToken, expiresAt: expiresAt.toISOString() }
  }
  try {
    return await issue(cookies)
  } catch (thrown) {
    if (!cookies || !isRefusedForGood(thrown) || isRedirectUriRefusal(thrown)) throw thrown
    log.warn('LiveChat refused the end user’s identity cookies; issuing a token for a new customer', {
      botpressUserId,
      ...describeError(thrown),
    })
    return issue(undefined)
  }
}

/** A new token on the stored customer's cookies; `write: false` leaves writing the state to the caller. */
const issueCustomer = async (props: Props, stored: Customer | undefined, write: boolean): Promise<Customer> => {
  const { client, ctx, log, botpressUserId } = props
  const issued = await issueToken(props, stored?.cookies)
  const sameCustomer = stored?.customerId === issued.customerId
  if (stored && !sameCustomer) {
    // The cookies expired (2 years idle) or were refused.
    log.warn('LiveChat issued a new customer for this end user; earlier chats stay with the old one', {
      botpressUserId,
      livechatCustomerId: issued.customerId,
    })
  }
  const customer: Customer = { ...issued, activeChatId: sameCustomer ? stored?.activeChatId : undefined }
  if (write) await writeCustomer(client, botpressUserId, customer)
  rememberCustomer(ctx, botpressUserId, customer)
  log.debug('Issued a LiveChat customer token', { botpressUserId, livechatCustomerId: customer.customerId })
  return customer
}

/** The stored customer while its token is fresh, else the same customer with a new token. */
const freshCustomer = async (props: Props, stored: Customer | undefined, write: boolean): Promise<Customer> => {
  if (!stored || !isFresh(stored)) return issueCustomer(props, stored, write)
  rememberCustomer(props.ctx, props.botpressUserId, stored)
  return stored
}

/** After LiveChat refused `refusedToken`: another copy may have renewed it or changed the customer; else a new one. */
const renewCustomer = async (props: Props, refusedToken: string, write: boolean): Promise<Customer> => {
  const stored = await readCustomer(props.client, props.botpressUserId)
  if (stored && stored.accessToken !== refusedToken) return freshCustomer(props, stored, write)
  return issueCustomer(props, stored, write)
}

export type CustomerApi = ReturnType<LiveChat['customer']>

/** `call` runs one Customer Chat API call; when LiveChat refuses the token (expired early, clock skew), renews once. */
export type CustomerClient<C extends { accessToken: string } = Customer> = {
  current: () => C
  call: <T>(run: (customerApi: CustomerApi) => Promise<T>) => Promise<T>
}

/** Calls as `first`, renewed with `renew` once for all the calls LiveChat refused its token to (they run in parallel). */
export const renewingClient = <C extends { accessToken: string }>(
  lc: LiveChat,
  first: C,
  renew: (refusedToken: string) => Promise<C>
): CustomerClient<C> => {
  let customer = first
  let renewal: Promise<C> | undefined
  const renewed = (refusedToken: string): Promise<C> => {
    if (customer.accessToken !== refusedToken) return Promise.resolve(customer)
    renewal ??= renew(refusedToken).then((next) => {
      customer = next
      return next
    })
    return renewal
  }
  return {
    current: () => customer,
    call: async (run) => {
      const used = customer
      try {
        return await run(lc.customer(used.accessToken))
      } catch (thrown) {
        if (!isExpiredCustomerToken(thrown)) throw thrown
        return run(lc.customer((await renewed(used.accessToken)).accessToken))
      }
    },
  }
}

const customerClient = (props: Props, first: Customer, write: boolean): CustomerClient =>
  renewingClient(props.lc, first, (refusedToken) => {
    props.log.debug('LiveChat refused the customer token; renewing it once', { botpressUserId: props.botpressUserId })
    customerCache.delete(customerKey(props.ctx, props.botpressUserId))
    return renewCustomer(props, refusedToken, write)
  })

/** The end user's customer, ready to call: no state read when this process holds a fresh token (a bot message). */
export const getCustomerClient = async (props: Props): Promise<CustomerClient> => {
  const first =
    cachedCustomer(props.ctx, props.botpressUserId) ??
    (await freshCustomer(props, await readCustomer(props.client, props.botpressUserId), true))
  return customerClient(props, first, true)
}

/**
 * The same, on the customer the caller just read (readKnownCustomer). Tokens issued on the way are written by `save`,
 * once, with what else the caller learns (startHitl: the chat id); `save` writes only what changed since last written.
 */
export const getCustomerClientOn = async (props: Props, stored: Customer | undefined) => {
  const customer = customerClient(props, await freshCustomer(props, stored, false), false)
  let written = stored
  const save = async (activeChatId?: string) => {
    const identity = { ...customer.current(), ...(activeChatId && { activeChatId }) }
    await writeChangedCustomer(props.client, props.botpressUserId, written, identity)
    written = identity
  }
  return { ...customer, save }
}

/** The end user's customer as this process (fresh token) or the user's state knows it; no LiveChat call. */
export const readKnownCustomer = async ({ client, ctx, botpressUserId }: Props): Promise<Customer | undefined> =>
  cachedCustomer(ctx, botpressUserId) ?? (await readCustomer(client, botpressUserId))
