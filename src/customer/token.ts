import { MINUTE, cacheKey } from '../botpress/caches'
import { describeError } from '../botpress/errors'
import { LiveChat } from '../botpress/livechat-client'
import { Log } from '../botpress/log'
import { TtlCache } from '../botpress/ttl-cache'
import { Client } from '../botpress/types'
import { isExpiredCustomerToken, isLiveChatApiError, isRedirectUriRefusal } from '../livechat'
import { CustomerIdentity, readCustomerIdentity, writeCustomerIdentity } from './state'
import * as bp from '.botpress'

/**
 * The end users' customer tokens this process holds. Another copy may renew one meanwhile; LiveChat then refuses ours
 * (401) and the entry is dropped before renewing. Never kept past the token's expiry. Holds secrets: memory only,
 * never logged.
 */
const customerCache = new TtlCache<CustomerIdentity>({ maxEntries: 5_000, ttlMs: 60 * MINUTE })

/** Renew ahead of expiry so that a token never dies between our check and LiveChat's (clock skew, slow calls). */
const RENEW_MARGIN_MS = 5 * 60 * 1000

/**
 * The cookie grant needs a redirect URI registered on the LiveChat app; the Botpress webhook URL is the one the
 * LiveChat admin adds (see hub.md).
 */
export const redirectUriOf = (ctx: bp.Context): string => `https://webhook.botpress.cloud/${ctx.webhookId}`

export const isFresh = (identity: Pick<CustomerIdentity, 'expiresAt'>, now: number): boolean =>
  Date.parse(identity.expiresAt) - now > RENEW_MARGIN_MS

type Props = {
  client: Client
  ctx: bp.Context
  lc: LiveChat
  log: Log
  botpressUserId: string
  /** The `customer` state as the caller just read it (startHitl reads it alongside the user): spares a read. */
  known?: { identity: CustomerIdentity | undefined }
  /** false: the caller writes the identity itself once it knows more (startHitl, with the chat id). */
  persist?: boolean
}

/** What issuing a token needs; the end user only names the log line (the availability customer has none). */
type IssueProps = Pick<Props, 'client' | 'ctx' | 'lc' | 'log'> & { botpressUserId?: string }

const identityKey = (ctx: bp.Context, botpressUserId: string) => cacheKey(ctx.botId, 'customer', botpressUserId)

/** The identity this process holds for the end user, while its token is fresh. */
export const cachedCustomerIdentity = (ctx: bp.Context, botpressUserId: string): CustomerIdentity | undefined => {
  const cached = customerCache.get(identityKey(ctx, botpressUserId))
  return cached && isFresh(cached, Date.now()) ? cached : undefined
}

/** Kept in process memory until the renewal margin, so that a warm process sends a message without a state read. */
export const rememberCustomerIdentity = (ctx: bp.Context, botpressUserId: string, identity: CustomerIdentity) => {
  const ttlMs = Date.parse(identity.expiresAt) - Date.now() - RENEW_MARGIN_MS
  customerCache.set(identityKey(ctx, botpressUserId), identity, Number.isNaN(ttlMs) ? 0 : ttlMs)
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
    const refusedForGood =
      isLiveChatApiError(thrown) && thrown.status >= 400 && thrown.status < 500 && thrown.status !== 429
    if (!cookies || !refusedForGood || isRedirectUriRefusal(thrown)) throw thrown
    log.warn('LiveChat refused the end user’s identity cookies; issuing a token for a new customer', {
      botpressUserId,
      ...describeError(thrown),
    })
    return issueWithDefaultRedirect(props, undefined)
  }
}

/**
 * The LiveChat customer that stands for this end user, with a usable access token.
 *
 * The identity cookies LiveChat's accounts server returns with each token are kept per end user and sent back on
 * renewal: that is what makes LiveChat hand back the SAME customer (same history for the agents) instead of a new
 * one every time. `force` renews even a token that looks fresh, after LiveChat refused it.
 */
