import type { IncomingMessage, ServerResponse } from 'node:http'
import { customerInfo, issueCustomerToken } from './accounts'
import { agentHandlers } from './agent-api'
import { authenticateAgent, authenticateCustomer, checkRegion } from './auth'
import type { Cdn } from './cdn'
import type { ChatOps } from './chat-ops'
import { configurationHandlers } from './configuration-api'
import { customerHandlers } from './customer-api'
import { LiveChatError, OAuthError, fail } from './errors'
import type { ApiName, Faults } from './faults'
import type { Feed } from './feed'
import { type UploadedPart, parseJsonBody, parseMultipartFile, readBody, redact, sendJson } from './http'
import type { Store } from './store'
import { agentThreadHandlers, customerThreadHandlers } from './thread-api'
import { ThreadOps } from './thread-ops'

// Routing of the public API surface: api.livechatinc.com (/v3.6/...) and accounts.livechat.com (/v2/customer/...)
// both live on the emulator's single port. Every call is recorded (without secrets) and may hit an injected fault.

export const API_VERSION = '3.6'

export type RecordedCall = {
  at: string
  api: ApiName
  action: string
  method: string
  path: string
  status: number
  region?: string
  body: unknown
}

export type Core = {
  store: Store
  ops: ChatOps
  cdn: Cdn
  faults: Faults
  feed: Feed
  calls: RecordedCall[]
  faultTimeoutMs: number
  /** Responses held by a 'timeout' fault; released on stop. */
  held: Set<ServerResponse>
  /** Added before every API answer (benchmarks: a cloud API's round trip); 0 answers at once. */
  latencyMs: number
}

type Route = { api: ApiName; action: string }

const route = (method: string, pathname: string): Route | undefined => {
  if (pathname === '/v2/customer/token' && method === 'POST') return { api: 'accounts', action: 'customer_token' }
  if (pathname === '/v2/customer/info' && method === 'GET') return { api: 'accounts', action: 'customer_info' }
  const match = /^\/v(\d+\.\d+)\/(agent|customer|configuration)\/action\/([a-z_]+)$/.exec(pathname)
  if (!match || method !== 'POST') return undefined
  if (match[1] !== API_VERSION) return { api: match[2] as ApiName, action: `unsupported_version:${match[1]}` }
  return { api: match[2] as ApiName, action: match[3] ?? '' }
}

