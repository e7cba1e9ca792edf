import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SEED } from '../../emulators/livechat'
import { chatOf, failureOf, lastThreadOf } from '../../testbed/helpers'
import { TEST_GROUP_ID, TestBed, startTestBed } from '../../testbed/test-bed'
import { expectNoSecrets } from './log-audit'

const QUINN = 'quinn@example.com'
const QUEUE_GROUP = 31
const OFFLINE_GROUP = 23
const SALES_GROUP = 41

/**
 * getAvailability through `bp serve`: list_group_statuses as the installation's own LiveChat customer, at most one
 * LiveChat call, none for a group this copy answered within 30 seconds, and an error (never `online`) when LiveChat
 * cannot tell. Each test asks about groups no other test asked about: the 30-second cache lives in the served copy.
 */
describe('getAvailability', () => {
  let bed: TestBed

  const ask = (groupId?: number) =>
    bed.installation.runAction('getAvailability', groupId === undefined ? {} : { groupId })
  const livechatCalls = async (run: () => Promise<unknown>) => {
    const before = bed.livechat.calls.length
    await run()
    return bed.livechat.calls.slice(before).map((call) => `${call.api}.${call.action}`)
  }

  beforeAll(async () => {
    bed = await startTestBed({
      livechat: {
        seed: {
          groups: [
            ...DEFAULT_SEED.groups,
            { id: QUEUE_GROUP, name: 'Queue', agentIds: [QUINN] },
            { id: SALES_GROUP, name: 'Sales', agentIds: ['anna@example.com'] },
          ],
          agents: [
            ...DEFAULT_SEED.agents,
            {
              id: QUINN,
              name: 'Quinn Busy',
              avatar: 'https://cdn.example.com/avatars/quinn.png',
              routingStatus: 'accepting_chats',
              accountId: '0b3c7a52-43f0-4c39-9a0c-5d3f2f1f6b11',
              role: 'normal',
              maxChats: 1,
            },
          ],
        },
      },
    })
  })
  afterEach(() => {
    // A fault or a clock a test left behind must not reach the next test.
    bed.livechat.faults.clear()
    bed.livechat.clock.reset()
    expectNoSecrets(bed)
  })
  afterAll(() => bed?.stop())

  it('answers online for the configured group, then nothing more from LiveChat for 30 s on this copy', async () => {
    expect(await ask()).toEqual({ groupId: TEST_GROUP_ID, status: 'online' })
    const calls = await livechatCalls(async () => {
      expect(await ask(TEST_GROUP_ID)).toEqual({ groupId: TEST_GROUP_ID, status: 'online' })
    })
    expect(calls).toEqual([])
    // One LiveChat customer stands for the installation, kept in its state: no customer per question.
    const customers = (bed.livechat.state.customers as unknown[]).length
    await ask(0)
    expect((bed.livechat.state.customers as unknown[]).length).toBe(customers)
  })

  it('answers queue when every accepting agent is at their chat limit, and offline when nobody accepts chats', async () => {
    const { userId } = await bed.installation.runAction('createUser', { name: 'Queued Quentin' })
    const { conversationId } = await bed.installation.runAction('startHitl', {
      userId,
      hitlSession: { groupId: QUEUE_GROUP },
      messageHistory: [],
    })
    const livechatChatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
    await bed.livechat.agent(QUINN).join(livechatChatId)
    expect(await ask(QUEUE_GROUP)).toEqual({ groupId: QUEUE_GROUP, status: 'queue' })
    expect(await ask(OFFLINE_GROUP)).toEqual({ groupId: OFFLINE_GROUP, status: 'offline' })
  })

  it('hands over into an offline group all the same: the chat waits in LiveChat', async () => {
    const { userId } = await bed.installation.runAction('createUser', { name: 'Night Owl' })
    const { conversationId } = await bed.installation.runAction('startHitl', {
      userId,
      title: 'Anyone there?',
      hitlSession: { groupId: OFFLINE_GROUP },
      messageHistory: [],
    })
    const chat = chatOf(bed.livechat, bed.botpress.db.findConversation(conversationId)?.tags.id ?? '')
    expect(chat.access.group_ids).toEqual([OFFLINE_GROUP])
    expect(lastThreadOf(chat).active).toBe(true)
    expect(chat.users.filter((user) => user.type === 'agent')).toEqual([])
  })

  it('fails plainly for a group LiveChat does not list', async () => {
    expect(await failureOf(ask(77))).toContain('LiveChat has no group 77')
  })

  it('fails when LiveChat does not answer, never reporting a status it does not know, and asks again next time', async () => {
    // The client tries a 503 four times in all (Retry-After 0: no waiting here): every attempt fails.
    bed.livechat.faults.inject({ count: 4, kind: 503, retryAfterSeconds: 0, match: { action: 'list_group_statuses' } })
    const failure = await failureOf(ask(19 + 1000))
    expect(failure).toContain('Could not tell whether LiveChat group 1019 is available')
    // The failure was not cached: the next question reaches LiveChat and gets its answer.
    const calls = await livechatCalls(async () => {
      expect(await failureOf(ask(19 + 1000))).toContain('LiveChat has no group 1019')
    })
    expect(calls).toEqual(['customer.list_group_statuses'])
  })

  it('renews the availability customer’s token once when LiveChat refuses it, as the same customer', async () => {
    // The installation's availability customer exists and this copy holds its token (from this question, or from an
    // earlier one that this copy still remembers).
    expect(await ask(TEST_GROUP_ID)).toEqual({ groupId: TEST_GROUP_ID, status: 'online' })
    const customers = (bed.livechat.state.customers as unknown[]).length
    // LiveChat's clock runs past the token's 8 hours; the integration's still thinks it fresh.
    bed.livechat.clock.advance(9 * 3600)
    const calls = await livechatCalls(async () => {
      expect(await ask(SALES_GROUP)).toEqual({ groupId: SALES_GROUP, status: 'online' })
    })
    expect(calls).toEqual(['customer.list_group_statuses', 'accounts.customer_token', 'customer.list_group_statuses'])
    expect((bed.livechat.state.customers as unknown[]).length).toBe(customers)
  })
})
