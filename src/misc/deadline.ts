/**
 * One overall deadline for a piece of work (an action, a message): a value handed down, so that each step asks it
 * before starting something new and a test hands in a short one instead of waiting real seconds.
 */
export type Deadline = {
  /** Milliseconds left; 0 once past. */
  remainingMs(): number
  expired(): boolean
}

export const deadlineIn = (ms: number, now: () => number = Date.now): Deadline => {
  const end = now() + ms
  return { remainingMs: () => Math.max(0, end - now()), expired: () => now() >= end }
}

/**
 * How long startHitl and one bot message may start new LiveChat work. Whoever waits for them gives up after 60 s
 * (the Botpress client's timeout, ../shared/reference/botpress-runtime.md, the only bound it documents); the 15 s
 * left cover what still runs after the deadline: the calls in flight, the chat itself (startHitl), the one notice of
 * what was left out and the Botpress writes, each normally well under a second. (A LiveChat call that keeps failing
 * may retry for up to 25 s, src/livechat/retry.ts: then nothing fits anyway, and the caller sees the failure.)
 */
export const HANDLER_DEADLINE_MS = 45_000

/** `LIVECHAT_HITL_DEADLINE_MS` may shorten it (the tests do, to pass it without waiting), never lengthen it. */
export const handlerDeadline = (): Deadline => {
  const configured = Number(process.env.LIVECHAT_HITL_DEADLINE_MS)
  const shorter = Number.isFinite(configured) && configured > 0 && configured < HANDLER_DEADLINE_MS
  return deadlineIn(shorter ? configured : HANDLER_DEADLINE_MS)
}
