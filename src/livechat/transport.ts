import axios, { type AxiosInstance, type AxiosResponse } from 'axios'
import type { ZodType, ZodTypeDef } from 'zod'
import { type LiveChatApi, customerTokenUrl, webApiActionUrl } from './endpoints'
import { type Failure, type LiveChatApiError, failureFromResponse, failureFromZod, toLiveChatApiError } from './errors'
import { isRegion } from './region'
import { MAX_ATTEMPTS, REQUEST_TIMEOUT_MS, TOTAL_BUDGET_MS, backoffMs, parseRetryAfter, shouldRetry } from './retry'

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
}

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
}

export type CallResult<T> = { data: T; headers: Record<string, unknown> }

const _defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The only code that does HTTP. One retry loop for the four APIs: 429, 5xx, timeouts and connection resets are
 * retried with backoff (see retry.ts); `misdirected_request` is followed once to `error.data.region`, which is then
 * kept for the rest of this transport's life.
 */
export class Transport {
  private readonly _http: AxiosInstance
  private readonly _logger: LiveChatLogger | undefined
  private readonly _sleep: (ms: number) => Promise<void>
  private readonly _random: () => number
  private readonly _now: () => number
  private readonly _timeoutMs: number
  private _regionOverride: string | undefined

  public constructor(options: TransportOptions = {}) {
    this._logger = options.logger
    this._sleep = options.sleep ?? _defaultSleep
    this._random = options.random ?? Math.random
    this._now = options.now ?? Date.now
    this._timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS
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
    const started = this._now()
    let followedMisdirect = false
    let attempt = 0

    for (;;) {
      attempt++
      const region = call.credentials.scheme === 'none' ? undefined : (this._regionOverride ?? call.credentials.region)
      const remaining = TOTAL_BUDGET_MS - (this._now() - started)
      const timeoutMs = Math.min(this._timeoutMs, Math.max(1_000, remaining))
      const url = call.api === 'accounts' ? customerTokenUrl() : webApiActionUrl(call.api, call.action)

      let failure: Failure
      try {
        const response = await this._send(call, url, region, timeoutMs)
        const parsed = call.schema.safeParse(response.data)
        if (parsed.success) {
          return { data: parsed.data, headers: { ...response.headers } }
        }
        failure = failureFromZod(response.status, parsed.error)
      } catch (thrown) {
        failure = this._classify(thrown)
      }

      const target = failure.data?.region
      if (failure.type === 'misdirected_request' && !followedMisdirect && isRegion(target) && target !== region) {
        // LiveChat: "use the prefix returned in the error as the value of X-Region". Once per call.
        followedMisdirect = true
        this._regionOverride = target
        this._logger?.warn(`LiveChat ${operation}: misdirected request, switching X-Region to "${target}"`)
        continue
      }

      const elapsedMs = this._now() - started
      const retry = shouldRetry({ status: failure.status, type: failure.type, attempt, elapsedMs, code: failure.code })
      const delay = retry ? backoffMs(attempt, failure.retryAfterSeconds, this._random) : 0
      if (!retry || elapsedMs + delay >= TOTAL_BUDGET_MS) {
        throw this._error(failure, operation, attempt, call, url, region)
      }
      this._logger?.warn(
        `LiveChat ${operation} failed (${failure.status ? `${failure.status} ` : ''}${failure.code ?? failure.type}), ` +
          `attempt ${attempt} of ${MAX_ATTEMPTS}; retrying in ${delay} ms`
      )
      await this._sleep(delay)
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
    operation: string,
    attempts: number,
    call: Call<unknown>,
    url: string,
    region: string | undefined
  ): LiveChatApiError {
    const transient = shouldRetry({
      status: failure.status,
      type: failure.type,
      attempt: 1,
      elapsedMs: 0,
      code: failure.code,
    })
    return toLiveChatApiError(
      failure,
      { operation, attempts, timeoutMs: this._timeoutMs, secrets: call.secrets, host: _host(url), region },
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
