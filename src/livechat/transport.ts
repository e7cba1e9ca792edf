import axios, { type AxiosInstance, type AxiosResponse } from 'axios'
import type { ZodType, ZodTypeDef } from 'zod'
import { type LiveChatApi, customerTokenUrl, webApiActionUrl } from './endpoints'
import { type Failure, type LiveChatApiError, failureFromResponse, failureFromZod, toLiveChatApiError } from './errors'
import { isRegion } from './region'
import {
  MAX_ATTEMPTS,
  NOT_REPEATABLE,
  REQUEST_TIMEOUT_MS,
  TOTAL_BUDGET_MS,
  backoffMs,
  isAmbiguous,
  parseRetryAfter,
  shouldRetry,
} from './retry'

/** What the client needs from a logger; Botpress' `logger.forBot()` fits. Lines never hold secrets. */
export type LiveChatLogger = {
  debug(message: string): void
  warn(message: string): void
}

export type TransportOptions = {
  logger?: LiveChatLogger
  /** Injected in tests so that backoff does not wait. */
  sleep?: (ms: number) => Promise<void>
  /** Injected in tests so that jitter is predictable. */
  random?: () => number
  now?: () => number
  /** Per-request timeout; 8 s by default. */
  timeoutMs?: number
  /** When every call must be over, retries included: a webhook's answer cannot wait. Else 25 s per call. */
  deadline?: TransportDeadline
}

/** What the transport needs of a deadline: the time left, 0 once past. */
export type TransportDeadline = { remainingMs(): number }

export type Credentials =
  | { scheme: 'Basic' | 'Bearer'; value: string; region: string | undefined }
  | { scheme: 'none'; cookies?: string }

export type Call<T> = {
  api: LiveChatApi
  /** LiveChat action (`send_event`), or `customer_token` for the accounts server. */
  action: string
  credentials: Credentials
  body: unknown
  query?: Record<string, string>
  schema: ZodType<T, ZodTypeDef, unknown>
  /** Exact secret values to mask in anything thrown or logged. */
  secrets: readonly string[]
  /**
   * For a call LiveChat must not apply twice (retry.ts NOT_REPEATABLE): after an answer that was lost, finds what the
   * call did (its answer, rebuilt from a read), or undefined when it was not applied and may be sent again.
   */
  applied?: () => Promise<T | undefined>
}

export type CallResult<T> = { data: T; headers: Record<string, unknown> }

const _defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The only code that does HTTP. One retry loop for the four APIs: 429, 5xx, timeouts and connection resets are
 * retried with backoff (see retry.ts); `misdirected_request` is followed once to `error.data.region`, which is then
 * kept for the rest of this transport's life. A call the agent would see twice (a message, a chat) is not repeated
 * after a failure that leaves unknown whether LiveChat applied it: its `applied` check looks first.
 */
export class Transport {
  private readonly _http: AxiosInstance
  private readonly _logger: LiveChatLogger | undefined
  private readonly _sleep: (ms: number) => Promise<void>
  private readonly _random: () => number
  private readonly _now: () => number
  private readonly _timeoutMs: number
  private readonly _deadline: TransportDeadline | undefined
  private _regionOverride: string | undefined

  public constructor(options: TransportOptions = {}) {
    this._logger = options.logger
    this._sleep = options.sleep ?? _defaultSleep
    this._random = options.random ?? Math.random
    this._now = options.now ?? Date.now
    this._timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS
    this._deadline = options.deadline
    this._http = axios.create({
      // A redirect would replay the Authorization header somewhere LiveChat did not document.
      maxRedirects: 0,
      responseType: 'json',
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
      validateStatus: (status) => status >= 200 && status < 300,
    })
  }

  /** The region learnt from a `misdirected_request`, if any. */
  public get region(): string | undefined {
    return this._regionOverride
  }

