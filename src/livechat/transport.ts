import axios, { type AxiosResponse } from 'axios'
import type { ZodType, ZodTypeDef } from 'zod'
import { type LiveChatApi, customerTokenUrl, webApiActionUrl } from './endpoints'
import { type Failure, failureFromZod, failureOf, toLiveChatApiError } from './failure'
import { isRegion } from './region'
import {
  MAX_ATTEMPTS,
  NOT_REPEATABLE,
  REQUEST_TIMEOUT_MS,
  TOTAL_BUDGET_MS,
  backoffMs,
  isAmbiguous,
  shouldRetry,
} from './retry'

export type TransportOptions = {
  /** For retries and region switches; lines never hold secrets. */
  logger?: { warn(message: string): void }
  /** Injected in tests, so that backoff does not wait. */
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  /** A signal that aborts after `ms`; injected in tests, so that a stalled request is given up without waiting. */
  abortAfter?: (ms: number) => AbortSignal
  /** When every call must be over, retries included (a webhook's answer cannot wait); else 25 s per call. */
  deadline?: { remainingMs(): number }
  /** One request's time; at most (and by default) REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number
}

export type Call<T> = {
  api: LiveChatApi
  /** LiveChat action (`send_event`), or `customer_token` for the accounts server. */
  action: string
  credentials:
    | { scheme: 'Basic' | 'Bearer'; value: string; region: string | undefined }
    | { scheme: 'none'; cookies?: string }
  body: unknown
  query?: Record<string, string>
  schema: ZodType<T, ZodTypeDef, unknown>
  /** Exact secret values to mask in anything thrown or logged. */
  secrets: readonly string[]
  /** For a call not to apply twice (NOT_REPEATABLE), after a lost answer: its answer rebuilt from a read, if applied. */
  applied?: () => Promise<T | undefined>
}

type CallResult<T> = { data: T; headers: Record<string, unknown> }
type Outcome<T> = CallResult<T> | { failure: Failure }

/** Where one attempt of a call stands. */
type Attempt = { operation: string; attempt: number; started: number; url: string; region: string | undefined }

/**
 * The only code that does HTTP, with one retry loop for the four APIs (policy in retry.ts). `misdirected_request` is
 * followed once to `error.data.region`, kept for the rest of this transport's life.
 */
export class Transport {
  // A redirect would replay the Authorization header somewhere LiveChat did not document. axios rejects non-2xx.
  private readonly _http = axios.create({ maxRedirects: 0, responseType: 'json' })
  private readonly _options: TransportOptions
  private readonly _requestTimeoutMs: number
  private _regionOverride: string | undefined
  public readonly now: () => number

  public constructor(options: TransportOptions = {}) {
    this._options = options
    this.now = options.now ?? Date.now
    this._requestTimeoutMs = Math.min(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS)
  }

  public async call<T>(call: Call<T>): Promise<CallResult<T>> {
    const operation = `${call.api}.${call.action}`
    const started = this.now()
    let followedMisdirect = false
    for (let attempt = 1; ; attempt++) {
      const region = call.credentials.scheme === 'none' ? undefined : (this._regionOverride ?? call.credentials.region)
      const url = call.api === 'accounts' ? customerTokenUrl() : webApiActionUrl(call.api, call.action)
      const outcome = await this._attempt(call, url, region, started)
      if ('data' in outcome) return outcome
      if (!followedMisdirect && this._followMisdirect(operation, outcome.failure, region)) {
        followedMisdirect = true
        continue
      }
      const applied = await this._afterFailure(call, outcome.failure, { operation, attempt, started, url, region })
      if (applied) return applied
    }
  }

  /** LiveChat: "use the prefix returned in the error as the value of X-Region". */
  private _followMisdirect(operation: string, failure: Failure, region: string | undefined): boolean {
    const target = failure.data?.region
    if (failure.type !== 'misdirected_request' || !isRegion(target) || target === region) return false
    this._regionOverride = target
    this._options.logger?.warn(`LiveChat ${operation}: misdirected request, switching X-Region to "${target}"`)
    return true
  }

