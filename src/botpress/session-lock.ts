import { randomUUID } from 'node:crypto'
import { Client } from './types'
import { isUnsupportedEndpoint } from './unsupported'

/** Long enough for a few Botpress calls; a copy that died holding the lease blocks the chat no longer than this. */
export const LEASE_MS = 15_000
/** Below LiveChat's 10 s webhook timeout: a delivery that cannot get the lease fails, and LiveChat delivers again. */
const WAIT_MS = 7_000
const POLL_MIN_MS = 20
const POLL_MAX_MS = 80

const UNSUPPORTED = Symbol('unsupported')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export class SessionBusyError extends Error {
  public override readonly name = 'SessionBusyError'
}

/**
 * Runs `work` while holding the conversation's lease, so that two deliveries about the same chat (a redelivery, a
 * join and the first message, on two served copies) decide one after the other on a freshly read session.
 *
 * Only Botpress state is shared between copies, and the one atomic write it offers is getOrSetState: whoever finds
 * their own random owner in the answer holds the lease. The other waits in short jittered polls; this costs nothing
 * when nobody else holds it (one call to take, one to release) and is only used for rare session changes, never on
 * the path of an ordinary message. The lease expires on its own if its holder dies.
 */
export const withSessionLock = async <T>(
  client: Client,
  botpressConversationId: string,
  work: () => Promise<T>
): Promise<T> => {
  const owner = randomUUID()
  const address = { type: 'conversation', id: botpressConversationId, name: 'lock' } as const
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const claimed = await client
      .getOrSetState({ ...address, payload: { owner }, expiry: LEASE_MS })
      .then(({ state }) => state.payload.owner === owner)
      .catch((thrown: unknown) => {
        // A runtime without get-or-set cannot lease: decide without the lease (at-least-once instead of exactly-once
        // under races) rather than refuse every session change.
        if (isUnsupportedEndpoint(thrown)) return UNSUPPORTED
        throw thrown
      })
    if (claimed === UNSUPPORTED) return work()
    if (claimed) break
    if (Date.now() >= deadline) {
      throw new SessionBusyError(`The HITL session of conversation ${botpressConversationId} stayed busy`)
    }
    await sleep(POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS))
  }
  try {
    return await work()
  } finally {
    // Released even when work failed, so that LiveChat's redelivery finds the session free.
    await client.setState({ ...address, payload: null }).catch(() => undefined)
  }
}
