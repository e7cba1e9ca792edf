/**
 * The retry policy, as pure functions so that it can be tested without a server or a clock.
 * LiveChat documents `too_many_requests` ("unblocked automatically after some time"), `internal`,
 * `service_unavailable` and `request_timeout` as transient; it publishes neither HTTP statuses nor `Retry-After`,
 * so both are honoured when present and otherwise we back off exponentially with full jitter.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#rate-limits
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */

/** Attempts per call, the first one included. */
export const MAX_ATTEMPTS = 4
/** Total time one call may spend, retries and waits included, so that an action never hangs. */
export const TOTAL_BUDGET_MS = 25_000
/** One HTTP request; a stalled request is aborted after this. */
export const REQUEST_TIMEOUT_MS = 8_000
const BASE_DELAY_MS = 500
export const MAX_DELAY_MS = 8_000
/** A `Retry-After` longer than this is not worth waiting for inside an action. */
const MAX_RETRY_AFTER_MS = 20_000

/** Socket errors after which the request is known, or likely, not to have been processed or answered. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
])

/**
 * Calls whose repetition the agent would see: a second message, a second chat or thread. After an ambiguous failure
 * (below) they are not sent again blindly: the caller's check (`Call.applied`) first looks for what the lost call did.
 * `upload_file` is not among them on purpose: an upload that no event uses is never shown and expires after 24 h, so
 * repeating it costs nothing.
 */
export const NOT_REPEATABLE: ReadonlySet<string> = new Set([
  'customer.start_chat',
  'customer.resume_chat',
  'customer.send_event',
])

type RetryInput = {
  /** HTTP status, 0 when no response was received. */
  status: number
  /** LiveChat `error.type`, or `network` / `timeout` / `invalid_response`. */
  type: string
  /** The attempt that just failed, starting at 1. */
  attempt: number
  /** Time spent on this call so far. */
  elapsedMs: number
  /** Node's error code for network failures (`ECONNRESET`, …). */
  code?: string
}

/** Socket errors raised once the request may have been sent: LiveChat may have applied it. */
const SENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT'])

/**
 * A failure that leaves unknown whether LiveChat applied the call: no answer in time, a gateway's 502 or 504, a
 * connection reset mid-request. 429 and 503 refuse the call before doing it, and a refused connection never sent it.
 */
export const isAmbiguous = ({ status, type, code }: Pick<RetryInput, 'status' | 'type' | 'code'>): boolean => {
  if (status === 502 || status === 504 || type === 'request_timeout') return true
  if (status !== 0) return false
  return type === 'timeout' || (type === 'network' && (code === undefined || SENT_NETWORK_CODES.has(code)))
}

/**
 * 429 and 5xx are retried. Any other 4xx is our request's fault (or an expired token, renewed by the caller):
 * repeating it cannot help; `misdirected_request` is followed once by the transport, not retried with backoff.
 * Without an answer, a timeout is retried, and so is a connection that failed in a way that may not last.
 */
export const shouldRetry = ({ status, type, attempt, elapsedMs, code }: RetryInput): boolean => {
  if (attempt >= MAX_ATTEMPTS || elapsedMs >= TOTAL_BUDGET_MS) return false
  if (status === 429 || status >= 500) return true
  if (status !== 0) return false
  if (type === 'timeout') return true
  return type === 'network' && (code === undefined || TRANSIENT_NETWORK_CODES.has(code))
}

/**
 * Wait before the next attempt. `attempt` is the attempt that just failed (1 for the first).
 * Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], never below a small floor so that a retry is not
 * immediate. A server-sent `Retry-After` wins (capped).
 */
export const backoffMs = (attempt: number, retryAfterSeconds?: number, random: () => number = Math.random): number => {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(Math.round(retryAfterSeconds * 1000), MAX_RETRY_AFTER_MS)
  }
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1))
  const floor = BASE_DELAY_MS / 5
  return Math.round(floor + random() * (ceiling - floor))
}

/**
 * `Retry-After` is either delta-seconds or an HTTP date.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export const parseRetryAfter = (header: unknown, now: number = Date.now()): number | undefined => {
  if (typeof header !== 'string' || header.trim() === '') {
    return undefined
  }
  const value = header.trim()
  if (/^\d+(\.\d+)?$/.test(value)) {
    return Number(value)
  }
  const date = Date.parse(value)
  if (Number.isNaN(date)) {
    return undefined
  }
  return Math.max(0, (date - now) / 1000)
}
