// Injected failures for the next matching API calls (the `lc.faults.inject` contract in docs/CONTRACTS.md).

export type ApiName = 'agent' | 'customer' | 'configuration' | 'accounts'
export type FaultKind = 429 | 500 | 503 | 'timeout' | 'reset'
export type FaultSpec = {
  count: number
  kind: FaultKind
  match?: { api?: ApiName; action?: string }
  retryAfterSeconds?: number
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
