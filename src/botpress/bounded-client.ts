import { Deadline, withinDeadline } from './deadline'
import { Client } from './types'

/**
 * The same Botpress client, except that no call starts once the deadline has passed and a call still running then is
 * given up (the pinned client takes neither an abort signal nor a per-call timeout, and retries 429/502 for up to 6 s
 * on its own). Whatever runs under a deadline gets this client, so that a slow Botpress ends in a clean failure
 * in time rather than in work that carries on after the webhook was answered.
 */
export const boundedClient = (client: Client, deadline: Deadline): Client =>
  new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) =>
        withinDeadline<unknown>(deadline, `Botpress ${String(property)}`, async () =>
          Reflect.apply(value, target, args)
        )
    },
  })
