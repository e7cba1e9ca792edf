import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chatOf, customersOf, lastThreadOf, registerWebhooks, settle } from '../../testbed/helpers'
import { TEST_GROUP_ID, TEST_WEBHOOK_SECRET, TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'

const ANNA = 'anna@example.com'
const BOB = 'bob@example.com'

/**
 * The whole story through `bp serve`: the bot side is driven as the runtime and the HITL plugin would drive it, the
 * agent side through the LiveChat emulator's Agent App. Assertions read HTTP answers and the emulators' state only.
 */
describe('HITL round trip', () => {
  let bed: TestBed
  let made = 0

  type Session = { endUserId: string; conversationId: string; livechatChatId: string }
  /** Each test has an end user of its own (a new email), and a session of its own where it needs one. */
  const newEndUser = async (name = 'Ada Lovelace'): Promise<string> => {
    made += 1
    const email = `${name.split(' ')[0]?.toLowerCase()}-${made}@example.com`
    return (await bed.installation.runAction('createUser', { name, email })).userId
  }
  const openSession = async (title = 'Order problem'): Promise<Session> => {
    const endUserId = await newEndUser()
    const { conversationId } = await bed.installation.runAction('startHitl', {
      userId: endUserId,
      title,
      messageHistory: [],
    })
    const livechatChatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
    await settle(bed)
    return { endUserId, conversationId, livechatChatId }
  }

  const events = (type: string, conversationId: string) =>
    bed.botpress.db.events.filter(
      (event) =>
        event.type.endsWith(type) && (event.payload as { conversationId?: string }).conversationId === conversationId
    )
  const agentUser = (agentId: string) => bed.botpress.db.users.find((user) => user.tags.agentId === agentId)

  beforeAll(async () => {
    bed = await startTestBed({ livechat: { webhookRetryDelaysMs: [200, 400, 800] } })
    await registerWebhooks(bed)
  })
  afterAll(() => bed?.stop())

  it('createUser makes one Botpress user per real email and never keeps the plugin placeholder', async () => {
    const inst = bed.installation
    const customersBefore = customersOf(bed.livechat).length
    const ada = await inst.runAction('createUser', {
      name: 'Ada Lovelace',
      email: 'Ada@Example.com',
      pictureUrl: 'https://example.com/ada.png',
    })
    const again = await inst.runAction('createUser', { name: 'Ada L.', email: 'ada@example.com' })
    const anonymous1 = await inst.runAction('createUser', { name: 'Visitor', email: 'u1@no-reply.bot-1.botpress.com' })
    const anonymous2 = await inst.runAction('createUser', { name: 'Visitor', email: 'u1@no-reply.bot-1.botpress.com' })

    expect(again.userId).toBe(ada.userId)
    expect(anonymous1.userId).not.toBe(anonymous2.userId)
    expect(bed.botpress.db.findUser(ada.userId)).toMatchObject({
      name: 'Ada L.',
      pictureUrl: 'https://example.com/ada.png',
      tags: { email: 'ada@example.com' },
    })
    expect(bed.botpress.db.findUser(anonymous1.userId)?.tags.email).toBeUndefined()
    // The LiveChat customer is prepared at once: one per end user (Ada twice is one customer, with her latest name),
    // never with the placeholder as an email.
    const created = customersOf(bed.livechat).slice(customersBefore)
    expect(created).toHaveLength(3)
    expect(created[0]).toMatchObject({ name: 'Ada L.', email: 'ada@example.com' })
    expect(created.slice(1).every((customer) => !customer.email)).toBe(true)
  })

  it('startHitl opens a chat in the group with the end user as the customer and the request as its opening', async () => {
    const endUserId = await newEndUser('Ada L.')
    const output = await bed.installation.runAction('startHitl', {
      userId: endUserId,
      title: 'Order problem',
      description: 'My parcel never arrived',
      messageHistory: [
        { source: { type: 'user', userId: endUserId }, type: 'text', payload: { text: 'Where is my parcel?' } },
        { source: { type: 'bot' }, type: 'text', payload: { text: 'Let me get a human.' } },
      ],
    })
    const conversation = bed.botpress.db.findConversation(output.conversationId)
    expect(conversation).toMatchObject({ channel: 'hitl' })
    const livechatChatId = conversation?.tags.id ?? ''

    const chat = chatOf(bed.livechat, livechatChatId)
    expect(chat.access.group_ids).toEqual([TEST_GROUP_ID])
    const customer = customersOf(bed.livechat).find((candidate) => candidate.id === chat.customer_id)
    expect(customer).toMatchObject({ name: 'Ada L.', email: `ada-${made}@example.com` })
    const thread = lastThreadOf(chat)
    expect(thread.active).toBe(true)
    expect(thread.events.slice(0, 3)).toMatchObject([
      { type: 'message', text: 'Order problem\n\nMy parcel never arrived', author_id: chat.customer_id },
      { type: 'message', text: 'Where is my parcel?', author_id: chat.customer_id },
      { type: 'system_message', system_message_type: 'botpress.bot_message', text: 'Bot: Let me get a human.' },
    ])
    await settle(bed)
  })

  it('sends what the end user writes as customer messages, in order, and acks them with the LiveChat event id', async () => {
    const { endUserId, conversationId, livechatChatId } = await openSession()
    const inst = bed.installation
    const first = await inst.sendMessage({
      conversationId,
      userId: inst.botUserId,
      type: 'text',
      payload: { text: 'It was order 1234', userId: endUserId },
    })
    const second = await inst.sendMessage({
      conversationId,
      userId: inst.botUserId,
      type: 'text',
      payload: { text: 'Shipped last Monday', userId: endUserId },
    })

    const chat = chatOf(bed.livechat, livechatChatId)
    const texts = lastThreadOf(chat).events.filter(
      (event) => event.author_id === chat.customer_id && event.type === 'message'
    )
    expect(texts.slice(-2).map((event) => event.text)).toEqual(['It was order 1234', 'Shipped last Monday'])
    expect(bed.botpress.db.findMessage(first.id)?.tags.id).toBe(texts.at(-2)?.id)
    expect(bed.botpress.db.findMessage(second.id)?.tags.id).toBe(texts.at(-1)?.id)
    await settle(bed)
    // Our own customer events come back as incoming_event webhooks: none of them may become a Botpress message.
    expect(
      bed.botpress.db.messages.filter((m) => m.conversationId === conversationId && m.direction === 'incoming')
    ).toEqual([])
  })

  it('sends a plugin notice as a system message, never as something the customer typed', async () => {
    const { conversationId, livechatChatId } = await openSession()
    const inst = bed.installation
    await inst.sendMessage({
      conversationId,
      userId: inst.botUserId,
      type: 'text',
      payload: { text: 'Sorry, the user can not receive this type of message' },
    })
    const last = lastThreadOf(chatOf(bed.livechat, livechatChatId)).events.at(-1)
    expect(last).toMatchObject({
      type: 'system_message',
      system_message_type: 'botpress.notice',
      text: 'Sorry, the user can not receive this type of message',
    })
    expect(last?.author_id).toBeUndefined()
  })

  it('brings an agent reply into Botpress from the agent’s own user, and announces the agent', async () => {
    const { conversationId, livechatChatId } = await openSession()
    await bed.livechat.agent(ANNA).sendMessage(livechatChatId, 'Hello Ada, let me check order 1234')
    await settle(bed)

    const anna = agentUser(ANNA)
    expect(anna).toMatchObject({ name: 'Anna Agent', pictureUrl: 'https://cdn.example.com/avatars/anna.png' })
    const replies = bed.botpress.db.messages.filter((m) => m.conversationId === conversationId && m.userId === anna?.id)
    expect(replies).toMatchObject([{ type: 'text', payload: { text: 'Hello Ada, let me check order 1234' } }])
    // Writing joined Anna to the chat: user_added_to_chat and the message arrive together, and announce her once.
    const annaAssigned = events('hitlAssigned', conversationId).filter((event) => event.payload.userId === anna?.id)
    expect(annaAssigned.map((event) => event.payload)).toEqual([{ conversationId, userId: anna?.id }])
    expect(bed.botpress.db.users.filter((user) => user.tags.agentId === livechatChatId)).toEqual([])
  })

  it('brings an agent file in as the matching Botpress type', async () => {
    const { conversationId, livechatChatId } = await openSession()
    const png = Buffer.from('89504e470d0a1a0a', 'hex')
    const { url } = await bed.livechat
      .agent(ANNA)
      .sendFile(livechatChatId, { name: 'label.png', contentType: 'image/png', content: png })
    await bed.livechat.agent(ANNA).sendFile(livechatChatId, {
      name: 'invoice.pdf',
      contentType: 'application/pdf',
      content: Buffer.from('%PDF-1.4'),
    })
    await settle(bed)

    const anna = agentUser(ANNA)
    const files = bed.botpress.db.messages.filter((m) => m.conversationId === conversationId && m.userId === anna?.id)
    expect(files.slice(-2)).toMatchObject([
      { type: 'image', payload: { imageUrl: url } },
      { type: 'file', payload: { title: 'invoice.pdf' } },
    ])
  })

  it('announces the agent a chat is transferred to', async () => {
    const { conversationId, livechatChatId } = await openSession()
    // Anna has the chat (she wrote) when she transfers it to Bob.
    await bed.livechat.agent(ANNA).sendMessage(livechatChatId, 'Let me find Bob')
    await settle(bed)
    await bed.livechat.agent(ANNA).transfer(livechatChatId, { type: 'agent', ids: [BOB] })
    await settle(bed)

    const bob = agentUser(BOB)
    expect(bob).toMatchObject({ name: 'Bob Builder' })
    expect(events('hitlAssigned', conversationId).at(-1)?.payload).toEqual({ conversationId, userId: bob?.id })
  })

  it('stops the session exactly once when the agent closes the chat, even when LiveChat delivers twice', async () => {
    const { conversationId, livechatChatId } = await openSession()
    bed.livechat.deliveryMode({ duplicate: 1 })
    await bed.livechat.agent(BOB).closeChat(livechatChatId)
    await settle(bed)
    bed.livechat.deliveryMode({ duplicate: 0 })

    const deactivations = bed.livechat.deliveries.filter((d) => d.action === 'chat_deactivated' && d.status === 200)
    expect(deactivations.length).toBeGreaterThanOrEqual(2)
    expect(events('hitlStopped', conversationId)).toHaveLength(1)
  })

  it('resumes the same LiveChat chat for the same end user next time, in a new conversation for the new session', async () => {
    const { endUserId, conversationId, livechatChatId } = await openSession()
    await bed.livechat.agent(ANNA).closeChat(livechatChatId)
    await settle(bed)
    const customersBefore = customersOf(bed.livechat).length
    const output = await bed.installation.runAction('startHitl', {
      userId: endUserId,
      title: 'Still no parcel',
      messageHistory: [],
    })
    const chat = chatOf(bed.livechat, livechatChatId)
    expect(chat.threads).toHaveLength(2)
    // One conversation per session: the earlier one keeps its messages, the new one is bridged to the new thread.
    expect(output.conversationId).not.toBe(conversationId)
    expect(bed.botpress.db.findConversation(output.conversationId)?.tags).toMatchObject({
      id: livechatChatId,
      thread: lastThreadOf(chat).id,
      userId: endUserId,
      customerId: chat.customer_id,
    })
    expect(lastThreadOf(chat)).toMatchObject({
      active: true,
      events: [expect.objectContaining({ text: 'Still no parcel' })],
    })
    expect(customersOf(bed.livechat)).toHaveLength(customersBefore)
  })

  it('renews an expired customer token transparently and keeps writing as the same customer', async () => {
    const { endUserId, conversationId, livechatChatId } = await openSession()
    const customersBefore = customersOf(bed.livechat).length
    const callsBefore = bed.livechat.calls.length
    bed.livechat.clock.advance(9 * 3600)
    const inst = bed.installation
    await inst.sendMessage({
      conversationId,
      userId: inst.botUserId,
      type: 'text',
      payload: { text: 'Are you still there?', userId: endUserId },
    })
    const chat = chatOf(bed.livechat, livechatChatId)
    expect(lastThreadOf(chat).events.at(-1)).toMatchObject({
      text: 'Are you still there?',
      author_id: chat.customer_id,
    })
    expect(customersOf(bed.livechat)).toHaveLength(customersBefore)
    // Refused once, renewed once with the identity cookies, sent again.
    expect(bed.livechat.calls.slice(callsBefore).map((call) => `${call.api}.${call.action} ${call.status}`)).toEqual([
      'customer.send_event 401',
      'accounts.customer_token 200',
      'customer.send_event 200',
    ])
  })

  it('stopHitl closes another session’s chat, is idempotent, and leaves hitlStopped to LiveChat', async () => {
    const inst = bed.installation
    const { livechatChatId } = await openSession()
    const grace = await inst.runAction('createUser', { name: 'Grace Hopper', email: 'grace@example.com' })
    const other = await inst.runAction('startHitl', { userId: grace.userId, title: 'Billing', messageHistory: [] })
    const otherChatId = bed.botpress.db.findConversation(other.conversationId)?.tags.id ?? ''
    expect(otherChatId).not.toBe(livechatChatId)

    await expect(inst.runAction('stopHitl', { conversationId: other.conversationId })).resolves.toEqual({})
    expect(lastThreadOf(chatOf(bed.livechat, otherChatId)).active).toBe(false)
    await expect(inst.runAction('stopHitl', { conversationId: other.conversationId })).resolves.toEqual({})
    await settle(bed)

    const stopped = bed.botpress.db.events.filter(
      (event) =>
        event.type.endsWith('hitlStopped') &&
        (event.payload as { conversationId?: string }).conversationId === other.conversationId
    )
    expect(stopped).toEqual([])
  })

  it('never logs a secret, a token, an email or what people wrote', async () => {
    const inst = bed.installation
    const { userId } = await inst.runAction('createUser', { name: 'Eve', email: 'eve@example.com' })
    const { conversationId } = await inst.runAction('startHitl', { userId, title: 'Order problem', messageHistory: [] })
    await inst.sendMessage({
      conversationId,
      userId: inst.botUserId,
      type: 'text',
      payload: { text: 'It was order 1234', userId },
    })
    await eventually(() => expect(bed.logs()).toContain('Started a LiveChat chat for the HITL session'))
    const logs = bed.logs()
    const { agentToken, pat } = bed.livechat.seed
    for (const secret of [TEST_WEBHOOK_SECRET, agentToken, pat.split(':')[1] ?? pat, 'eve@example.com', 'order 1234']) {
      expect(logs).not.toContain(secret)
    }
    expect(logs).toContain('Started a LiveChat chat for the HITL session')
  })

  it('stopHitl on an unknown conversation fails with a clear message', async () => {
    await expect(bed.installation.runAction('stopHitl', { conversationId: 'no-such-conversation' })).rejects.toThrow(
      /no HITL conversation no-such-conversation/
    )
  })
})
