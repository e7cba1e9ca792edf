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

/** A time limit from the environment, in ms, when it is shorter than `limit` (the tests shorten; nothing lengthens). */
export const shortenedByEnv = (name: string, limit: number): number => {
  const configured = Number(process.env[name])
  return Number.isFinite(configured) && configured > 0 && configured < limit ? configured : limit
}

/** `LIVECHAT_HITL_DEADLINE_MS` may shorten it (the tests do, to pass it without waiting), never lengthen it. */
export const handlerDeadline = (): Deadline =>
  deadlineIn(shortenedByEnv('LIVECHAT_HITL_DEADLINE_MS', HANDLER_DEADLINE_MS))

/**
 * A LiveChat webhook's whole time: lease wait, LiveChat lookups, Botpress calls and retries. LiveChat waits about 10 s
 * for the answer, then delivers again (platform.text.com/docs/guides/livechat-apps), and the runtime's relay and a
 * cold start come out of those 10 s too. `LIVECHAT_HITL_WEBHOOK_DEADLINE_MS` may shorten it.
 */
export const WEBHOOK_DEADLINE_MS = 7_000

export const webhookDeadline = (): Deadline =>
  deadlineIn(shortenedByEnv('LIVECHAT_HITL_WEBHOOK_DEADLINE_MS', WEBHOOK_DEADLINE_MS))

/** Whichever of the two comes first. */
export const earlier = (a: Deadline, b: Deadline): Deadline => ({
  remainingMs: () => Math.min(a.remainingMs(), b.remainingMs()),
  expired: () => a.expired() || b.expired(),
})

/** The time was up before the work finished: transient, the sender should try again later. */
export class DeadlineExceededError extends Error {
  public override readonly name = 'DeadlineExceededError'
}

/**
 * `work`, or a DeadlineExceededError when the deadline comes first; nothing starts once it has passed. The work
 * itself cannot be cancelled (the Botpress client takes no abort signal), so its answer is ignored; callers make sure
 * nothing else starts after this throws.
 */
export const withinDeadline = <T>(deadline: Deadline, what: string, work: () => Promise<T>): Promise<T> => {
  if (deadline.expired()) return Promise.reject(new DeadlineExceededError(`Out of time before ${what}`))
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`Out of time during ${what}`)), deadline.remainingMs())
  })
  return Promise.race([work(), expired]).finally(() => clearTimeout(timer))
}

/** Sleeps `ms`, or throws at once when the deadline would pass meanwhile. */
export const sleepWithin = async (deadline: Deadline, ms: number, what: string): Promise<void> => {
  if (deadline.remainingMs() <= ms) throw new DeadlineExceededError(`Out of time to wait for ${what}`)
  await new Promise((resolve) => setTimeout(resolve, ms))
}
