import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  DeadlineExceededError,
  HANDLER_DEADLINE_MS,
  WEBHOOK_DEADLINE_MS,
  deadlineIn,
  earlier,
  handlerDeadline,
  sleepWithin,
  webhookDeadline,
  withinDeadline,
} from './deadline'

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

describe('webhookDeadline', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('leaves a LiveChat webhook 7 s, or less through LIVECHAT_HITL_WEBHOOK_DEADLINE_MS, never more', () => {
    vi.stubEnv('LIVECHAT_HITL_WEBHOOK_DEADLINE_MS', '')
    expect(webhookDeadline().remainingMs()).toBeGreaterThan(WEBHOOK_DEADLINE_MS - 1_000)
    vi.stubEnv('LIVECHAT_HITL_WEBHOOK_DEADLINE_MS', '300')
    expect(webhookDeadline().remainingMs()).toBeLessThanOrEqual(300)
    vi.stubEnv('LIVECHAT_HITL_WEBHOOK_DEADLINE_MS', '60000')
    expect(webhookDeadline().remainingMs()).toBeLessThanOrEqual(WEBHOOK_DEADLINE_MS)
  })
})

describe('earlier, withinDeadline, sleepWithin', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('takes whichever deadline comes first', () => {
    let now = 0
    const both = earlier(
      deadlineIn(100, () => now),
      deadlineIn(300, () => now)
    )
    expect(both.remainingMs()).toBe(100)
    now = 100
    expect(both.expired()).toBe(true)
  })

  it('gives up on work still running at the deadline, and starts none after it', async () => {
    vi.useFakeTimers()
    const never = new Promise<string>(() => undefined)
    let gaveUp = false
    const slow = withinDeadline(deadlineIn(20), 'a slow call', () => never).catch((thrown: unknown) => {
      gaveUp = true
      throw thrown
    })
    const failed = expect(slow).rejects.toBeInstanceOf(DeadlineExceededError)
    await vi.advanceTimersByTimeAsync(19)
    expect(gaveUp).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await failed
    let started = false
    const work = async () => {
      started = true
      return 'done'
    }
    await expect(withinDeadline(deadlineIn(0), 'a late call', work)).rejects.toBeInstanceOf(DeadlineExceededError)
    expect(started).toBe(false)
    await expect(withinDeadline(deadlineIn(1_000), 'a quick call', work)).resolves.toBe('done')
  })

  it('does not sleep past the deadline, and sleeps the whole time within it', async () => {
    vi.useFakeTimers()
    await expect(sleepWithin(deadlineIn(50), 100, 'a retry')).rejects.toBeInstanceOf(DeadlineExceededError)
    let woke = false
    const sleeping = sleepWithin(deadlineIn(1_000), 100, 'a retry').then(() => {
      woke = true
    })
    await vi.advanceTimersByTimeAsync(99)
    expect(woke).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await sleeping
    expect(woke).toBe(true)
  })
})
