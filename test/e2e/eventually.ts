import { vi } from 'vitest'

/**
 * Retries `assertion` until it passes (15 s at most, then fails with its own message). For what arrives on its own
 * channel, independently of the HTTP answer the test awaited: `bp serve` output comes over a pipe, so a line logged
 * before an answer can still be unread when the answer is.
 */
export const eventually = (assertion: () => void): Promise<void> =>
  vi.waitFor(assertion, { timeout: 15_000, interval: 20 })
