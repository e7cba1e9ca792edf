import axios from 'axios'
import { type ZodError, z } from 'zod'
import { LiveChatApiError } from './errors'
import { redactText, redactValue } from './redact'
import { parseRetryAfter } from './retry'

/** What we know about one failed attempt, before deciding to retry and before writing a message. */
export type Failure = {
  status: number
  type: string
  /** LiveChat's own message (`error.message` or `exception_description`), not yet redacted. */
  remoteMessage?: string
  data?: Record<string, unknown>
  /** Node error code for network failures. */
  code?: string
  retryAfterSeconds?: number
  /** Zod issues for `invalid_response`, as `path: message`. */
  issues?: string[]
}

/** @see https://platform.text.com/docs/messaging/agent-chat-api#possible-errors */
const errorDataSchema = z.record(z.string(), z.unknown())
const webApiErrorSchema = z.object({
  error: z.object({ type: z.string(), message: z.string().optional(), data: errorDataSchema.optional() }),
})
/** The accounts server's errors (`oauth_exception`, or `identity_exception` such as `identity_lost`). */
const accountsErrorSchema = z.object({
  oauth_exception: z.string().optional(),
  identity_exception: z.string().optional(),
  exception_description: z.string().optional(),
})

/** LiveChat documents error types, not HTTP statuses: these name a failure that came without a body. */
const STATUS_TYPES: Readonly<Record<number, string>> = {
  400: 'validation',
  401: 'authentication',
  403: 'authorization',
  404: 'not_found',
  408: 'request_timeout',
  413: 'entity_too_large',
  421: 'misdirected_request',
  422: 'validation',
  429: 'too_many_requests',
  500: 'internal',
  502: 'service_unavailable',
  503: 'service_unavailable',
  504: 'request_timeout',
}

/** What a request that did not answer 2xx says: LiveChat's error, or the network's. */
export const failureOf = (thrown: unknown, now: number): Failure => {
  if (!axios.isAxiosError(thrown)) return { status: 0, type: 'network' }
  if (thrown.response) {
    const { status, data, headers } = thrown.response
    return failureFromResponse(status, data, parseRetryAfter(headers['retry-after'], now))
  }
  const { code } = thrown
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') return { status: 0, type: 'timeout', code }
  const cause: unknown = thrown.cause
  const causeCode =
    cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined
  return { status: 0, type: 'network', code: code && code !== 'ERR_NETWORK' ? code : causeCode }
}

/** Reads LiveChat's error body (Web API or accounts envelope); falls back on the HTTP status when there is none. */
const failureFromResponse = (status: number, body: unknown, retryAfterSeconds?: number): Failure => {
  const parsedBody = _parseMaybeJson(body)
  const webApi = webApiErrorSchema.safeParse(parsedBody)
  if (webApi.success) {
    const { type, message, data } = webApi.data.error
    return { status, type, remoteMessage: message, data, retryAfterSeconds }
  }
  const accounts = accountsErrorSchema.safeParse(parsedBody)
  const type = accounts.data?.oauth_exception ?? accounts.data?.identity_exception
  if (type) {
    return { status, type, remoteMessage: accounts.data?.exception_description, retryAfterSeconds }
  }
  return { status, type: STATUS_TYPES[status] ?? (status >= 500 ? 'internal' : 'http_error'), retryAfterSeconds }
}

export const failureFromZod = (status: number, error: ZodError): Failure => ({
  status,
  type: 'invalid_response',
  issues: error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
})

const _parseMaybeJson = (body: unknown): unknown => {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body
  try {
    return typeof text === 'string' ? JSON.parse(text) : text
  } catch {
    return text
  }
}

/** The scope each PAT-side method needs, so that `authorization` can name it. */
const REQUIRED_SCOPES: Readonly<Record<string, string>> = {
  'agent.list_chats': 'chats--all:ro (or chats--access:ro)',
  'agent.get_chat': 'chats--all:ro (or chats--access:ro)',
  'agent.deactivate_chat': 'chats--all:rw (or chats--access:rw)',
  'agent.get_customer': 'customers:ro',
  'agent.tag_thread': 'chats--all:rw (or chats--access:rw)',
  'configuration.get_group': 'groups--all:ro (or groups--my:ro for your own groups)',
  'configuration.get_agent': 'agents--all:ro (or agents--my:ro)',
  'configuration.register_webhook': 'webhooks.configuration:rw',
  'configuration.list_webhooks': 'webhooks.configuration:rw',
  'configuration.unregister_webhook': 'webhooks.configuration:rw',
  'configuration.enable_license_webhooks': 'webhooks.state:rw',
  'configuration.get_license_webhooks_state': 'webhooks.state:ro',
}

/** `host`: an origin, never a path or query; `region`: the last `X-Region` sent; `secrets`: masked anywhere. */
type DescribeContext = {
  operation: string
  attempts: number
  timeoutMs: number
  secrets: readonly string[]
  host: string | undefined
  region: string | undefined
  ambiguous: boolean
}

/** The pieces every message is made of. */
type Told = { failure: Failure; ctx: DescribeContext; api: string; what: string; said: string; gaveUp: string }

const _said = (remote: string | undefined, secrets: readonly string[]): string => {
  if (!remote) return ''
  const clean = redactText(remote, secrets).replace(/\s+/g, ' ').trim()
  return ` LiveChat said: "${clean.length > 300 ? `${clean.slice(0, 300)}…` : clean}".`
}