  /**
   * Throws when the failure is final; else waits out the backoff. After an ambiguous failure a call the agent would
   * see twice goes again only once its `applied` check found nothing (what it found is returned); without a check,
   * it is not repeated.
   */
  private async _afterFailure<T>(call: Call<T>, failure: Failure, at: Attempt): Promise<CallResult<T> | undefined> {
    const { operation, attempt } = at
    const ambiguous = NOT_REPEATABLE.has(operation) && isAmbiguous(failure)
    const elapsedMs = this.now() - at.started
    const retry =
      shouldRetry({ status: failure.status, type: failure.type, attempt, elapsedMs, code: failure.code }) &&
      (!ambiguous || call.applied !== undefined)
    const delay = retry ? backoffMs(attempt, failure.retryAfterSeconds) : 0
    const error = () => this._error(failure, call, at, ambiguous)
    const remainingMs = this._options.deadline?.remainingMs() ?? Number.POSITIVE_INFINITY
    if (!retry || elapsedMs + delay >= TOTAL_BUDGET_MS || delay >= remainingMs) {
      throw error()
    }
    this._options.logger?.warn(
      `LiveChat ${operation} failed (${failure.status ? `${failure.status} ` : ''}${failure.code ?? failure.type}), ` +
        `attempt ${attempt} of ${MAX_ATTEMPTS}; ${ambiguous ? 'checking whether it was applied' : 'retrying'} in ${delay} ms`
    )
    await (this._options.sleep ?? _sleep)(delay)
    if (!ambiguous || !call.applied) return undefined
    const applied = await call.applied().catch(() => {
      throw error()
    })
    if (applied === undefined) return undefined
    this._options.logger?.warn(`LiveChat ${operation} had been applied before its answer was lost; not sent again`)
    return { data: applied, headers: {} }
  }

  /** One request: its validated answer, or what went wrong. The abort bounds it whole, a slow trickle of bytes too. */
  private async _attempt<T>(
    call: Call<T>,
    url: string,
    region: string | undefined,
    started: number
  ): Promise<Outcome<T>> {
    const { deadline, abortAfter } = this._options
    const remaining = Math.min(
      TOTAL_BUDGET_MS - (this.now() - started),
      deadline?.remainingMs() ?? Number.POSITIVE_INFINITY
    )
    // Without a deadline, a last attempt gets at least a second; with one, never more than what is left.
    const timeoutMs = Math.min(this._requestTimeoutMs, Math.max(deadline ? 0 : 1_000, remaining))
    if (timeoutMs <= 0) return { failure: { status: 0, type: 'timeout' } }
    const signal = abortAfter?.(timeoutMs) ?? AbortSignal.timeout(timeoutMs)
    try {
      const headers = _headers(call, region)
      const request = { method: 'POST', url, params: call.query, data: call.body, headers, signal }
      const response = await this._http.request<unknown, AxiosResponse<unknown>>(request)
      const parsed = call.schema.safeParse(response.data)
      if (parsed.success) return { data: parsed.data, headers: { ...response.headers } }
      return { failure: failureFromZod(response.status, parsed.error) }
    } catch (thrown) {
      const aborted = signal.aborted && axios.isCancel(thrown)
      return { failure: aborted ? { status: 0, type: 'timeout' } : failureOf(thrown, this.now()) }
    }
  }

  private _error(failure: Failure, call: Call<unknown>, at: Attempt, ambiguous: boolean) {
    const { operation, attempt: attempts, url, region } = at
    const host = URL.canParse(url) ? new URL(url).origin : undefined
    const ctx = { operation, attempts, timeoutMs: this._requestTimeoutMs, secrets: call.secrets, host, region }
    return toLiveChatApiError(failure, { ...ctx, ambiguous })
  }
}

const _sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** JSON, or multipart for `upload_file`; the credentials; `X-Region` for the Web APIs. */
const _headers = ({ body, credentials, api }: Call<unknown>, region: string | undefined): Record<string, string> => ({
  Accept: 'application/json',
  ...(!(body instanceof FormData) && { 'Content-Type': 'application/json' }),
  ...(credentials.scheme !== 'none' && { Authorization: `${credentials.scheme} ${credentials.value}` }),
  ...(credentials.scheme === 'none' && credentials.cookies && { Cookie: credentials.cookies }),
  ...(region && api !== 'accounts' && { 'X-Region': region }),
})