export const ensureCustomerToken = async (
  props: Props & { force?: boolean; refusedToken?: string }
): Promise<CustomerIdentity> => {
  const { client, ctx, log, botpressUserId } = props
  // A forced renewal reads again: another instance may have renewed the token or changed the customer meanwhile.
  const stored = props.known && !props.force ? props.known.identity : await readCustomerIdentity(client, botpressUserId)
  if (stored && !props.force && isFresh(stored, Date.now())) {
    rememberCustomerIdentity(ctx, botpressUserId, stored)
    return stored
  }
  if (stored && props.refusedToken && stored.accessToken !== props.refusedToken && isFresh(stored, Date.now())) {
    // Another served copy renewed it after this one cached the old token: use theirs, LiveChat needs no new one.
    rememberCustomerIdentity(ctx, botpressUserId, stored)
    return stored
  }

  const issued = await issueToken(props, stored?.cookies)
  const sameCustomer = stored?.customerId === issued.customerId
  if (stored && !sameCustomer) {
    // The cookies expired (2 years idle) or were refused: the end user now has a fresh LiveChat customer.
    log.warn('LiveChat issued a new customer for this end user; earlier chats stay with the old one', {
      botpressUserId,
      livechatCustomerId: issued.customerId,
    })
  }
  const identity: CustomerIdentity = {
    customerId: issued.customerId,
    cookies: issued.cookies,
    accessToken: issued.accessToken,
    expiresAt: issued.expiresAt.toISOString(),
    activeChatId: sameCustomer ? stored?.activeChatId : undefined,
  }
  if (props.persist !== false) {
    await writeCustomerIdentity(client, botpressUserId, identity)
  }
  rememberCustomerIdentity(ctx, botpressUserId, identity)
  log.debug('Issued a LiveChat customer token', { botpressUserId, livechatCustomerId: identity.customerId })
  return identity
}

export type CustomerApi = ReturnType<LiveChat['customer']>

export type CustomerSession = {
  /** The identity in use; changes when a refused token was renewed. */
  identity: () => CustomerIdentity
  /** Runs one Customer Chat API call; when LiveChat refuses the token (expired early, clock skew), renews it once. */
  call: <T>(run: (customerApi: CustomerApi) => Promise<T>) => Promise<T>
}

/**
 * Without `known`, a token this process already holds is used as is: the hot path (a message to LiveChat) then reads
 * no state. A refusal drops it, so the renewal below reads the state again.
 */
export const openCustomerSession = async (props: Props): Promise<CustomerSession> => {
  const cached = props.known ? undefined : customerCache.get(identityKey(props.ctx, props.botpressUserId))
  let identity = cached && isFresh(cached, Date.now()) ? cached : await ensureCustomerToken(props)
  let renewal: Promise<CustomerIdentity> | undefined
  const renew = async (refusedToken: string): Promise<CustomerIdentity> => {
    // Calls run in parallel (start_chat with update_customer): renew once for all of them.
    if (identity.accessToken !== refusedToken) return identity
    customerCache.delete(identityKey(props.ctx, props.botpressUserId))
    renewal ??= ensureCustomerToken({ ...props, force: true, refusedToken }).then((renewed) => {
      identity = renewed
      return renewed
    })
    return renewal
  }
  return {
    identity: () => identity,
    call: async (run) => {
      const used = identity
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

type SessionProps = Pick<Props, 'client' | 'ctx' | 'lc' | 'log' | 'botpressUserId'>

/** The end user's customer identity as this process (fresh token) or the user's state knows it; no LiveChat call. */
export const readKnownCustomerIdentity = async ({
  client,
  ctx,
  botpressUserId,
}: SessionProps): Promise<CustomerIdentity | undefined> =>
  cachedCustomerIdentity(ctx, botpressUserId) ?? (await readCustomerIdentity(client, botpressUserId))

/**
 * A session on the identity the caller just read: a token renewed on the way is not written here, because the caller
 * writes the identity once, with what else it learns (createUser: nothing; startHitl: the chat id).
 */
export const openCustomerSessionOn = (props: SessionProps, identity: CustomerIdentity | undefined) =>
  openCustomerSession({ ...props, known: { identity }, persist: false })
