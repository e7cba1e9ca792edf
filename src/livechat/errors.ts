import { RuntimeError } from '@botpress/sdk'
import type { ZodError } from 'zod'
import { redactText, redactValue } from './redact'
import { identityErrorSchema, oauthErrorSchema, webApiErrorSchema } from './schemas/errors'

/**
 * LiveChat's `error.type` (`authentication`, `validation`, `chat_inactive`, …), the accounts server's
 * `oauth_exception`, or one of ours: `network`, `timeout`, `invalid_response`, `invalid_configuration`.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#possible-errors
 */
export type LiveChatErrorType = string

export type LiveChatApiErrorProps = {
  status: number
  type: LiveChatErrorType
  /** `<api>.<action>`, e.g. `agent.send_event`, `customer.start_chat`, `accounts.customer_token`. */
  operation: string
  retryable: boolean
  message: string
  data?: Record<string, unknown>
  attempts?: number
  /**
   * LiveChat's own description (`error.message` or `exception_description`), redacted: the accounts server answers
   * `invalid_request` for several different fields, and only this text tells them apart.
   */
  remoteMessage?: string
  /** The call may have been applied: its answer was lost (timeout, 502, 504, reset), so it was not repeated. */
  ambiguous?: boolean
}

export class LiveChatApiError extends Error {
  public override readonly name = 'LiveChatApiError'
  public readonly status: number
  public readonly type: LiveChatErrorType
  public readonly operation: string
  public readonly retryable: boolean
  public readonly data: Record<string, unknown> | undefined
  public readonly attempts: number
  public readonly remoteMessage: string | undefined
  public readonly ambiguous: boolean

  public constructor(props: LiveChatApiErrorProps) {
    super(props.message)
    this.status = props.status
    this.type = props.type
    this.operation = props.operation
    this.retryable = props.retryable
    this.data = props.data
    this.attempts = props.attempts ?? 1
    this.remoteMessage = props.remoteMessage
    this.ambiguous = props.ambiguous ?? false
  }

  /** For actions and channels: `new RuntimeError('<what>: <actionable message>')`. No cause: it would log the request. */
  public toRuntimeError(what: string): RuntimeError {
    return new RuntimeError(`${what}: ${this.message}`)
  }
}

export const isLiveChatApiError = (thrown: unknown): thrown is LiveChatApiError => thrown instanceof LiveChatApiError

/**
 * Customer tokens live 8 hours; LiveChat answers `authentication` once one has expired. Callers renew the token
 * (same customer, thanks to the identity cookies) and retry once.
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
export const isExpiredCustomerToken = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && thrown.type === 'authentication' && thrown.operation.startsWith('customer.')

/**
 * The accounts server refused the grant's `redirect_uri` (not one of the app's Redirect URIs). It answers
 * `invalid_request` for several fields; only its description names the redirect URI.
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
export const isRedirectUriRefusal = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) &&
  thrown.operation.startsWith('accounts.') &&
  thrown.status >= 400 &&
  thrown.status < 500 &&
  /redirect/i.test(thrown.remoteMessage ?? '')

/**
 * Scope each wrapped method needs, from the "Required scopes" rows of the v3.6 method tables, so that an
 * `authorization` error can say which scope the Personal Access Token lacks.
 * @see https://platform.text.com/docs/authorization/scopes
 */
