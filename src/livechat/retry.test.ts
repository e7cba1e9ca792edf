import { describe, expect, it } from 'vitest'
import {
  MAX_ATTEMPTS,
  MAX_DELAY_MS,
  TOTAL_BUDGET_MS,
  backoffMs,
  isAmbiguous,
  parseRetryAfter,
  shouldRetry,
} from './retry'

const base = { attempt: 1, elapsedMs: 0 }

describe('shouldRetry', () => {
  it.each([
    [429, 'too_many_requests'],
    [500, 'internal'],
    [502, 'http_error'],
    [503, 'service_unavailable'],
    [504, 'request_timeout'],
  ])('retries %i %s', (status, type) => {
    expect(shouldRetry({ ...base, status, type })).toBe(true)
  })

  it.each([
    [400, 'validation'],
    [401, 'authentication'],
    [403, 'authorization'],
    [404, 'not_found'],
    [413, 'entity_too_large'],
    [421, 'misdirected_request'],
    [422, 'chat_inactive'],
  ])('never retries %i %s', (status, type) => {
    expect(shouldRetry({ ...base, status, type })).toBe(false)
  })

  it('retries timeouts and connection resets or refusals', () => {
    expect(shouldRetry({ ...base, status: 0, type: 'timeout' })).toBe(true)
    expect(shouldRetry({ ...base, status: 0, type: 'network', code: 'ECONNRESET' })).toBe(true)
    expect(shouldRetry({ ...base, status: 0, type: 'network', code: 'ECONNREFUSED' })).toBe(true)
  })

  it('does not retry a DNS name that does not exist', () => {
    expect(shouldRetry({ ...base, status: 0, type: 'network', code: 'ENOTFOUND' })).toBe(false)
  })

  it('does not retry a response it could not understand', () => {
    expect(shouldRetry({ ...base, status: 200, type: 'invalid_response' })).toBe(false)
  })

  it('stops after the last attempt', () => {
    expect(shouldRetry({ status: 503, type: 'internal', attempt: MAX_ATTEMPTS - 1, elapsedMs: 0 })).toBe(true)
    expect(shouldRetry({ status: 503, type: 'internal', attempt: MAX_ATTEMPTS, elapsedMs: 0 })).toBe(false)
  })

  it('stops once the time budget is spent', () => {
    expect(shouldRetry({ status: 503, type: 'internal', attempt: 1, elapsedMs: TOTAL_BUDGET_MS })).toBe(false)
  })
})

describe('backoffMs', () => {
  it('grows exponentially with full jitter up to a cap', () => {
    const top = () => 0.999999
    expect(backoffMs(1, undefined, top)).toBeLessThanOrEqual(500)
    expect(backoffMs(2, undefined, top)).toBeLessThanOrEqual(1000)
    expect(backoffMs(3, undefined, top)).toBeGreaterThan(1000)
    expect(backoffMs(20, undefined, top)).toBeLessThanOrEqual(MAX_DELAY_MS)
  })

  it('spreads retries over the whole window rather than a fixed delay', () => {
    expect(backoffMs(3, undefined, () => 0)).toBeLessThan(backoffMs(3, undefined, () => 0.9))
    expect(backoffMs(3, undefined, () => 0)).toBeGreaterThan(0)
  })

  it('honours Retry-After, capped', () => {
    expect(backoffMs(1, 2)).toBe(2000)
    expect(backoffMs(1, 0)).toBe(0)
    expect(backoffMs(1, 3600)).toBeLessThan(TOTAL_BUDGET_MS)
  })
})

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3)
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })
})

describe('isAmbiguous', () => {
  it.each([
    [502, 'internal', undefined],
    [504, 'request_timeout', undefined],
    [408, 'request_timeout', undefined],
    [0, 'timeout', undefined],
    [0, 'network', 'ECONNRESET'],
    [0, 'network', 'EPIPE'],
    [0, 'network', undefined],
  ])('leaves unknown whether %i %s (%s) was applied', (status, type, code) => {
    expect(isAmbiguous({ status, type, code })).toBe(true)
  })

  it.each([
    [429, 'too_many_requests', undefined],
    [503, 'service_unavailable', undefined],
    [500, 'internal', undefined],
    [400, 'validation', undefined],
    [0, 'network', 'ECONNREFUSED'],
    [0, 'network', 'EAI_AGAIN'],
  ])('takes %i %s (%s) as refused before it was applied', (status, type, code) => {
    expect(isAmbiguous({ status, type, code })).toBe(false)
  })
})
