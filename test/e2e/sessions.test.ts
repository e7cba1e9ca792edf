import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chatOf, customersOf, lastThreadOf, postWebhook, registerWebhooks, settle } from '../../testbed/helpers'
import { agentTexts, chatClosed, eventsOf, webhookBody } from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'
import { expectNoSecrets } from './log-audit'

const ANNA = 'anna@example.com'
const BOB = 'bob@example.com'

/**
 * The life of HITL sessions under one design rule: one Botpress conversation per LiveChat thread, its facts in the
 * conversation's tags, the LiveChat customer prepared by createUser. Driven through the public seams only: the
 * runtime's actions and messages, LiveChat's agents and webhooks.
 */
describe('HITL sessions', () => {
  let bed: TestBed

  const start = async (userId: string, title: string) => {
    const { conversationId } = await bed.installation.runAction('startHitl', { userId, title, messageHistory: [] })
    const conversation = bed.botpress.db.findConversation(conversationId)
    const livechatChatId = conversation?.tags.id ?? ''
    return { conversationId, livechatChatId, threadId: conversation?.tags.thread ?? '' }
  }

  beforeAll(async () => {
    bed = await startTestBed()
    await registerWebhooks(bed)
  })
  afterEach(() => {
    // A fault a failed test left unspent must not hit the next test.
    bed.livechat.faults.clear()
    // Whatever the test did, no token, cookie or webhook secret is in the logs or in an answer to the runtime.
    expectNoSecrets(bed)
  })
  afterAll(() => bed?.stop())

  it('createUser still returns the end user when LiveChat fails, and startHitl then prepares the customer', async () => {
    // Every attempt of the token grant fails (the client retries 4 times): the customer cannot be prepared now.
    bed.livechat.faults.inject({ count: 4, kind: 500, match: { api: 'accounts' } })
    const logsBefore = bed.logs().length
    const customersBefore = customersOf(bed.livechat).length
    const { userId } = await bed.installation.runAction('createUser', {
      name: 'Grace Hopper',
      email: 'grace@example.com',
    })
    expect(bed.botpress.db.findUser(userId)).toMatchObject({ name: 'Grace Hopper' })
    expect(customersOf(bed.livechat)).toHaveLength(customersBefore)
    await eventually(() =>
      expect(bed.logs().slice(logsBefore)).toContain('Could not prepare the LiveChat customer yet')
    )

    const session = await start(userId, 'Printer on fire')
    const chat = chatOf(bed.livechat, session.livechatChatId)
    const customer = customersOf(bed.livechat).find((candidate) => candidate.id === chat.customer_id)
    expect(customer).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com' })
    await bed.installation.runAction('stopHitl', { conversationId: session.conversationId })
  })

  it('startHitl works for an end user made without createUser, showing their Botpress name', async () => {
    const user = bed.botpress.seedUser({ name: 'Seeded Sam' })
    const session = await start(user.id, 'Hello')
    const chat = chatOf(bed.livechat, session.livechatChatId)
    expect(customersOf(bed.livechat).find((candidate) => candidate.id === chat.customer_id)).toMatchObject({
      name: 'Seeded Sam',
    })
    await bed.installation.runAction('stopHitl', { conversationId: session.conversationId })
  })

  it('startHitl for an unknown end user fails plainly and opens nothing', async () => {
    const chatsBefore = (bed.livechat.state.chats as unknown[]).length
    const failure = await bed.installation.runAction('startHitl', { userId: 'no-such-user', messageHistory: [] }).then(
      () => 'succeeded',
      (thrown: unknown) => (thrown instanceof Error ? thrown.message : String(thrown))
    )
    expect(failure).toContain('does not exist')
    expect((bed.livechat.state.chats as unknown[]).length).toBe(chatsBefore)
    expectNoSecrets(bed, [failure])
  })

  it('gives each session of a returning end user its own conversation, and stops only the session LiveChat closed', async () => {
    const { userId } = await bed.installation.runAction('createUser', { name: 'Ada', email: 'ada@example.com' })
    const first = await start(userId, 'First question')
    await bed.livechat.agent(ANNA).sendMessage(first.livechatChatId, 'Answer to the first')
    await settle(bed)
    expect(agentTexts(bed, first.conversationId)).toEqual(['Answer to the first'])
    await bed.livechat.agent(ANNA).closeChat(first.livechatChatId)
    await settle(bed)
    expect(eventsOf(bed, 'hitlStopped', first.conversationId)).toHaveLength(1)

    const second = await start(userId, 'Second question')
    expect(second.livechatChatId).toBe(first.livechatChatId)
    expect(second.conversationId).not.toBe(first.conversationId)
    expect(second.threadId).not.toBe(first.threadId)

    // LiveChat delivers the first thread's close again, late: it belongs to the first session, already stopped.
    const late = await postWebhook(
      bed,
      chatClosed(bed, { chatId: first.livechatChatId, threadId: first.threadId }, ANNA)
    )
    expect(late.status).toBe(200)
    await bed.livechat.agent(BOB).sendMessage(second.livechatChatId, 'Answer to the second')
    await settle(bed)
    expect(agentTexts(bed, second.conversationId)).toEqual(['Answer to the second'])
    expect(eventsOf(bed, 'hitlStopped', second.conversationId)).toHaveLength(0)
    expect(eventsOf(bed, 'hitlStopped', first.conversationId)).toHaveLength(1)
    // Each conversation holds its own session's messages only.
    expect(agentTexts(bed, first.conversationId)).toEqual(['Answer to the first'])

    await bed.livechat.agent(BOB).closeChat(second.livechatChatId)
    await settle(bed)
    expect(eventsOf(bed, 'hitlStopped', second.conversationId)).toHaveLength(1)
  })

  it('a webhook without thread_id goes to the chat’s newest session', async () => {
    const { userId } = await bed.installation.runAction('createUser', { name: 'Lin', email: 'lin@example.com' })
    const older = await start(userId, 'Older')
    await bed.installation.runAction('stopHitl', { conversationId: older.conversationId })
    const newer = await start(userId, 'Newer')
    await settle(bed)
    // LiveChat leaves thread_id out of user_added_to_chat when the chat is not active; a relay may drop it too.
    const agent = bed.livechat.seed.agents.find((candidate) => candidate.id === BOB)
    const body = webhookBody(bed, 'user_added_to_chat', {
      chat_id: newer.livechatChatId,
      user: { id: BOB, type: 'agent', name: agent?.name, visibility: 'all', present: true },
      user_type: 'agent',
      reason: 'manual',
      requester_id: BOB,
    })
    expect((await postWebhook(bed, body)).status).toBe(200)
    expect(eventsOf(bed, 'hitlAssigned', newer.conversationId)).toHaveLength(1)
    expect(eventsOf(bed, 'hitlAssigned', older.conversationId)).toHaveLength(0)
    await bed.installation.runAction('stopHitl', { conversationId: newer.conversationId })
  })

  it('a startHitl while an earlier session’s thread is still open closes it quietly and opens a new thread', async () => {
    const { userId } = await bed.installation.runAction('createUser', { name: 'Kim', email: 'kim@example.com' })
    const earlier = await start(userId, 'Open question')
    await bed.livechat.agent(ANNA).sendMessage(earlier.livechatChatId, 'I am here')
    await settle(bed)
    expect(eventsOf(bed, 'hitlAssigned', earlier.conversationId)).toHaveLength(1)

    // The plugin's session ended without stopHitl closing the chat (LiveChat was down then); the bot asks again.
    const next = await start(userId, 'Open question, again')
    expect(next.conversationId).not.toBe(earlier.conversationId)
    expect(next.livechatChatId).toBe(earlier.livechatChatId)
    const chat = chatOf(bed.livechat, next.livechatChatId)
    expect(chat.threads.find((thread) => thread.id === earlier.threadId)?.active).toBe(false)
    expect(lastThreadOf(chat)).toMatchObject({ id: next.threadId, active: true })
    await settle(bed)
    // Closing the earlier thread stopped nobody: the plugin would have applied it to the end user's new session.
    expect(eventsOf(bed, 'hitlStopped', earlier.conversationId)).toHaveLength(0)
    expect(eventsOf(bed, 'hitlStopped', next.conversationId)).toHaveLength(0)

    await bed.livechat.agent(ANNA).sendMessage(next.livechatChatId, 'Still here')
    await settle(bed)
    expect(agentTexts(bed, next.conversationId)).toEqual(['Still here'])
    // A first message is stored at once; its agent's announcement follows it, within the same delivery.
    expect(eventsOf(bed, 'hitlAssigned', next.conversationId)).toHaveLength(1)
    await bed.livechat.agent(ANNA).closeChat(next.livechatChatId)
    await settle(bed)
    expect(eventsOf(bed, 'hitlStopped', next.conversationId)).toHaveLength(1)
  })

  it('a late stopHitl of an earlier session closes nothing of the end user’s current one', async () => {
    const { userId } = await bed.installation.runAction('createUser', { name: 'Max', email: 'max@example.com' })
    const first = await start(userId, 'First')
    await bed.livechat.agent(ANNA).closeChat(first.livechatChatId)
    await settle(bed)
    expect(eventsOf(bed, 'hitlStopped', first.conversationId)).toHaveLength(1)
    const second = await start(userId, 'Second')
    expect(second.livechatChatId).toBe(first.livechatChatId)

    // The plugin's stopHitl for the first session arrives late, or again: it is over already, nothing to close.
    for (let i = 0; i < 2; i++) {
      await expect(
        bed.installation.runAction('stopHitl', { conversationId: first.conversationId })
      ).resolves.toBeDefined()
    }
    await settle(bed)
    expect(lastThreadOf(chatOf(bed.livechat, second.livechatChatId))).toMatchObject({
      id: second.threadId,
      active: true,
    })
    expect(eventsOf(bed, 'hitlStopped', second.conversationId)).toHaveLength(0)
    expect(eventsOf(bed, 'hitlStopped', first.conversationId)).toHaveLength(1)

    // The current session's own stopHitl still closes its thread.
    await bed.installation.runAction('stopHitl', { conversationId: second.conversationId })
    expect(lastThreadOf(chatOf(bed.livechat, second.livechatChatId))).toMatchObject({
      id: second.threadId,
      active: false,
    })
  })
})
