import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { deliver, pinnedDriver } from '../../testbed/fixtures'
import { customersOf, postWebhook, registerWebhooks, settle } from '../../testbed/helpers'
import {
  OpenedSession,
  agentJoined,
  agentTexts,
  agentWrote,
  chatClosed,
  currentThreadId,
  customerTexts,
  eventsOf,
  openSession,
  sendAsEndUser,
  tally,
} from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'
import { expectNoSecrets } from './log-audit'

const ANNA = 'anna@example.com'
const BOB = 'bob@example.com'

/**
 * Two served copies of the bundle; the Botpress emulator hands runtime calls and relayed webhooks to them in turn, as
 * the cloud runs many copies. Nothing may depend on what one copy remembers: deduplication, assignment, stopping and
 * token renewal all hold when the copies take turns on (and race on) the same chat.
 */
describe('two served instances', () => {
  let bed: TestBed

  /** Which copies answered the relayed webhooks and runtime calls since `index`. */
  const instancesUsedSince = (index: number) =>
    new Set(bed.botpress.operations.slice(index).map((operation) => operation.integrationUrl)).size

  const chatOfSession = (session: OpenedSession) => ({
    chatId: session.livechatChatId,
    threadId: currentThreadId(bed, session.livechatChatId),
  })

  beforeAll(async () => {
    bed = await startTestBed({ instances: 2, livechat: { webhookRetryDelaysMs: [150, 300, 600] } })
    await registerWebhooks(bed)
  })
  afterEach(() => {
    // A fault, a delivery mode or a clock a test left behind must not reach the next test.
    bed.livechat.faults.clear()
    bed.botpress.faults.clear()
    bed.livechat.deliveryMode({ duplicate: 0, reorder: false })
    bed.livechat.clock.reset()
    // Whatever the test did, no token, cookie or webhook secret is in either copy's logs or answers.
    expectNoSecrets(bed)
  })
  afterAll(() => bed?.stop())

  it('gives one message and one hitlAssigned when a join and the first message race, each delivered three times', async () => {
    const session = await openSession(bed, 'Ada', 'ada@example.com')
    await settle(bed)
    const chat = chatOfSession(session)
    const before = bed.botpress.operations.length
    const join = agentJoined(bed, chat, ANNA)
    const message = agentWrote(bed, chat, ANNA, `${chat.threadId}_race`, 'racing hello')

    const answers = await Promise.all([join, message, join, message, join, message].map((b) => postWebhook(bed, b)))

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200])
    expect(instancesUsedSince(before)).toBe(2)
    expect(agentTexts(bed, session.conversationId)).toEqual(['racing hello'])
    expect(eventsOf(bed, 'hitlAssigned', session.conversationId)).toHaveLength(1)
  })

  it('stores an agent’s first messages in the order they were written while their join is still being announced', async () => {
    const session = await openSession(bed, 'Edsger', 'edsger@example.com')
    await settle(bed)
    const chat = chatOfSession(session)
    const [A, B] = [pinnedDriver(bed, 0), pinnedDriver(bed, 1)]
    const before = bed.botpress.calls.length
    // The join, on copy A, is slow to announce: its read of the session and its release of the lease lag (the release
    // long enough for the messages below to be handled meanwhile even on a busy machine).
    bed.botpress.faults.inject({ count: 1, delayMs: 200, match: { method: 'GET', path: /\/assignment$/ } })
    bed.botpress.faults.inject({ count: 1, delayMs: 1_000, match: { method: 'POST', path: /\/lock$/ } })
    let joinAnswered = false
    const join = deliver(A, JSON.parse(agentJoined(bed, chat, ANNA))).finally(() => {
      joinAnswered = true
    })
    await eventually(() =>
      expect(bed.botpress.calls.slice(before).some((call) => call.path.endsWith('/lock/get-or-set'))).toBe(true)
    )

    // The agent writes twice meanwhile, on the other copy. The first message is stored without waiting for the join's
    // lease; the second comes once the join is remembered.
    const first = await deliver(B, JSON.parse(agentWrote(bed, chat, ANNA, `${chat.threadId}_first`, 'first words')))
    expect(joinAnswered).toBe(false)
    await eventually(() => expect(eventsOf(bed, 'hitlAssigned', session.conversationId)).toHaveLength(1))
    const second = await deliver(B, JSON.parse(agentWrote(bed, chat, ANNA, `${chat.threadId}_second`, 'second words')))

    expect([await join, first, second]).toEqual([200, 200, 200])
    expect(agentTexts(bed, session.conversationId)).toEqual(['first words', 'second words'])
    expect(eventsOf(bed, 'hitlAssigned', session.conversationId)).toHaveLength(1)
  })

  it('stops the session once when the close is delivered four times at once to both copies', async () => {
    const session = await openSession(bed, 'Grace', 'grace@example.com')
    await settle(bed)
    const closed = chatClosed(bed, chatOfSession(session), BOB)

    const answers = await Promise.all([1, 2, 3, 4].map(() => postWebhook(bed, closed)))

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200])
    expect(eventsOf(bed, 'hitlStopped', session.conversationId)).toHaveLength(1)
  })

  it('keeps a conversation whole when both copies take turns on its messages and redelivered webhooks', async () => {
    const session = await openSession(bed, 'Alan', 'alan@example.com')
    await settle(bed)
    const before = bed.botpress.operations.length
    bed.livechat.deliveryMode({ duplicate: 0.5, reorder: true })
    for (let round = 1; round <= 6; round++) {
      await sendAsEndUser(bed, session, `user ${round}`)
      await bed.livechat.agent(ANNA).sendMessage(session.livechatChatId, `agent ${round}`)
    }
    await settle(bed)

    expect(instancesUsedSince(before)).toBe(2)
    const rounds = [1, 2, 3, 4, 5, 6]
    expect(tally(agentTexts(bed, session.conversationId))).toEqual(
      Object.fromEntries(rounds.map((round) => [`agent ${round}`, 1]))
    )
    expect(customerTexts(bed, session.livechatChatId).filter((text) => text.startsWith('user '))).toEqual(
      rounds.map((round) => `user ${round}`)
    )
    expect(eventsOf(bed, 'hitlAssigned', session.conversationId)).toHaveLength(1)
  })

  it('renews an expired customer token once, on one copy, and the other copy writes with the renewed token', async () => {
    const session = await openSession(bed, 'Linus', 'linus@example.com')
    // Only the two sends may count below: the opening's webhooks land first.
    await settle(bed)
    const customers = customersOf(bed.livechat).length
    bed.livechat.clock.advance(9 * 3600)
    const before = bed.livechat.calls.length
    const operationsBefore = bed.botpress.operations.length

    await sendAsEndUser(bed, session, 'late 1')
    await sendAsEndUser(bed, session, 'late 2')

    // Each send on its own copy (nothing else runs meanwhile, so the turns are the two sends').
    const sends = bed.botpress.operations.slice(operationsBefore).filter((op) => op.operation === 'message_created')
    expect(new Set(sends.map((op) => op.integrationUrl)).size).toBe(2)
    expect(customerTexts(bed, session.livechatChatId).slice(-2)).toEqual(['late 1', 'late 2'])
    expect(customersOf(bed.livechat)).toHaveLength(customers)
    // One renewal in all. A copy that still holds the old token in its process cache is refused once, then finds the
    // token the other copy stored: no second renewal.
    const calls = tally(bed.livechat.calls.slice(before).map((call) => `${call.api}.${call.action} ${call.status}`))
    expect(calls).toMatchObject({ 'accounts.customer_token 200': 1, 'customer.send_event 200': 2 })
    expect(Object.keys(calls).sort()).toEqual([
      'accounts.customer_token 200',
      'customer.send_event 200',
      'customer.send_event 401',
    ])
  })

  it('delivers both messages, as the same customer, when both copies find the token expired at once', async () => {
    const session = await openSession(bed, 'Barbara', 'barbara@example.com')
    const customers = customersOf(bed.livechat).length
    bed.livechat.clock.advance(9 * 3600)

    await Promise.all([sendAsEndUser(bed, session, 'together 1'), sendAsEndUser(bed, session, 'together 2')])

    expect([...customerTexts(bed, session.livechatChatId)].sort().slice(-2)).toEqual(['together 1', 'together 2'])
    expect(customersOf(bed.livechat)).toHaveLength(customers)
  })
})