  public async call<T>(call: Call<T>): Promise<CallResult<T>> {
    const operation = `${call.api}.${call.action}`
    const notRepeatable = NOT_REPEATABLE.has(operation)
    const started = this._now()
    let followedMisdirect = false
    let attempt = 0

    for (;;) {
      attempt++
      const region = call.credentials.scheme === 'none' ? undefined : (this._regionOverride ?? call.credentials.region)
      const url = call.api === 'accounts' ? customerTokenUrl() : webApiActionUrl(call.api, call.action)
      const outcome = await this._attempt(call, url, region, started)
      if ('data' in outcome) return outcome
      const { failure } = outcome

      const target = failure.data?.region
      if (failure.type === 'misdirected_request' && !followedMisdirect && isRegion(target) && target !== region) {
        // LiveChat: "use the prefix returned in the error as the value of X-Region". Once per call.
        followedMisdirect = true
        this._regionOverride = target
        this._logger?.warn(`LiveChat ${operation}: misdirected request, switching X-Region to "${target}"`)
        continue
      }

      // After an ambiguous failure, a call the agent would see twice is sent again only once its check said that
      // LiveChat did not apply it; without a check, the caller decides.
      const ambiguous = notRepeatable && isAmbiguous(failure)
      const elapsedMs = this._now() - started
      const retry =
        shouldRetry({ status: failure.status, type: failure.type, attempt, elapsedMs, code: failure.code }) &&
        (!ambiguous || call.applied !== undefined)
      const delay = retry ? backoffMs(attempt, failure.retryAfterSeconds, this._random) : 0
      const error = () => this._error(failure, { operation, attempts: attempt, call, url, region, ambiguous })
      const outOfTime =
        elapsedMs + delay >= TOTAL_BUDGET_MS || (this._deadline !== undefined && delay >= this._deadline.remainingMs())
      if (!retry || outOfTime) {
        throw error()
      }
      this._logger?.warn(
        `LiveChat ${operation} failed (${failure.status ? `${failure.status} ` : ''}${failure.code ?? failure.type}), ` +
          `attempt ${attempt} of ${MAX_ATTEMPTS}; ${ambiguous ? 'checking whether it was applied' : 'retrying'} in ${delay} ms`
      )
      await this._sleep(delay)
      if (ambiguous && call.applied) {
        const applied = await call.applied().catch(() => {
          throw error()
        })
        if (applied !== undefined) {
          this._logger?.warn(`LiveChat ${operation} had been applied before its answer was lost; not sent again`)
          return { data: applied, headers: {} }
        }
      }
    }
  }

  /** One request: its validated answer, or what went wrong. */
  private async _attempt<T>(
    call: Call<T>,
    url: string,
    region: string | undefined,
    started: number
  ): Promise<CallResult<T> | { failure: Failure }> {
    const remaining = Math.min(
      TOTAL_BUDGET_MS - (this._now() - started),
      this._deadline?.remainingMs() ?? Number.POSITIVE_INFINITY
    )
    // Without a deadline, a last attempt gets at least a second; with one, never more than what is left.
    const timeoutMs = Math.min(this._timeoutMs, Math.max(this._deadline ? 0 : 1_000, remaining))
    try {
      if (timeoutMs <= 0) throw new _Timeout()
      const response = await this._send(call, url, region, timeoutMs)
      const parsed = call.schema.safeParse(response.data)
      if (parsed.success) {
        return { data: parsed.data, headers: { ...response.headers } }
      }
      return { failure: failureFromZod(response.status, parsed.error) }
    } catch (thrown) {
      return { failure: this._classify(thrown) }
    }
  }

  private async _send(call: Call<unknown>, url: string, region: string | undefined, timeoutMs: number) {
    const headers: Record<string, string> = { Accept: 'application/json' }
    const isMultipart = call.body instanceof FormData
    if (!isMultipart) {
      headers['Content-Type'] = 'application/json'
    }
    const { credentials } = call
    if (credentials.scheme === 'none') {
      if (credentials.cookies) {
        headers.Cookie = credentials.cookies
      }
    } else {
      headers.Authorization = `${credentials.scheme} ${credentials.value}`
    }
    if (region && call.api !== 'accounts') {
      headers['X-Region'] = region
    }

    // axios' own timeout only covers an idle socket; the abort also bounds a slow trickle.
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      return await this._http.request<unknown, AxiosResponse<unknown>>({
        method: 'POST',
        url,
        params: call.query,
        data: call.body,
        headers,
        timeout: timeoutMs,
        signal: controller.signal,
      })
    } catch (thrown) {
      if (controller.signal.aborted && axios.isCancel(thrown)) {
        throw new _Timeout()
      }
      throw thrown
    } finally {
      clearTimeout(timer)
    }
  }

  private _classify(thrown: unknown): Failure {
    if (thrown instanceof _Timeout) {
      return { status: 0, type: 'timeout' }
    }
    if (axios.isAxiosError(thrown)) {
      if (thrown.response) {
        const retryAfter = parseRetryAfter(thrown.response.headers['retry-after'], this._now())
        return failureFromResponse(thrown.response.status, thrown.response.data, retryAfter)
      }
      const code = thrown.code
      if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
        return { status: 0, type: 'timeout', code }
      }
      const cause: unknown = thrown.cause
      const causeCode =
        cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined
      return { status: 0, type: 'network', code: code && code !== 'ERR_NETWORK' ? code : causeCode }
    }
    return { status: 0, type: 'network' }
  }

  private _error(
    failure: Failure,
    how: { operation: string; attempts: number; call: Call<unknown>; url: string; region?: string; ambiguous: boolean }
  ): LiveChatApiError {
    const transient = shouldRetry({
      status: failure.status,
      type: failure.type,
      attempt: 1,
      elapsedMs: 0,
      code: failure.code,
    })
    const { operation, attempts, call, url, region, ambiguous } = how
    return toLiveChatApiError(
      failure,
      { operation, attempts, timeoutMs: this._timeoutMs, secrets: call.secrets, host: _host(url), region, ambiguous },
      transient
    )
  }
}

class _Timeout extends Error {}

const _host = (url: string): string | undefined => {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}
