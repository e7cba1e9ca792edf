import { randomUUID } from 'node:crypto'
import { boundedClient } from '../botpress/bounded-client'
import { Deadline, DeadlineExceededError, deadlineIn, earlier, shortenedByEnv, sleepWithin } from '../botpress/deadline'
import { unlessNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'

/**
 * The conversation's lease, so that two deliveries about the same chat (on two served copies) decide one after the
 * other on a freshly read session. Botpress state is all the copies share, and getOrSetState its one atomic write:
 * whoever finds their own random owner in the answer holds the lease, which expires on its own if its holder dies.
 * - `work` gets a client bounded well inside the lease (a fifth spare), so a holder never writes after it expired.
 * - The release deletes the lease only while it is surely ours: within that bound by our own clock, else after reading
 *   that the owner is still us (a holder that stalled past its lease must not free the next one's).
 */
const POLL_MIN_MS = 20
const POLL_MAX_MS = 80

/** Longer than any webhook (webhookDeadline), so a holder always finishes or gives up within it. */
export const LEASE_MS = 15_000

class SessionBusyError extends Error {
  public override readonly name = 'SessionBusyError'
}

type Work<T> = (client: Client) => Promise<T>
type Lease = { client: Client; address: { type: 'conversation'; id: string; name: 'lock' }; owner: string }

const leaseOn = (client: Client, botpressConversationId: string): Lease => ({
  client,
  address: { type: 'conversation', id: botpressConversationId, name: 'lock' },
  owner: randomUUID(),
})

const readOwner = async ({ client, address }: Lease): Promise<string | undefined> =>
  (await unlessNotFound(client.getState(address)))?.state.payload.owner

/** Runs `work` under the lease when it is free now; `held: false` when someone else holds it. */
const tryRun = async <T>(lease: Lease, deadline: Deadline, work: Work<T>) => {
  const { client, address, owner } = lease
  const leaseMs = shortenedByEnv('LIVECHAT_HITL_LEASE_MS', LEASE_MS)
  const at = Date.now()
  const { state } = await client.getOrSetState({ ...address, payload: { owner }, expiry: leaseMs })
  if (state.payload.owner !== owner) return { held: false as const }
  const workDeadline = earlier(deadline, deadlineIn(at + leaseMs * 0.8 - Date.now()))
  try {
    return { held: true as const, value: await work(boundedClient(client, workDeadline)) }
  } finally {
    const ours = !workDeadline.expired() || (await readOwner(lease).catch(() => undefined)) === owner
    if (ours) await client.setState({ ...address, payload: null }).catch(() => undefined)
  }
}

/**
 * Runs `work` under the lease, waiting while another delivery holds it, polling with reads (a get-or-set on a held
 * lease is a write, which could keep a dead holder's lease alive). SessionBusyError (transient) at the deadline.
 */
export const withSessionLease = async <T>(
  client: Client,
  botpressConversationId: string,
  deadline: Deadline,
  work: Work<T>
): Promise<T> => {
  const lease = leaseOn(client, botpressConversationId)
  for (;;) {
    const run = await tryRun(lease, deadline, work)
    if (run.held) return run.value
    do {
      await sleepWithin(deadline, POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS), 'lease').catch(
        (thrown: unknown) => {
          if (!(thrown instanceof DeadlineExceededError)) throw thrown
          throw new SessionBusyError(`The HITL session of conversation ${botpressConversationId} stayed busy`)
        }
      )
    } while ((await readOwner(lease)) !== undefined)
  }
}

/** Runs `work` only if the lease is free right now, for what must not queue behind a session change. */
export const tryWithSessionLease = <T>(
  client: Client,
  botpressConversationId: string,
  deadline: Deadline,
  work: Work<T>
) => tryRun(leaseOn(client, botpressConversationId), deadline, work)