const _what = (failure: Failure): string =>
  failure.status > 0
    ? `${failure.status} ${failure.type}`
    : failure.code
      ? `${failure.type}, ${failure.code}`
      : failure.type

const _at = (host: string | undefined): string => (host ? ` at ${host}` : '')

const _accounts = ({ failure, ctx, what, said }: Told): string => {
  if (failure.status === 0) {
    return `Could not reach the LiveChat accounts server for a customer token (${what})${_at(ctx.host)}: check the network or LIVECHAT_ACCOUNTS_URL.`
  }
  if (failure.type === 'invalid_response') {
    return `LiveChat accounts answered ${ctx.operation} with an unexpected body (invalid_response): ${(failure.issues ?? []).join('; ')}.`
  }
  return `LiveChat accounts refused to issue a customer token (${what}): check the \`clientId\` and \`organizationId\` fields, and that the webhook URL is one of your LiveChat app's Redirect URIs.${said}`
}

const _authorization = ({ ctx: { operation }, api, what, said }: Told): string => {
  if (api === 'customer') return `LiveChat refused ${operation} for this customer (${what}).${said}`
  const scope = REQUIRED_SCOPES[operation]
  const need = scope
    ? `the Personal Access Token behind \`agentToken\` needs the scope ${scope}`
    : 'the Personal Access Token behind `agentToken` is not allowed to do this'
  return `LiveChat refused ${operation} (${what}): ${need}. Scopes cannot be added to a PAT: create a new one and update \`agentToken\`.${said}`
}

/** Messages by failure type, for the Web APIs; {@link _other} for any other type. */
const BY_TYPE: Readonly<Record<string, (told: Told) => string>> = {
  authentication: ({ ctx: { operation }, api, what, said }) =>
    api === 'customer'
      ? `LiveChat rejected the customer access token for ${operation} (${what}): it has probably expired (customer tokens live 8 hours); issue a new one and retry.${said}`
      : `LiveChat rejected the agent token (${what}): check the \`agentToken\` field (the Base64 string shown with your Personal Access Token) and that the token was not revoked.${said}`,
  authorization: _authorization,
  timeout: ({ ctx, gaveUp }) =>
    `LiveChat did not answer ${ctx.operation} within ${Math.round(ctx.timeoutMs / 1000)} s (timeout)${gaveUp}`,
  network: ({ ctx, what, gaveUp }) =>
    `Could not reach LiveChat for ${ctx.operation} (${what})${_at(ctx.host)}: check the network or LIVECHAT_API_URL${gaveUp}`,
  invalid_response: ({ failure, ctx }) =>
    `LiveChat answered ${ctx.operation} with a body this integration does not understand (invalid_response): ${(failure.issues ?? []).join('; ')}.`,
  invalid_configuration: ({ ctx }) => `LiveChat ${ctx.operation} cannot be called: the configuration is invalid.`,
  too_many_requests: ({ ctx, what, gaveUp, said }) =>
    `LiveChat is rate-limiting ${ctx.operation} (${what}); try again in a moment${gaveUp}${said}`,
  entity_too_large: ({ ctx, what, said }) =>
    `LiveChat refused the file for ${ctx.operation} (${what}): uploads are limited to 10 MB.${said}`,
  misdirected_request: ({ ctx, what, said }) =>
    `LiveChat says ${ctx.operation} belongs to another data centre (${what})${ctx.region ? ` even with X-Region "${ctx.region}"` : ''}.${said}`,
  chat_inactive: ({ ctx, what, said }) =>
    `LiveChat refused ${ctx.operation} (${what}): the chat is closed (no active thread).${said}`,
}

const _other = ({ failure, ctx, what, said, gaveUp }: Told): string =>
  failure.status >= 500 || failure.status === 429
    ? `LiveChat ${ctx.operation} failed (${what})${gaveUp}${said}`
    : `LiveChat ${ctx.operation} failed (${what}).${said}`

/** The one place that turns a failure into an actionable, secret-free message. */
const _describe = (failure: Failure, ctx: DescribeContext): string => {
  const told: Told = {
    failure,
    ctx,
    api: ctx.operation.split('.')[0] ?? '',
    what: _what(failure),
    said: _said(failure.remoteMessage, ctx.secrets),
    gaveUp: ctx.attempts > 1 ? `, still failing after ${ctx.attempts} attempts.` : '.',
  }
  if (told.api === 'accounts') return _accounts(told)
  // The type comes from LiveChat's answer: only the table's own keys, never what objects inherit.
  const describe = Object.hasOwn(BY_TYPE, failure.type) ? BY_TYPE[failure.type] : undefined
  return (describe ?? _other)(told)
}

/** Builds the error the caller sees; `data` is LiveChat's `error.data`, masked. */
export const toLiveChatApiError = (failure: Failure, ctx: DescribeContext): LiveChatApiError => {
  const masked: unknown = failure.data ? redactValue(failure.data, ctx.secrets) : undefined
  const data = errorDataSchema.safeParse(masked)
  const unknownOutcome = ctx.ambiguous ? ' LiveChat may have applied it, so it was not sent again.' : ''
  return new LiveChatApiError({
    status: failure.status,
    type: failure.type,
    operation: ctx.operation,
    ambiguous: ctx.ambiguous,
    message: redactText(`${_describe(failure, ctx)}${unknownOutcome}`, ctx.secrets),
    data: data.success ? data.data : undefined,
    attempts: ctx.attempts,
    remoteMessage: failure.remoteMessage ? redactText(failure.remoteMessage, ctx.secrets) : undefined,
  })
}
