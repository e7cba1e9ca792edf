import { randomUUID } from 'node:crypto'
import { boundedClient } from '../botpress/bounded-client'
import { Deadline, DeadlineExceededError, deadlineIn, earlier, shortenedByEnv, sleepWithin } from '../botpress/deadline'
import { isNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'

/**
 * The conversation's lease: work under it, so that two deliveries about the same chat (a redelivery, a join and the
 * first message, on two served copies) decide one after the other on a freshly read session. Only Botpress state is
 * shared between copies, and its one atomic write is getOrSetState: whoever finds their own random owner in the answer
 * holds the lease, which expires on its own if its holder dies.
 *
 * - `work` gets a client bounded by a deadline well inside the lease (a fifth of it spare), so a holder never writes
 *   after its lease could have expired and been taken by someone else.
 * - The release deletes the lease only while it is surely ours: within that deadline by our own clock, else after
 *   reading that the owner is still us (a holder whose process stalled past its lease must not free the next one's).
 */
const POLL_MIN_MS = 20
const POLL_MAX_MS = 80

/**
 * How long a lease lives if its holder never releases it: longer than any webhook (webhookDeadline), so that a holder
 * always finishes or gives up within it. `LIVECHAT_HITL_LEASE_MS` may shorten it (the tests do).
 */
export const LEASE_MS = 15_000

class SessionBusyError extends Error {
  public override readonly name = 'SessionBusyError'
}

type Address = { type: 'conversation'; id: string; name: 'lock' }
type Claim = 'held' | 'busy'

const runHeld = async <T>(
  client: Client,
  address: Address,
  claim: { owner: string; at: number; leaseMs: number; deadline: Deadline },
  work: (client: Client) => Promise<T>
): Promise<T> => {
  const workDeadline = earlier(claim.deadline, deadlineIn(claim.at + claim.leaseMs * 0.8 - Date.now()))
  try {
    return await work(boundedClient(client, workDeadline))
  } finally {
    await release(client, address, claim.owner, workDeadline).catch(() => undefined)
  }
}

const release = async (client: Client, address: Address, owner: string, workDeadline: Deadline): Promise<void> => {
  if (workDeadline.expired() && (await readOwner(client, address)) !== owner) return
  await client.setState({ ...address, payload: null })
}

const readOwner = async (client: Client, address: Address): Promise<string | undefined> => {
  try {
    return (await client.getState(address)).state.payload.owner
  } catch (thrown) {
    if (isNotFound(thrown)) return undefined
    throw thrown
  }
}

const tryClaim = (client: Client, address: Address, owner: string, leaseMs: number): Promise<Claim> =>
  client
    .getOrSetState({ ...address, payload: { owner }, expiry: leaseMs })
    .then(({ state }): Claim => (state.payload.owner === owner ? 'held' : 'busy'))

const addressOf = (botpressConversationId: string): Address => ({
  type: 'conversation',
  id: botpressConversationId,
  name: 'lock',
})

/**
 * Runs `work` under the lease, waiting for it while another delivery holds it. The wait polls with reads: a
 * get-or-set on a held lease is a write, which could keep a dead holder's lease alive. Fails with SessionBusyError
 * (transient) when the lease stays taken until the deadline.
 */
export const withSessionLease = async <T>(
  client: Client,
  botpressConversationId: string,
  deadline: Deadline,
  work: (client: Client) => Promise<T>
): Promise<T> => {
  const address = addressOf(botpressConversationId)
  const owner = randomUUID()
  const leaseMs = shortenedByEnv('LIVECHAT_HITL_LEASE_MS', LEASE_MS)
  for (;;) {
    const at = Date.now()
    const claim = await tryClaim(client, address, owner, leaseMs)
    if (claim === 'held') return runHeld(client, address, { owner, at, leaseMs, deadline }, work)
    do {
      await sleepWithin(deadline, POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS), 'lease').catch(
        (thrown: unknown) => {
          if (!(thrown instanceof DeadlineExceededError)) throw thrown
          throw new SessionBusyError(`The HITL session of conversation ${botpressConversationId} stayed busy`)
        }
      )
    } while ((await readOwner(client, address)) !== undefined)
  }
}

/**
 * Runs `work` under the lease only if it is free right now; `{ held: false }` without waiting when another delivery
 * holds it. For what must not queue behind a session change (an agent message).
 */
export const tryWithSessionLease = async <T>(
  client: Client,
  botpressConversationId: string,
  deadline: Deadline,
  work: (client: Client) => Promise<T>
): Promise<{ held: true; value: T } | { held: false }> => {
  const address = addressOf(botpressConversationId)
  const owner = randomUUID()
  const leaseMs = shortenedByEnv('LIVECHAT_HITL_LEASE_MS', LEASE_MS)
  const at = Date.now()
  const claim = await tryClaim(client, address, owner, leaseMs)
  if (claim === 'busy') return { held: false }
  return { held: true, value: await runHeld(client, address, { owner, at, leaseMs, deadline }, work) }
}
