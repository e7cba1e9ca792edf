import { MINUTE, cacheKey } from '../botpress/caches'
import { describeError } from '../botpress/errors'
import { LiveChat } from '../botpress/livechat-client'
import { Log } from '../botpress/log'
import { TtlCache } from '../botpress/ttl-cache'
import { Client } from '../botpress/types'
import { isExpiredCustomerToken, isRedirectUriRefusal, isRefusedForGood } from '../livechat'
import { Customer, readCustomer, writeCustomer } from './state'
import * as bp from '.botpress'

/**
 * The end users' customer tokens this process holds. Another copy may renew one meanwhile; LiveChat then refuses ours
 * (401) and the entry is dropped before renewing. Never kept past the token's expiry. Holds secrets: memory only,
 * never logged.
 */
const customerCache = new TtlCache<Customer>({ maxEntries: 5_000, ttlMs: 60 * MINUTE })

/** Renew ahead of expiry so that a token never dies between our check and LiveChat's (clock skew, slow calls). */
const RENEW_MARGIN_MS = 5 * 60 * 1000

/**
 * The cookie grant needs a redirect URI registered on the LiveChat app; the Botpress webhook URL is the one the
 * LiveChat admin adds (see hub.md).
 */
export const redirectUriOf = (ctx: bp.Context): string => `https://webhook.botpress.cloud/${ctx.webhookId}`

export const isFresh = (identity: Pick<Customer, 'expiresAt'>, now: number): boolean =>
  Date.parse(identity.expiresAt) - now > RENEW_MARGIN_MS

type Props = { client: Client; ctx: bp.Context; lc: LiveChat; log: Log; botpressUserId: string }

/** What issuing a token needs; the end user only names the log line (the availability customer has none). */
type IssueProps = Pick<Props, 'client' | 'ctx' | 'lc' | 'log'> & { botpressUserId?: string }

const customerKey = (ctx: bp.Context, botpressUserId: string) => cacheKey(ctx.botId, 'customer', botpressUserId)

/** The identity this process holds for the end user, while its token is fresh. */
export const cachedCustomer = (ctx: bp.Context, botpressUserId: string): Customer | undefined => {
  const cached = customerCache.get(customerKey(ctx, botpressUserId))
  return cached && isFresh(cached, Date.now()) ? cached : undefined
}

/** Kept in process memory until the renewal margin, so that a warm process sends a message without a state read. */
export const rememberCustomer = (ctx: bp.Context, botpressUserId: string, identity: Customer) => {
  const ttlMs = Date.parse(identity.expiresAt) - Date.now() - RENEW_MARGIN_MS
  customerCache.set(customerKey(ctx, botpressUserId), identity, Number.isNaN(ttlMs) ? 0 : ttlMs)
}

/** The cookie grant with the redirect URI hub.md asks admins to whitelist. */
const issueWithDefaultRedirect = ({ ctx, lc }: IssueProps, cookies: string | undefined) =>
  lc.accounts.issueCustomerToken({ cookies, redirectUri: redirectUriOf(ctx) })

/**
 * A token for the customer of `cookies`. Should the accounts server refuse those cookies for good (a 4xx such as an
 * `identity_exception`: the identity was lost or revoked), the end user gets a new customer rather than no HITL ever
 * again; a refusal that is not about the cookies (clientId, organizationId, redirect URI) fails the same way again.
 */
export const issueToken = async (props: IssueProps, cookies: string | undefined) => {
  const { log, botpressUserId } = props
  try {
    return await issueWithDefaultRedirect(props, cookies)
  } catch (thrown) {
    if (!cookies || !isRefusedForGood(thrown) || isRedirectUriRefusal(thrown)) throw thrown
    log.warn('LiveChat refused the end user’s identity cookies; issuing a token for a new customer', {
      botpressUserId,
      ...describeError(thrown),
    })
    return issueWithDefaultRedirect(props, undefined)
  }
}

/**
 * A new token on the stored customer's identity cookies: that is what makes LiveChat's accounts server hand back the
 * SAME customer (same history for the agents) instead of a new one every time. `write: false` leaves the state to
 * the caller, who writes it once with what else it learns (startHitl: the chat id).
 */
