import { ApiErrorType } from './errors'

export type FaultMatch = { method?: string; path?: RegExp }

export type FaultSpec = {
  /** How many matching requests fail (or are delayed) before the fault is spent. */
  count: number
  /** The error answered; without it (and with `delayMs`), the request is delayed, then answered as usual. */
  status?: number
  /** Holds the request this long first: a slow cloud, or a call that is applied late. */
  delayMs?: number
  match?: FaultMatch
  /** Defaults to the type Botpress uses for `status` (500 Internal, 429 RateLimited, ...). */
  type?: ApiErrorType
  message?: string
}

export type Fault = FaultSpec & { remaining: number }

/**
 * Makes the next runtime API calls fail, or answer late. Remember that the client retries 429 and 502 (1 s, 2 s, 3 s):
 * prefer 500 or 503 for a failure the integration must handle itself.
 */
export class Faults {
  private readonly _pending: Fault[] = []

  public inject(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, remaining: spec.count }
    this._pending.push(fault)
    return fault
  }

  public clear(): void {
    this._pending.length = 0
  }

  /** Faults not spent yet. */
  public get pending(): readonly Fault[] {
    return this._pending.filter((f) => f.remaining > 0)
  }

  /** Spends one matching fault, if any, and returns it. */
  public take(method: string, path: string): Fault | undefined {
    const fault = this._pending.find(
      (f) =>
        f.remaining > 0 &&
        (!f.match?.method || f.match.method.toUpperCase() === method) &&
        (!f.match?.path || f.match.path.test(path))
    )
    if (fault) fault.remaining -= 1
    return fault
  }
}
