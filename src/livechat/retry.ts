/**
 * The retry policy, as pure functions. LiveChat documents rate limits and server errors as transient but publishes
 * neither statuses nor `Retry-After`: both are honoured when present, else exponential backoff with full jitter.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#rate-limits
 */

/** Attempts per call, the first one included. */
export const MAX_ATTEMPTS = 4
/** Total time one call may spend, retries and waits included. */
export const TOTAL_BUDGET_MS = 25_000
export const REQUEST_TIMEOUT_MS = 8_000
const BASE_DELAY_MS = 500
export const MAX_DELAY_MS = 8_000
/** A `Retry-After` longer than this is not worth waiting for inside an action. */
const MAX_RETRY_AFTER_MS = 20_000

/**
 * Calls whose repetition the agent would see (a second message, chat or thread): after an ambiguous failure, their
 * `applied` check looks first. Not `upload_file`: an upload no event uses is never shown and expires after 24 h.
 */
export const NOT_REPEATABLE: ReadonlySet<string> = new Set([
  'customer.start_chat',
  'customer.resume_chat',
  'customer.send_event',
])

/** `status` 0: no response; `attempt`: the one that just failed, from 1; `code`: Node's, for network failures. */
type RetryInput = { status: number; type: string; attempt: number; elapsedMs: number; code?: string }

/** Socket errors raised once the request may have been sent: LiveChat may have applied it. */
const SENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT'])
/** Socket errors that may not last: those, and the ones before anything was sent. */
const TRANSIENT_NETWORK_CODES = new Set([
  ...SENT_NETWORK_CODES,
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
])

/** No answer in time, a gateway's 502 or 504, a reset mid-request: LiveChat may have applied it (never on 429, 503). */
export const isAmbiguous = ({ status, type, code }: Pick<RetryInput, 'status' | 'type' | 'code'>): boolean => {
  if (status === 502 || status === 504 || type === 'request_timeout') return true
  if (status !== 0) return false
  return type === 'timeout' || (type === 'network' && (code === undefined || SENT_NETWORK_CODES.has(code)))
}

/**
 * 429 and 5xx are retried; any other 4xx would fail again (`misdirected_request` is followed by the transport).
 * Without an answer, a timeout is retried, and so is a connection that failed in a way that may not last.
 */
export const shouldRetry = ({ status, type, attempt, elapsedMs, code }: RetryInput): boolean => {
  if (attempt >= MAX_ATTEMPTS || elapsedMs >= TOTAL_BUDGET_MS) return false
  if (status === 429 || status >= 500) return true
  if (status !== 0) return false
  if (type === 'timeout') return true
  return type === 'network' && (code === undefined || TRANSIENT_NETWORK_CODES.has(code))
}

/** Full jitter in [floor, min(cap, base * 2^(attempt-1))], so that a retry is never immediate; `Retry-After` wins. */
export const backoffMs = (attempt: number, retryAfterSeconds?: number, random: () => number = Math.random): number => {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(Math.round(retryAfterSeconds * 1000), MAX_RETRY_AFTER_MS)
  }
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1))
  const floor = BASE_DELAY_MS / 5
  return Math.round(floor + random() * (ceiling - floor))
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110). */
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