const issueCustomer = async (props: Props, stored: Customer | undefined, write: boolean): Promise<Customer> => {
  const { client, ctx, log, botpressUserId } = props
  const issued = await issueToken(props, stored?.cookies)
  const sameCustomer = stored?.customerId === issued.customerId
  if (stored && !sameCustomer) {
    // The cookies expired (2 years idle) or were refused: the end user now has a fresh LiveChat customer.
    log.warn('LiveChat issued a new customer for this end user; earlier chats stay with the old one', {
      botpressUserId,
      livechatCustomerId: issued.customerId,
    })
  }
  const customer: Customer = {
    customerId: issued.customerId,
    cookies: issued.cookies,
    accessToken: issued.accessToken,
    expiresAt: issued.expiresAt.toISOString(),
    activeChatId: sameCustomer ? stored?.activeChatId : undefined,
  }
  if (write) await writeCustomer(client, botpressUserId, customer)
  rememberCustomer(ctx, botpressUserId, customer)
  log.debug('Issued a LiveChat customer token', { botpressUserId, livechatCustomerId: customer.customerId })
  return customer
}

/** The stored customer while its token is fresh, else the same customer with a new token. */
const freshCustomer = async (props: Props, stored: Customer | undefined, write: boolean): Promise<Customer> => {
  if (!stored || !isFresh(stored, Date.now())) return issueCustomer(props, stored, write)
  rememberCustomer(props.ctx, props.botpressUserId, stored)
  return stored
}

/**
 * After LiveChat refused `refusedToken`: the state is read again, since another copy may have renewed the token (then
 * theirs is used, LiveChat needs no new one) or changed the customer meanwhile; else a new token.
 */
const renewCustomer = async (props: Props, refusedToken: string, write: boolean): Promise<Customer> => {
  const stored = await readCustomer(props.client, props.botpressUserId)
  if (stored && stored.accessToken !== refusedToken) return freshCustomer(props, stored, write)
  return issueCustomer(props, stored, write)
}

export type CustomerApi = ReturnType<LiveChat['customer']>

export type CustomerClient = {
  /** The customer in use; changes when a refused token was renewed. */
  current: () => Customer
  /** Runs one Customer Chat API call; when LiveChat refuses the token (expired early, clock skew), renews it once. */
  call: <T>(run: (customerApi: CustomerApi) => Promise<T>) => Promise<T>
}

const customerClient = (props: Props, first: Customer, write: boolean): CustomerClient => {
  let customer = first
  let renewal: Promise<Customer> | undefined
  const renew = async (refusedToken: string): Promise<Customer> => {
    // Calls run in parallel (start_chat with update_customer): renew once for all of them.
    if (customer.accessToken !== refusedToken) return customer
    customerCache.delete(customerKey(props.ctx, props.botpressUserId))
    renewal ??= renewCustomer(props, refusedToken, write).then((renewed) => {
      customer = renewed
      return renewed
    })
    return renewal
  }
  return {
    current: () => customer,
    call: async (run) => {
      const used = customer
      try {
        return await run(props.lc.customer(used.accessToken))
      } catch (thrown) {
        if (!isExpiredCustomerToken(thrown)) throw thrown
        props.log.debug('LiveChat refused the customer token; renewing it once', {
          botpressUserId: props.botpressUserId,
        })
        const renewed = await renew(used.accessToken)
        return run(props.lc.customer(renewed.accessToken))
      }
    },
  }
}

/**
 * The end user's LiveChat customer, ready to call. A token this process already holds is used as is: the hot path (a
 * message to LiveChat) then reads no state. Tokens issued on the way are written to the end user's state.
 */
export const getCustomerClient = async (props: Props): Promise<CustomerClient> => {
  const first =
    cachedCustomer(props.ctx, props.botpressUserId) ??
    (await freshCustomer(props, await readCustomer(props.client, props.botpressUserId), true))
  return customerClient(props, first, true)
}

/**
 * The same, on the customer the caller just read (readKnownCustomer): a token issued on the way is not written here,
 * because the caller writes the customer once, with what else it learns (createUser: nothing; startHitl: the chat id).
 */
export const getCustomerClientOn = async (props: Props, stored: Customer | undefined): Promise<CustomerClient> =>
  customerClient(props, await freshCustomer(props, stored, false), false)

/** The end user's customer as this process (fresh token) or the user's state knows it; no LiveChat call. */
export const readKnownCustomer = async ({ client, ctx, botpressUserId }: Props): Promise<Customer | undefined> =>
  cachedCustomer(ctx, botpressUserId) ?? (await readCustomer(client, botpressUserId))
