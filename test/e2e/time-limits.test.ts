import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RecordedCall } from '../../emulators/botpress'
import { deliver, pinnedDriver } from '../../testbed/fixtures'
import { postWebhook, registerWebhooks, settle } from '../../testbed/helpers'
import {
  OpenedSession,
  agentJoined,
  agentTexts,
  agentWrote,
  chatClosed,
  currentThreadId,
  deliveriesOfEvent,
  eventsOf,
  openSession,
} from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'
import { expectNoSecrets } from './log-audit'

const ANNA = 'anna@example.com'
/** Shortened for this file only (production: 7 s and 15 s), so that nothing here waits for seconds. */
const DEADLINE_MS = 3_000
const LEASE_MS = 2_000
/** LiveChat gives up on a delivery after ~10 s; the same ratio to the budget here. */
const LIVECHAT_TIMEOUT_MS = 4_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Time limits of the webhook path, with the budget and the session lease shortened through the environment: a
 * webhook answers within its budget whatever Botpress or LiveChat do, and a delivery that stalled while holding the
 * session lease neither emits after losing it nor frees the lease of the delivery that took over.
 */
describe('time limits of the webhook path', () => {
  let bed: TestBed

  beforeAll(async () => {
    bed = await startTestBed({
      instances: 2,
      env: { LIVECHAT_HITL_WEBHOOK_DEADLINE_MS: String(DEADLINE_MS), LIVECHAT_HITL_LEASE_MS: String(LEASE_MS) },
      livechat: { webhookRetryDelaysMs: [300, 300, 300], webhookTimeoutMs: LIVECHAT_TIMEOUT_MS },
    })
    await registerWebhooks(bed)
  })
  afterEach(() => {
    // A fault a failed test left unspent must not hit the next test.
    bed.livechat.faults.clear()
    bed.botpress.faults.clear()
    // Whatever the test did, no token, cookie or webhook secret is in either copy's logs or answers.
    expectNoSecrets(bed)
  })
  afterAll(() => bed?.stop())

  const chatOf = (session: OpenedSession) => ({
    chatId: session.livechatChatId,
    threadId: currentThreadId(bed, session.livechatChatId),
  })

  const ownerAsked = (call: RecordedCall) => (call.body as { payload?: { owner?: string } }).payload?.owner
  const ownerFound = (call: RecordedCall) =>
    (call.response as { state?: { payload?: { owner?: string } } } | undefined)?.state?.payload?.owner

  /** The leases deliveries won since call `since` (get-or-set answered with the caller's own owner), in order. */
  const wonLeases = (since: number): RecordedCall[] =>
    bed.botpress.calls
      .slice(since)
      .filter((call) => call.method === 'POST' && call.path.endsWith('/lock/get-or-set') && call.status === 200)
      .filter((call) => ownerAsked(call) !== undefined && ownerAsked(call) === ownerFound(call))

  const lockOf = (conversationId: string) =>
    bed.botpress.db.states.find((state) => state.name === 'lock' && state.conversationId === conversationId)

  it.each([
    { change: 'an agent joining', event: 'hitlAssigned', read: /\/assignment$/, body: agentJoined },
    { change: 'the chat closing', event: 'hitlStopped', read: /\/stopped$/, body: chatClosed },
  ])(
    '$change: a holder stalled past its lease gives way, and its late release leaves the next holder’s lease alone',
    async ({ event, read, body }) => {
      // An end user of its own per case: the other case's session (closed or not) is none of this one's business.
      const session = await openSession(bed, `Stella ${event}`, `stella.${event.toLowerCase()}@example.com`)
      await settle(bed)
      const webhook = JSON.parse(body(bed, chatOf(session), ANNA))
      const [A, B] = [pinnedDriver(bed, 0), pinnedDriver(bed, 1)]
      const before = bed.botpress.calls.length
      // The close reads `stopped` once before taking the lease: that read passes, the one under the lease is held back,
      // which gives the test the time to stall copy A while it holds the lease.
      if (event === 'hitlStopped')
        bed.botpress.faults.inject({ count: 1, delayMs: 0, match: { method: 'GET', path: read } })
      bed.botpress.faults.inject({ count: 1, delayMs: 400, match: { method: 'GET', path: read } })

      const answerA = deliver(A, webhook)
      await eventually(() => expect(wonLeases(before)).toHaveLength(1))
      process.kill(-(bed.instancePids[0] ?? 0), 'SIGSTOP')
      const claimA = Date.parse(wonLeases(before)[0]?.at ?? '')
      try {
        // B comes while A's lease still runs, waits for it to expire, takes it, and is slow to emit.
        await sleep(Math.max(0, claimA + LEASE_MS - 300 - Date.now()))
        bed.botpress.faults.inject({ count: 1, delayMs: 600, match: { method: 'POST', path: /\/v1\/chat\/events$/ } })
        const answerB = deliver(B, webhook)
        await eventually(() => expect(wonLeases(before)).toHaveLength(2))
        process.kill(-(bed.instancePids[0] ?? 0), 'SIGCONT')

        // A wakes up past its lease: it gives up without emitting, and its release must not delete B's lease.
        expect(await answerA).toBe(500)
        const ownerB = ownerAsked(wonLeases(before)[1] as RecordedCall)
        expect(lockOf(session.conversationId)?.payload).toEqual({ owner: ownerB })
        expect(await answerB).toBe(200)
      } finally {
        process.kill(-(bed.instancePids[0] ?? 0), 'SIGCONT')
      }
      // LiveChat delivers A's webhook again: nothing more to do.
      expect(await deliver(A, webhook)).toBe(200)
      expect(eventsOf(bed, event, session.conversationId)).toHaveLength(1)
    }
  )

  it('answers 500 within its budget when Botpress is slow, and the redelivery stores the message once', async () => {
    const session = await openSession(bed, 'Sam Slow', 'sam@example.com')
    await bed.livechat.agent(ANNA).sendMessage(session.livechatChatId, 'before the slowness')
    await settle(bed)
    // Longer than LiveChat waits: without a budget, LiveChat would give up and deliver again while this one runs on.
    bed.botpress.faults.inject({
      count: 1,
      delayMs: 5_000,
      match: { method: 'POST', path: /messages\/get-or-create$/ },
    })
    const before = bed.botpress.calls.length
    const { eventId } = await bed.livechat.agent(ANNA).sendMessage(session.livechatChatId, 'slow reply')
    await settle(bed)

    const attempts = deliveriesOfEvent(bed, eventId)
    expect(attempts.map((d) => d.status)).toEqual([500, 200])
    // Nothing of the first delivery started after it was answered: no call until LiveChat's redelivery, 300 ms later.
    const answered = Date.parse(attempts[0]?.at ?? '')
    const between = bed.botpress.calls
      .slice(before)
      .filter((call) => Date.parse(call.at) > answered && Date.parse(call.at) < answered + 250)
    expect(between).toEqual([])
    expect(agentTexts(bed, session.conversationId)).toEqual(['before the slowness', 'slow reply'])
  })

  it('answers 500 within its budget when LiveChat is slow to name a new agent, and names them on redelivery', async () => {
    const session = await openSession(bed, 'Lena Late', 'lena@example.com')
    await settle(bed)
    // Bob writes before any join and was never seen: his name comes from LiveChat, which stalls past the budget once,
    // for as long as LiveChat itself waits for a webhook's answer.
    bed.livechat.faults.inject({
      count: 1,
      kind: 'delay',
      delayMs: LIVECHAT_TIMEOUT_MS,
      match: { api: 'agent', action: 'get_chat' },
    })
    const message = agentWrote(bed, chatOf(session), 'bob@example.com', `${chatOf(session).threadId}_bob`, 'Bob here')

    const before = bed.livechat.calls.length
    const first = await postWebhook(bed, message)
    expect(first.status).toBe(500)
    // Answered while LiveChat still held the name back (it records a call once answered): the budget ended the
    // delivery, in time for LiveChat to take the answer.
    expect(bed.livechat.calls.slice(before).filter((call) => call.action === 'get_chat')).toEqual([])
    // LiveChat delivers again.
    expect((await postWebhook(bed, message)).status).toBe(200)
    expect(agentTexts(bed, session.conversationId)).toEqual(['Bob here'])
    expect(bed.botpress.db.users.find((user) => user.tags.agentId === 'bob@example.com')?.name).toBe('Bob Builder')
  })
})
