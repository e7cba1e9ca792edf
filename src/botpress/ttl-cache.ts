/**
 * A bounded, expiring in-process cache for facts that only save round trips. Botpress runs many copies and any may be
 * fresh, so every reader works on a miss, and a value is deleted as soon as an API answer shows it stale.
 * Eviction is least recently used: a Map keeps insertion order, and a hit re-inserts its key.
 */
export class TtlCache<V> {
  private readonly _entries = new Map<string, { value: V; expiresAt: number }>()

  public constructor(private readonly _options: { maxEntries: number; ttlMs: number; now?: () => number }) {}

  private _now(): number {
    return this._options.now?.() ?? Date.now()
  }

  public get(key: string): V | undefined {
    const entry = this._entries.get(key)
    this._entries.delete(key)
    if (!entry || entry.expiresAt <= this._now()) return undefined
    this._entries.set(key, entry)
    return entry.value
  }

  /** `ttlMs` shortens the default expiry, e.g. to a token's own expiry; it never lengthens it. */
  public set(key: string, value: V, ttlMs?: number): void {
    const ttl = Math.min(ttlMs ?? this._options.ttlMs, this._options.ttlMs)
    this._entries.delete(key)
    if (ttl <= 0) return
    this._entries.set(key, { value, expiresAt: this._now() + ttl })
    const oldest = this._entries.keys().next()
    if (this._entries.size > this._options.maxEntries && !oldest.done) this._entries.delete(oldest.value)
  }

  public delete(key: string): void {
    this._entries.delete(key)
  }
}