export const createApiHandler = (core: Core) => {
  const threads = new ThreadOps(core.store, core.ops)
  const agent = { ...agentHandlers(core.ops, core.store, core.cdn), ...agentThreadHandlers(threads) }
  const customer = { ...customerHandlers(core.ops, core.store, core.cdn), ...customerThreadHandlers(threads) }
  const configuration = configurationHandlers(core.store)

  const dispatch = async (
    r: Route,
    req: IncomingMessage,
    url: URL,
    raw: Buffer
  ): Promise<{ body: unknown; headers?: Record<string, string | string[]> }> => {
    if (r.action.startsWith('unsupported_version:')) fail('validation', 'Only API version 3.6 is emulated')
    const contentType = req.headers['content-type'] ?? ''
    const isMultipart = contentType.startsWith('multipart/form-data')
    const file = (): Promise<UploadedPart | undefined> =>
      isMultipart ? parseMultipartFile(raw, contentType) : Promise.resolve(undefined)
    const body = (): unknown => (isMultipart ? {} : parseJsonBody(raw))
    switch (r.api) {
      case 'accounts': {
        if (r.action === 'customer_info') return { body: customerInfo(req, core.store) }
        const form = contentType.startsWith('application/x-www-form-urlencoded')
          ? Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
          : parseJsonBody(raw)
        const result = issueCustomerToken(req, form, core.store)
        return { body: result.body, headers: result.headers }
      }
      case 'agent': {
        const handler = agent[r.action] ?? fail('not_found', `Unknown action: ${r.action}`)
        const principal = authenticateAgent(req, core.store)
        checkRegion(req, core.store, principal.region)
        return { body: await handler({ actor: principal.actor, scopes: principal.scopes, body: body(), file }) }
      }
      case 'configuration': {
        const handler = configuration[r.action] ?? fail('not_found', `Unknown action: ${r.action}`)
        const principal = authenticateAgent(req, core.store)
        checkRegion(req, core.store, principal.region)
        return { body: await handler({ scopes: principal.scopes, body: body() }) }
      }
      case 'customer': {
        const handler = customer[r.action] ?? fail('not_found', `Unknown action: ${r.action}`)
        // Every Customer Chat API request needs ?organization_id= (Customer Chat API v3.6, "Methods").
        const organizationId = url.searchParams.get('organization_id')
        if (!organizationId) fail('validation', '`organization_id` query parameter is required')
        const principal = authenticateCustomer(req, core.store)
        checkRegion(req, core.store, principal.region)
        if (organizationId !== core.store.seed.organizationId) fail('license_not_found', 'License not found')
        return { body: await handler({ actor: principal.actor, body: body(), file }) }
      }
    }
  }

  const recordedBody = (req: IncomingMessage, raw: Buffer): unknown => {
    const contentType = req.headers['content-type'] ?? ''
    if (contentType.startsWith('multipart/form-data')) return { file: { size: raw.length } }
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      return redact(Object.fromEntries(new URLSearchParams(raw.toString('utf8'))))
    }
    try {
      return redact(raw.length ? JSON.parse(raw.toString('utf8')) : {})
    } catch {
      return '[unparsable]'
    }
  }

  /** Answers true when the request was an API call. */
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const r = route(req.method ?? 'GET', url.pathname)
    if (!r) return false
    const region = req.headers['x-region']
    const call: RecordedCall = {
      at: new Date(core.store.clock.now()).toISOString(),
      api: r.api,
      action: r.action,
      method: req.method ?? 'POST',
      path: url.pathname + url.search,
      status: 0,
      ...(typeof region === 'string' ? { region } : {}),
      body: null,
    }
    const finish = (status: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
      call.status = status
      core.calls.push(call)
      core.feed.publish('call', call)
      if (status > 0) sendJson(res, status, body, headers as Record<string, string>)
    }
    let raw: Buffer
    try {
      raw = await readBody(req)
    } catch (err) {
      const e = err instanceof LiveChatError ? err : new LiveChatError('internal')
      finish(e.status, e.toBody())
      return true
    }
    call.body = recordedBody(req, raw)
    if (core.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, core.latencyMs))

    const holdThenTimeOut = () => {
      core.held.add(res)
      const timer = setTimeout(() => {
        core.held.delete(res)
        finish(504, new LiveChatError('request_timeout').toBody())
      }, core.faultTimeoutMs)
      res.on('close', () => {
        clearTimeout(timer)
        core.held.delete(res)
      })
    }
    const fault = core.faults.take(r.api, r.action)
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 0))
    if (fault?.kind === 'reset') {
      finish(0, null)
      req.socket.destroy()
      return true
    }
    if (fault?.kind === 'timeout') {
      holdThenTimeOut()
      return true
    }
    if (fault?.kind === 429 || fault?.kind === 500 || fault?.kind === 503) {
      const type = fault.kind === 429 ? 'too_many_requests' : fault.kind === 503 ? 'service_unavailable' : 'internal'
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}
      finish(fault.kind, new LiveChatError(type).toBody(), headers)
      return true
    }

    try {
      const result = await dispatch(r, req, url, raw)
      if (fault?.kind === 'applied-502') finish(502, new LiveChatError('internal', 'Bad gateway').toBody())
      else if (fault?.kind === 'applied-timeout') holdThenTimeOut()
      else finish(200, result.body, result.headers)
    } catch (err) {
      if (err instanceof LiveChatError || err instanceof OAuthError) finish(err.status, err.toBody())
      else
        finish(
          500,
          new LiveChatError('internal', err instanceof Error ? err.message : 'Internal server error').toBody()
        )
    }
    return true
  }
}
