// Injected failures for the next matching API calls (the `lc.faults.inject` contract in docs/CONTRACTS.md).

export type ApiName = 'agent' | 'customer' | 'configuration' | 'accounts'
/**
 * 429/500/503: answered at once, nothing applied. 'timeout': held, then 504, nothing applied. 'reset': socket closed,
 * nothing applied. 'applied-timeout' / 'applied-502': the call IS applied, then its answer is lost (held then 504, or
 * 502 at once), as when LiveChat times out after doing the work. 'delay': applied normally after `delayMs`.
 */
export type FaultKind = 429 | 500 | 503 | 'timeout' | 'reset' | 'applied-timeout' | 'applied-502' | 'delay'
export type FaultSpec = {
  count: number
  kind: FaultKind
  match?: { api?: ApiName; action?: string }
  retryAfterSeconds?: number
  /** For 'delay': how long the call waits before it is applied. */
  delayMs?: number
}

export class Faults {
  private _queue: FaultSpec[] = []

  public inject(spec: FaultSpec): void {
    if (!Number.isInteger(spec.count) || spec.count < 1) throw new Error('fault count must be a positive integer')
    this._queue.push({ ...spec, ...(spec.match ? { match: { ...spec.match } } : {}) })
  }

  /** Consumes one use of the first fault matching this call, if any. */
  public take(api: ApiName, action: string): FaultSpec | undefined {
    const fault = this._queue.find(
      (f) => (!f.match?.api || f.match.api === api) && (!f.match?.action || f.match.action === action)
    )
    if (!fault) return undefined
    fault.count -= 1
    if (fault.count <= 0) this._queue = this._queue.filter((f) => f !== fault)
    return fault
  }

  public clear(): void {
    this._queue = []
  }

  public get pending(): FaultSpec[] {
    return this._queue.map((f) => ({ ...f }))
  }
}