export const REQUIRED_SCOPES: Readonly<Record<string, string>> = {
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

/** What we know about one failed attempt, before deciding to retry and before writing a message. */
export type Failure = {
  status: number
  type: LiveChatErrorType
  /** LiveChat's own message (`error.message` or `exception_description`), not yet redacted. */
  remoteMessage?: string
  data?: Record<string, unknown>
  /** Node error code for network failures. */
  code?: string
  retryAfterSeconds?: number
  /** Zod issues for `invalid_response`, as `path: message`. */
  issues?: string[]
}

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

/** Reads LiveChat's error body (Web API or accounts envelope); falls back on the HTTP status when there is none. */
export const failureFromResponse = (status: number, body: unknown, retryAfterSeconds?: number): Failure => {
  const parsedBody = _parseMaybeJson(body)
  const webApi = webApiErrorSchema.safeParse(parsedBody)
  if (webApi.success) {
    const { type, message, data } = webApi.data.error
    return { status, type, remoteMessage: message, data, retryAfterSeconds }
  }
  const oauth = oauthErrorSchema.safeParse(parsedBody)
  if (oauth.success) {
    return {
      status,
      type: oauth.data.oauth_exception,
      remoteMessage: oauth.data.exception_description,
      retryAfterSeconds,
    }
  }
  const identity = identityErrorSchema.safeParse(parsedBody)
  if (identity.success) {
    return {
      status,
      type: identity.data.identity_exception,
      remoteMessage: identity.data.exception_description,
      retryAfterSeconds,
    }
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
  if (typeof text !== 'string') {
    return text
  }
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export type DescribeContext = {
  operation: string
  attempts: number
  timeoutMs: number
  /** Exact secrets the client holds (agent token, PAT, customer token, cookies), masked wherever they appear. */
  secrets: readonly string[]
  /** Host we talked to, for network errors (never a path or query). */
  host?: string
  /** Region we last sent in `X-Region`, for misdirected errors. */
  region?: string
  /** The answer was lost and LiveChat may have applied the call: it was not sent again. */
  ambiguous?: boolean
}

const _said = (remote: string | undefined, secrets: readonly string[]): string => {
  if (!remote) {
    return ''
  }
  const clean = redactText(remote, secrets).replace(/\s+/g, ' ').trim()
  return ` LiveChat said: "${clean.length > 300 ? `${clean.slice(0, 300)}…` : clean}".`
}

const _what = (failure: Failure): string =>
  failure.status > 0
    ? `${failure.status} ${failure.type}`
    : failure.code
      ? `${failure.type}, ${failure.code}`
      : failure.type

/** The one place that turns a failure into an actionable, secret-free message. */
export const describeFailure = (failure: Failure, ctx: DescribeContext): string => {
  const { operation, secrets } = ctx
  const api = operation.split('.')[0]
  const what = _what(failure)
  const said = _said(failure.remoteMessage, secrets)

  if (api === 'accounts') {
    if (failure.status === 0) {
      return `Could not reach the LiveChat accounts server for a customer token (${what})${ctx.host ? ` at ${ctx.host}` : ''}: check the network or LIVECHAT_ACCOUNTS_URL.`
    }
    if (failure.type === 'invalid_response') {
      return `LiveChat accounts answered ${operation} with an unexpected body (invalid_response): ${(failure.issues ?? []).join('; ')}.`
    }
    return `LiveChat accounts refused to issue a customer token (${what}): check the \`clientId\` and \`organizationId\` fields, and that the webhook URL is one of your LiveChat app's Redirect URIs.${said}`
  }

  switch (failure.type) {
    case 'authentication':
      if (api === 'customer') {
        return `LiveChat rejected the customer access token for ${operation} (${what}): it has probably expired (customer tokens live 8 hours); issue a new one and retry.${said}`
      }
      return (
        `LiveChat rejected the agent token (${what}): check the \`agentToken\` field (the Base64 string shown with ` +
        `your Personal Access Token) and that the token was not revoked.${said}`
      )
    case 'authorization': {
      if (api === 'customer') {
        return `LiveChat refused ${operation} for this customer (${what}).${said}`
      }
      const scope = REQUIRED_SCOPES[operation]
      const need = scope
        ? `the Personal Access Token behind \`agentToken\` needs the scope ${scope}`
        : 'the Personal Access Token behind `agentToken` is not allowed to do this'
      return `LiveChat refused ${operation} (${what}): ${need}. Scopes cannot be added to a PAT: create a new one and update \`agentToken\`.${said}`
    }
    case 'timeout':
      return `LiveChat did not answer ${operation} within ${Math.round(ctx.timeoutMs / 1000)} s (timeout)${_gaveUp(ctx)}`
    case 'network':
      return `Could not reach LiveChat for ${operation} (${what})${ctx.host ? ` at ${ctx.host}` : ''}: check the network or LIVECHAT_API_URL${_gaveUp(ctx)}`
    case 'invalid_response':
      return `LiveChat answered ${operation} with a body this integration does not understand (invalid_response): ${(failure.issues ?? []).join('; ')}.`
    case 'invalid_configuration':
      return `LiveChat ${operation} cannot be called: the configuration is invalid.`
    case 'too_many_requests':
      return `LiveChat is rate-limiting ${operation} (${what}); try again in a moment${_gaveUp(ctx)}${said}`
    case 'entity_too_large':
      return `LiveChat refused the file for ${operation} (${what}): uploads are limited to 10 MB.${said}`
    case 'misdirected_request':
      return `LiveChat says ${operation} belongs to another data centre (${what})${ctx.region ? ` even with X-Region "${ctx.region}"` : ''}.${said}`
    case 'chat_inactive':
      return `LiveChat refused ${operation} (${what}): the chat is closed (no active thread).${said}`
    default:
      if (failure.status >= 500 || failure.status === 429) {
        return `LiveChat ${operation} failed (${what})${_gaveUp(ctx)}${said}`
      }
      return `LiveChat ${operation} failed (${what}).${said}`
  }
}

const _gaveUp = (ctx: DescribeContext): string =>
  ctx.attempts > 1 ? `, still failing after ${ctx.attempts} attempts.` : '.'

/** Builds the error the caller sees; `data` is LiveChat's `error.data`, masked. */
export const toLiveChatApiError = (failure: Failure, ctx: DescribeContext, retryable: boolean): LiveChatApiError => {
  const masked: unknown = failure.data ? redactValue(failure.data, ctx.secrets) : undefined
  const data = webApiErrorSchema.shape.error.shape.data.safeParse(masked)
  const unknownOutcome = ctx.ambiguous ? ' LiveChat may have applied it, so it was not sent again.' : ''
  return new LiveChatApiError({
    status: failure.status,
    type: failure.type,
    operation: ctx.operation,
    retryable,
    ambiguous: ctx.ambiguous === true,
    message: redactText(`${describeFailure(failure, ctx)}${unknownOutcome}`, ctx.secrets),
    data: data.success ? data.data : undefined,
    attempts: ctx.attempts,
    remoteMessage: failure.remoteMessage ? redactText(failure.remoteMessage, ctx.secrets) : undefined,
  })
}
