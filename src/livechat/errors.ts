/**
 * What a failed LiveChat call throws, and the questions callers ask about it. Callers never compare `type`: each
 * question is answered here, once, from the error types LiveChat documents.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#possible-errors
 * @see https://platform.text.com/docs/messaging/customer-chat-api#possible-errors
 */

type LiveChatApiErrorProps = {
  status: number
  /**
   * LiveChat's `error.type` (`validation`, `chat_inactive`, …), the accounts server's `oauth_exception`, or one of
   * ours: `network`, `timeout`, `invalid_response`, `invalid_configuration`. For logs and messages.
   */
  type: string
  /** `<api>.<action>`, e.g. `agent.send_event`, `customer.start_chat`, `accounts.customer_token`. */
  operation: string
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

/** Its message is actionable and holds no secret; it has no cause, which would log the request. */
export class LiveChatApiError extends Error {
  public override readonly name = 'LiveChatApiError'
  public readonly status: number
  public readonly type: string
  public readonly operation: string
  public readonly data: Record<string, unknown> | undefined
  public readonly attempts: number
  public readonly remoteMessage: string | undefined
  public readonly ambiguous: boolean

  public constructor(props: LiveChatApiErrorProps) {
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

/**
 * `authorization` from the Agent or Configuration API, which the Personal Access Token calls: it lacks a scope the
 * method needs (scopes cannot be added to a PAT). The Customer Chat API has no scopes.
 * @see https://platform.text.com/docs/authorization/scopes
 */
export const isMissingScope = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && thrown.type === 'authorization' && !thrown.operation.startsWith('customer.')

/**
 * Customer tokens live 8 hours; LiveChat answers `authentication` once one has expired. Callers renew the token
 * (same customer, thanks to the identity cookies) and retry once.
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
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

/**
 * The accounts server answers `invalid_request` for several fields of the customer token request; only its
 * description says which.
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
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
