import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Actor } from './chat-ops'
import { fail } from './errors'
import type { Store } from './store'

// Credentials: src/pages/authorization/personal-access-tokens/index.mdx (Basic base64(account_id:PAT), PATs never
// as Bearer, never on the Customer Chat API) and customer-authorization (Bearer customer token, Customer API only).

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const credentials = (req: IncomingMessage): { scheme: string; value: string } => {
  const auth = header(req, 'authorization')
  if (!auth) return fail('authentication', 'No `Authorization` header')
  const space = auth.indexOf(' ')
  if (space < 0) return fail('authentication', 'Invalid access token')
  return { scheme: auth.slice(0, space).toLowerCase(), value: auth.slice(space + 1).trim() }
}

export type AgentPrincipal = { actor: Actor & { kind: 'agent' }; scopes: string[]; region: string }

export const authenticateAgent = (req: IncomingMessage, store: Store): AgentPrincipal => {
  const { scheme, value } = credentials(req)
  if (scheme !== 'basic') return fail('authentication', 'Invalid access token')
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  // The PAT itself contains a colon ("dal:..."), so only the first colon separates account id and PAT.
  const colon = decoded.indexOf(':')
  const accountId = decoded.slice(0, colon)
  const pat = decoded.slice(colon + 1)
  const { seed } = store
  if (colon < 0 || !same(accountId, seed.accountId) || !same(pat, seed.pat)) {
    return fail('authentication', 'Invalid access token')
  }
  return {
    actor: { kind: 'agent', agentId: seed.patOwnerAgentId, via: 'pat' },
    scopes: seed.patScopes,
    region: pat.split(':')[0] ?? 'dal',
  }
}

export type CustomerPrincipal = { actor: Actor & { kind: 'customer' }; region: string }

export const customerFromToken = (token: string, store: Store): CustomerPrincipal => {
  const entry = store.customerTokens.get(token)
  if (!entry) return fail('authentication', 'Invalid access token')
  // Customer tokens really expire (expires_in, default 28800 s) on the emulator clock.
  if (store.clock.now() >= entry.expiresAtMs) return fail('authentication', 'Access token expired')
  return {
    actor: { kind: 'customer', customerId: entry.customerId, clientId: entry.clientId },
    region: token.split(':')[0] ?? 'dal',
  }
}

export const authenticateCustomer = (req: IncomingMessage, store: Store): CustomerPrincipal => {
  const { scheme, value } = credentials(req)
  if (scheme !== 'bearer') return fail('authentication', 'Invalid access token')
  return customerFromToken(value, store)
}

/**
 * Data centres: src/pages/management/configuration-api/v3.6/index.mdx ("Data centers"). A request lands in `dal`
 * unless it carries `X-Region`; a license living elsewhere answers misdirected_request with the right region.
 */
export const checkRegion = (req: IncomingMessage, store: Store, tokenRegion: string): void => {
  const target = header(req, 'x-region') ?? 'dal'
  if (target !== store.seed.region || tokenRegion !== store.seed.region) {
    fail('misdirected_request', 'Wrong region', { region: store.seed.region })
  }
}

/**
 * Scope rules (src/pages/authorization/scopes/index.mdx): `rw` includes `ro`, and `--all` includes `--access`
 * which includes `--my`. `required` lists alternatives; one is enough.
 */
export const requireScope = (granted: string[], required: string[]): void => {
  const rank = { my: 0, access: 1, all: 2 } as const
  const parse = (scope: string) => {
    const [name = '', level = ''] = scope.split(':')
    const match = /^(.*)--(my|access|all)$/.exec(name)
    return match
      ? { base: match[1] ?? '', reach: rank[match[2] as keyof typeof rank], level }
      : { base: name, reach: 2, level }
  }
  const covers = (g: string, r: string): boolean => {
    const a = parse(g)
    const b = parse(r)
    return a.base === b.base && a.reach >= b.reach && (a.level === b.level || (a.level === 'rw' && b.level === 'ro'))
  }
  if (!required.some((r) => granted.some((g) => covers(g, r)))) {
    fail('authorization', `Missing scope: ${required.join(' or ')}`)
  }
}
