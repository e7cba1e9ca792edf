import { Deadline, withinDeadline } from './deadline'
import { Client } from './types'

/**
 * The same Botpress client, except that no call starts past the deadline and a call still running then is given up
 * (the pinned client takes no abort signal, and retries 429/502 for up to 6 s on its own), so that a slow Botpress
 * ends in a clean failure rather than in work that carries on after the webhook was answered.
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
