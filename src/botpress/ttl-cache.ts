/**
 * A small in-process cache with a size bound and an expiry, for facts that only save round trips.
 *
 * Why in process memory at all: `bp serve` (and the cloud's runtime) keeps the module loaded between requests, so a
 * fact learned by one request can spare the next one a Botpress or LiveChat call. Why never more than that: Botpress
 * runs many copies of an integration and any of them may be fresh, so every reader must work on a miss, and a value
 * must be dropped (`delete`) as soon as an API answer shows it stale.
 *
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
    if (!entry) return undefined
    if (entry.expiresAt <= this._now()) {
      this._entries.delete(key)
      return undefined
    }
    this._entries.delete(key)
    this._entries.set(key, entry)
    return entry.value
  }

  /** `ttlMs` shortens the default expiry, e.g. to a token's own expiry; it never lengthens it. */
  public set(key: string, value: V, ttlMs?: number): void {
    const ttl = Math.min(ttlMs ?? this._options.ttlMs, this._options.ttlMs)
    this._entries.delete(key)
    if (ttl <= 0) return
    this._entries.set(key, { value, expiresAt: this._now() + ttl })
    while (this._entries.size > this._options.maxEntries) {
      const oldest = this._entries.keys().next()
      if (oldest.done) break
      this._entries.delete(oldest.value)
    }
  }

  public delete(key: string): void {
    this._entries.delete(key)
  }

  public clear(): void {
    this._entries.clear()
  }

  public get size(): number {
    return this._entries.size
  }
}
