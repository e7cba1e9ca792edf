/**
 * What a failed LiveChat call throws, and the questions callers ask about it (callers never compare `type`).
 * @see https://platform.text.com/docs/messaging/agent-chat-api#possible-errors
 */

/** Its message is actionable and holds no secret; it has no cause, which would log the request. */
export class LiveChatApiError extends Error {
  public override readonly name = 'LiveChatApiError'
  public readonly status: number
  /** LiveChat's `error.type`, the accounts server's exception, or ours: `network`, `timeout`, `invalid_response`, … */
  public readonly type: string
  /** `<api>.<action>`, e.g. `customer.send_event`, `accounts.customer_token`. */
  public readonly operation: string
  public readonly data: Record<string, unknown> | undefined
  public readonly attempts: number
  /** LiveChat's own description, redacted: the accounts server's `invalid_request` says which field only there. */
  public readonly remoteMessage: string | undefined
  /** The answer was lost (timeout, 502, 504, reset) and LiveChat may have applied the call, so it was not repeated. */
  public readonly ambiguous: boolean

  public constructor(props: {
    status: number
    type: string
    operation: string
    message: string
    data?: Record<string, unknown>
    attempts?: number
    remoteMessage?: string
    ambiguous?: boolean
  }) {
    super(props.message)
    this.status = props.status
    this.type = props.type
    this.operation = props.operation
    this.data = props.data
    this.attempts = props.attempts ?? 1
    this.remoteMessage = props.remoteMessage
    this.ambiguous = props.ambiguous ?? false
  }
}

export const isLiveChatApiError = (thrown: unknown): thrown is LiveChatApiError => thrown instanceof LiveChatApiError

const _typeIn =
  (...types: string[]) =>
  (thrown: unknown): boolean =>
    isLiveChatApiError(thrown) && types.includes(thrown.type)

/** The requester can no longer see or use the chat: `not_found`, `missing_access`, or `chat_anonymized`. */
export const isChatGone = _typeIn('not_found', 'missing_access', 'chat_anonymized')

/** `chat_inactive`: the chat has no open thread. */
export const isChatInactive = _typeIn('chat_inactive')

/** `limit_reached`: one more would exceed a limit, such as the one open chat a customer may have. */
export const isLimitReached = _typeIn('limit_reached')

/** `validation`: LiveChat refused what the request said. */
export const isRefusedInput = _typeIn('validation')

/** LiveChat refused the token (`authentication`: invalid, revoked or expired), or `agentToken` cannot be one. */
export const isTokenProblem = _typeIn('authentication', 'invalid_configuration')

/** The organization has no usable license. */
export const isNoLicense = _typeIn('license_not_found', 'license_expired')

/** What the request names does not exist (any more): `not_found`, `group_not_found`, `license_not_found`, … */
export const isLiveChatNotFound = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && thrown.type.endsWith('not_found')

/** `authorization` from the Agent or Configuration API: the PAT lacks a scope (the Customer Chat API has none). */
export const isMissingScope = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && thrown.type === 'authorization' && !thrown.operation.startsWith('customer.')

/** Customer tokens live 8 hours, then LiveChat answers `authentication`: callers renew the token and retry once. */
export const isExpiredCustomerToken = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && thrown.type === 'authentication' && thrown.operation.startsWith('customer.')

const _isRateLimited = (error: LiveChatApiError): boolean => error.status === 429 || error.type === 'too_many_requests'

/** LiveChat gave no verdict: no answer, a rate limit or a server error. The same call may work later. */
export const isTransient = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) &&
  (thrown.type === 'network' || thrown.type === 'timeout' || thrown.status >= 500 || _isRateLimited(thrown))

/** A refusal LiveChat would give again: a 4xx answer that is not a rate limit. */
export const isRefusedForGood = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && thrown.status >= 400 && thrown.status < 500 && !_isRateLimited(thrown)

/** The accounts server answers `invalid_request` for several fields of the grant; its description says which. */
const _accountsRefusal = (thrown: unknown, about: RegExp, typeToo = false): boolean =>
  isLiveChatApiError(thrown) &&
  isRefusedForGood(thrown) &&
  thrown.operation.startsWith('accounts.') &&
  (about.test(thrown.remoteMessage ?? '') || (typeToo && about.test(thrown.type)))

/** The grant's `redirect_uri` is not one of the app's Redirect URIs. */
export const isRedirectUriRefusal = (thrown: unknown): boolean => _accountsRefusal(thrown, /redirect/i)

/** LiveChat knows no license for the grant's `organization_id`. */
export const isUnknownOrganization = (thrown: unknown): boolean => _accountsRefusal(thrown, /organi[sz]ation|license/i)

/** LiveChat does not accept the grant's `client_id` (`invalid_client`, `unauthorized_client`, or it says so). */
export const isUnknownClient = (thrown: unknown): boolean => _accountsRefusal(thrown, /client/i, true)
