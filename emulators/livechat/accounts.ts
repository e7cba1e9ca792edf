import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import { customerFromToken } from './auth'
import { LiveChatError, OAuthError } from './errors'
import type { Store } from './store'

// Customer accounts: src/pages/authorization/customer-authorization/index.mdx and the Customer Accounts API spec
// (src/configs/redoc/customer-accounts-api/specv2.yml). Only the cookie grant is emulated.

const DEFAULT_EXPIRES_IN = 28800
const COOKIE_MAX_AGE = 63072000

const tokenRequest = z.object({
  grant_type: z.string(),
  client_id: z.string().optional(),
  organization_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  response_type: z.string().optional(),
  expires_in: z.coerce.number().int().positive().optional(),
})

export type TokenResult = { status: number; body: unknown; headers: Record<string, string | string[]> }

const cookies = (req: IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim())
  }
  return out
}

/** Redirect URI rules: same scheme and host, configured path a prefix of the requested one (OAuth docs). */
const redirectAllowed = (configured: string[], requested: string): boolean => {
  if (configured.length === 0) return true
  try {
    const r = new URL(requested)
    return configured.some((c) => {
      const u = new URL(c)
      return u.protocol === r.protocol && u.host === r.host && r.pathname.startsWith(u.pathname)
    })
  } catch {
    return false
  }
}

export const issueCustomerToken = (req: IncomingMessage, rawBody: unknown, store: Store): TokenResult => {
  const parsed = tokenRequest.safeParse(rawBody)
  if (!parsed.success) throw new OAuthError('invalid_request', 'The request is missing a required parameter.')
  const body = parsed.data
  if (body.grant_type !== 'cookie') {
    throw new OAuthError('unsupported_grant_type', 'Only the cookie grant is emulated.')
  }
  if (!body.client_id) throw new OAuthError('invalid_request', 'Missing client_id.')
  if (body.client_id !== store.seed.clientId) throw new OAuthError('invalid_client', 'Unknown client_id.')
  if (!body.organization_id) throw new OAuthError('invalid_request', 'Missing organization_id.')
  if (body.organization_id !== store.seed.organizationId)
    throw new OAuthError('invalid_request', 'Unknown organization_id.')
  // redirect_uri defaults to the Origin header; a server-side caller must send one of them.
  const origin = req.headers.origin
  const redirectUri = body.redirect_uri ?? (Array.isArray(origin) ? origin[0] : origin)
  if (!redirectUri) throw new OAuthError('invalid_request', 'Missing redirect_uri (or Origin header).')
  if (!redirectAllowed(store.seed.redirectUris, redirectUri)) {
    throw new OAuthError('invalid_request', 'redirect_uri does not match the application configuration.')
  }
  // The identity lives in the __lc_cid / __lc_cst cookies; sent back, they renew the token of the same customer.
  const jar = cookies(req)
  const known = jar.__lc_cid ? store.customers.get(jar.__lc_cid) : undefined
  const customer = known && known.cookieSecret === jar.__lc_cst ? known : store.createCustomer()
  const expiresIn = body.expires_in ?? DEFAULT_EXPIRES_IN
  const token = store.issueCustomerToken(customer.id, expiresIn)
  // Real cookies carry Domain=accounts.livechat.com and Secure; both are left out so plain-http loopback clients keep them.
  const attrs = `Path=/v2/customer; Max-Age=${COOKIE_MAX_AGE}; HttpOnly; SameSite=None`
  return {
    status: 200,
    headers: { 'set-cookie': [`__lc_cid=${customer.id}; ${attrs}`, `__lc_cst=${customer.cookieSecret}; ${attrs}`] },
    body: {
      access_token: token,
      entity_id: customer.id,
      expires_in: expiresIn,
      token_type: 'Bearer',
      organization_id: store.seed.organizationId,
    },
  }
}

export const customerInfo = (req: IncomingMessage, store: Store): unknown => {
  const auth = req.headers.authorization ?? ''
  const token = auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : ''
  try {
    const { actor } = customerFromToken(token, store)
    const entry = store.customerTokens.get(token)
    return {
      access_token: token,
      client_id: actor.clientId,
      entity_id: actor.customerId,
      expires_in: Math.max(0, Math.floor(((entry?.expiresAtMs ?? 0) - store.clock.now()) / 1000)),
      organization_id: store.seed.organizationId,
      token_type: 'Bearer',
    }
  } catch (err) {
    if (err instanceof LiveChatError) throw new OAuthError('invalid_token', err.message)
    throw err
  }
}
