/** One overall deadline for a piece of work, handed down so that each step asks it before starting something new. */
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
 * How long startHitl and one bot message may start new LiveChat work. Their caller gives up after 60 s (the Botpress
 * client's timeout); the 15 s left cover the calls in flight, the notice of what was left out and the Botpress writes.
 */
export const HANDLER_DEADLINE_MS = 45_000

/** A time limit from the environment when it is shorter than `limit`: the tests shorten, nothing lengthens. */
export const shortenedByEnv = (name: string, limit: number): number => {
  const configured = Number(process.env[name])
  return Number.isFinite(configured) && configured > 0 && configured < limit ? configured : limit
}

export const handlerDeadline = (): Deadline =>
  deadlineIn(shortenedByEnv('LIVECHAT_HITL_DEADLINE_MS', HANDLER_DEADLINE_MS))

/**
 * A LiveChat webhook's whole time. LiveChat waits about 10 s for the answer, then delivers again
 * (platform.text.com/docs/guides/livechat-apps), and the runtime's relay and a cold start come out of those 10 s.
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
 * `work`, or a DeadlineExceededError when the deadline comes first; nothing starts once it has passed. The work cannot
 * be cancelled (the Botpress client takes no abort signal): its answer is ignored.
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
