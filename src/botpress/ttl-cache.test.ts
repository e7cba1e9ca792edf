import { describe, expect, it } from 'vitest'
import { TtlCache } from './ttl-cache'

const clock = () => {
  let now = 1_000
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

describe('TtlCache', () => {
  it('returns what was set until it expires', () => {
    const time = clock()
    const cache = new TtlCache<string>({ maxEntries: 10, ttlMs: 100, now: time.now })
    cache.set('a', 'A')
    time.advance(99)
    expect(cache.get('a')).toBe('A')
    time.advance(1)
    expect(cache.get('a')).toBeUndefined()
  })

  it('takes a shorter expiry per entry but never a longer one', () => {
    const time = clock()
    const cache = new TtlCache<string>({ maxEntries: 10, ttlMs: 100, now: time.now })
    cache.set('short', 'S', 10)
    cache.set('long', 'L', 10_000)
    cache.set('expired', 'E', -5)
    time.advance(50)
    expect(cache.get('short')).toBeUndefined()
    expect(cache.get('expired')).toBeUndefined()
    expect(cache.get('long')).toBe('L')
    time.advance(50)
    expect(cache.get('long')).toBeUndefined()
  })

  it('evicts the least recently used entry beyond its size', () => {
    const cache = new TtlCache<number>({ maxEntries: 2, ttlMs: 1_000 })
    cache.set('a', 1)
    cache.set('b', 2)
    expect(cache.get('a')).toBe(1)
    cache.set('c', 3)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBe(1)
    expect(cache.get('c')).toBe(3)
  })

  it('forgets an entry on delete', () => {
    const cache = new TtlCache<number>({ maxEntries: 5, ttlMs: 1_000 })
    cache.set('a', 1)
    cache.set('b', 2)
    cache.delete('a')
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('b')).toBe(2)
  })
})
