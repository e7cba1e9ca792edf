import { afterEach, describe, expect, it, vi } from 'vitest'
import { HANDLER_DEADLINE_MS, deadlineIn, handlerDeadline } from './deadline'

describe('deadlineIn', () => {
  it('counts down on the clock it is given and expires at its end', () => {
    let now = 1_000
    const deadline = deadlineIn(500, () => now)
    expect(deadline.remainingMs()).toBe(500)
    expect(deadline.expired()).toBe(false)
    now = 1_499
    expect(deadline.remainingMs()).toBe(1)
    now = 1_500
    expect(deadline.expired()).toBe(true)
    now = 9_000
    expect(deadline.remainingMs()).toBe(0)
  })
})

describe('handlerDeadline', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('is the handler deadline by default', () => {
    vi.stubEnv('LIVECHAT_HITL_DEADLINE_MS', '')
    const remaining = handlerDeadline().remainingMs()
    expect(remaining).toBeGreaterThan(HANDLER_DEADLINE_MS - 1_000)
    expect(remaining).toBeLessThanOrEqual(HANDLER_DEADLINE_MS)
  })

  it('can be shortened, never lengthened, by LIVECHAT_HITL_DEADLINE_MS', () => {
    vi.stubEnv('LIVECHAT_HITL_DEADLINE_MS', '200')
    expect(handlerDeadline().remainingMs()).toBeLessThanOrEqual(200)
    for (const value of ['600000', 'soon', '-5', '0']) {
      vi.stubEnv('LIVECHAT_HITL_DEADLINE_MS', value)
      expect(handlerDeadline().remainingMs()).toBeGreaterThan(HANDLER_DEADLINE_MS - 1_000)
    }
  })
})
