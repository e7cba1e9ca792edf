import { RuntimeError, isApiError } from '@botpress/sdk'
import { Deadline, DeadlineExceededError, sleepWithin } from './deadline'
import { Client } from './types'

/** Short waits: LiveChat gives the whole webhook about 10 s. */
const RETRY_DELAYS_MS = [100, 400]

/** A server error or no answer at all (the client itself retries 429/502); never running out of time. */
const isTransient = (thrown: unknown): boolean =>
  isApiError(thrown)
    ? thrown.code >= 500
    : !(thrown instanceof RuntimeError) && !(thrown instanceof DeadlineExceededError) && thrown instanceof Error

/**
 * The message tagged with this LiveChat event id, created if absent (one call that deduplicates and creates). Retried
 * a couple of times while `deadline` leaves time: LiveChat redelivers a failed webhook only 3 times within about a
 * minute, and a brief Botpress hiccup should not use those up.
 */
export const getOrCreateMessage = async (
  client: Client,
  input: Parameters<Client['createMessage']>[0],
  deadline: Deadline
): Promise<{ id: string }> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await client.getOrCreateMessage(input)).message
    } catch (thrown) {
      const delay = RETRY_DELAYS_MS[attempt]
      if (delay === undefined || !isTransient(thrown)) throw thrown
      // No time to wait and try again: the failure itself is the answer.
      await sleepWithin(deadline, delay, 'a retry').catch(() => Promise.reject(thrown))
    }
  }
}
