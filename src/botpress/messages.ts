import { RuntimeError, isApiError } from '@botpress/sdk'
import { Deadline, DeadlineExceededError, sleepWithin } from './deadline'
import { Client } from './types'

type CreateMessageInput = Parameters<Client['createMessage']>[0]
/** What callers need of the stored message: its id (the list and create answers type the payload differently). */
type StoredMessage = { id: string }

/** Waits between attempts: short, since LiveChat gives the whole webhook about 10 s. */
const RETRY_DELAYS_MS = [100, 400]

/**
 * A Botpress answer worth trying again at once: a server error, or no answer at all (the client retries 429/502).
 * Running out of time is not: the webhook's deadline has passed, LiveChat redelivers.
 */
const isTransient = (thrown: unknown): boolean =>
  isApiError(thrown)
    ? thrown.code >= 500
    : !(thrown instanceof RuntimeError) && !(thrown instanceof DeadlineExceededError) && thrown instanceof Error

/**
 * Retries an idempotent Botpress write a couple of times before the webhook answers 500. LiveChat redelivers a failed
 * webhook only 3 times within about a minute; a brief Botpress hiccup should not use those up, nor, when it lasts,
 * lose the message. Only for writes deduplicated by tag (a second attempt after a lost answer changes nothing).
 */
const retryTransient = async <T>(deadline: Deadline, run: () => Promise<T>): Promise<T> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run()
    } catch (thrown) {
      const delay = RETRY_DELAYS_MS[attempt]
      if (delay === undefined || !isTransient(thrown)) throw thrown
      // No time to wait and try again: the failure itself is the answer.
      await sleepWithin(deadline, delay, 'a retry').catch(() => Promise.reject(thrown))
    }
  }
}

/**
 * One call that both deduplicates and creates: the message tagged with this LiveChat event id, created if absent.
 * Retries wait only while `deadline` leaves time.
 */
export const getOrCreateMessage = (
  client: Client,
  input: CreateMessageInput,
  deadline: Deadline
): Promise<StoredMessage> => retryTransient(deadline, async () => (await client.getOrCreateMessage(input)).message)
