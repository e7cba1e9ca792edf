import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agentAdded, counted, deliver, incomingMessage, names, pinnedDriver } from '../../testbed/fixtures'
import { chatOf, lastThreadOf } from '../../testbed/helpers'
import { TestBed, startTestBed } from '../../testbed/test-bed'

const AGENT = { id: 'agent-one@example.com', name: 'Agent One' }

/**
 * Round trips per operation, counted on the emulators through `bp serve` (counts, never times), so that a change that
 * adds a call fails here. Two served copies of the bundle, driven one at a time: A handles a whole HITL session (its
 * caches warm), B has never seen it (a fresh process). The webhooks are the ones LiveChat would deliver, handed to one
 * copy at a time; LiveChat's own deliveries are off (no `register`), so nothing runs in the background.
 */
describe('round trips', () => {
  let bed: TestBed
  let A: TestBed['installation']
  let B: TestBed['installation']
  let C: TestBed['installation']
  let env: { organizationId: string }
  let endUserId = ''
  let conversationId = ''
  let coldStartConversationId = ''
  const chat = { chatId: '', threadId: '' }

  const refreshThread = () => {
    chat.threadId = lastThreadOf(chatOf(bed.livechat, chat.chatId)).id
  }
  const endUserText = (driver: TestBed['installation'], text: string) =>
    driver.sendMessage({
      conversationId,
      userId: driver.botUserId,
      type: 'text',
      payload: { text, userId: endUserId },
    })
  const agentMessages = () =>
    bed.botpress.db.messages.filter((m) => m.conversationId === conversationId && m.direction === 'incoming')

  beforeAll(async () => {
    bed = await startTestBed({ instances: 3, register: false })
    A = pinnedDriver(bed, 0)
    B = pinnedDriver(bed, 1)
    C = pinnedDriver(bed, 2)
    env = { organizationId: bed.livechat.seed.organizationId }
  })
  afterAll(() => bed?.stop())

  it('createUser: the Botpress user and its LiveChat customer (token, profile), ready before any hand-over', async () => {
    const op = await counted(bed, () => A.runAction('createUser', { name: 'Ada', email: 'ada@example.com' }))
    endUserId = op.result.userId
    expect(names(op).livechat.sort()).toEqual(['accounts.customer_token', 'customer.update_customer'])
    expect(names(op).botpress).toEqual([
      'POST /v1/chat/users/get-or-create',
      'GET /v1/chat/states/user/:id/customer',
      'POST /v1/chat/states/user/:id/customer',
    ])
  })

  it('startHitl for a new end user, warm: the chat, then its conversation beside the customer state', async () => {
    const op = await counted(bed, () =>
      A.runAction('startHitl', { userId: endUserId, title: 'Order problem', messageHistory: [] })
    )
    conversationId = op.result.conversationId
    chat.chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
    refreshThread()
    expect(names(op).livechat).toEqual(['customer.start_chat'])
    expect(names(op).botpress.sort()).toEqual([
      'POST /v1/chat/conversations/get-or-create',
      'POST /v1/chat/states/user/:id/customer',
    ])
  })

  it('startHitl for a new end user on a fresh instance: one state read, the chat, then the conversation and state', async () => {
    const { userId } = await A.runAction('createUser', { name: 'Bea', email: 'bea@example.com' })
    const op = await counted(bed, () => C.runAction('startHitl', { userId, title: 'Cold start', messageHistory: [] }))
    expect(names(op).livechat).toEqual(['customer.start_chat'])
    const [first, ...last] = names(op).botpress
    expect(first).toBe('GET /v1/chat/states/user/:id/customer')
    // These two run side by side: three steps on the critical path.
    expect(last.sort()).toEqual(['POST /v1/chat/conversations/get-or-create', 'POST /v1/chat/states/user/:id/customer'])
    coldStartConversationId = op.result.conversationId
    await C.runAction('stopHitl', { conversationId: op.result.conversationId })
  })

  it('warm: a bot text is one LiveChat call and no Botpress call but the ack', async () => {
    for (const text of ['It was order 1234', 'Shipped last Monday']) {
      const op = await counted(bed, () => endUserText(A, text), { acks: true })
      expect(names(op)).toEqual({ livechat: ['customer.send_event'], botpress: [] })
      expect(op.acks).toHaveLength(1)
    }
  })

  it('warm: the echo of our own customer event costs nothing', async () => {
    const customerId = chatOf(bed.livechat, chat.chatId).customer_id ?? ''
    const op = await counted(bed, () => deliver(A, incomingMessage(env, chat, { authorId: customerId, text: 'echo' })))
    expect(op.result).toBe(200)
    expect(names(op)).toEqual({ livechat: [], botpress: [] })
  })

  it('warm: an agent message is one Botpress call (get-or-create, deduplicated) and no LiveChat call', async () => {
    expect(await deliver(A, agentAdded(env, chat, AGENT))).toBe(200)
    const before = agentMessages().length
    const event = incomingMessage(env, chat, { authorId: AGENT.id, text: 'Hello, I am looking into it' })
    const op = await counted(bed, () => deliver(A, event))
    expect(op.result).toBe(200)
    expect(names(op)).toEqual({ livechat: [], botpress: ['POST /v1/chat/messages/get-or-create'] })
    // LiveChat delivers again: the same single call, and still one message.
    const again = await counted(bed, () => deliver(A, event))
    expect(again.botpress).toHaveLength(1)
    expect(agentMessages()).toHaveLength(before + 1)
  })

  it('cold: a fresh instance sends a bot text with the one state read it could not skip (the customer token)', async () => {
    const op = await counted(bed, () => endUserText(B, 'Sent from the other copy'), { acks: true })
    expect(names(op)).toEqual({
      livechat: ['customer.send_event'],
      botpress: ['GET /v1/chat/states/user/:id/customer'],
    })
    // And warm from then on.
    const next = await counted(bed, () => endUserText(B, 'Again from the other copy'), { acks: true })
    expect(next.livechat.length + next.botpress.length).toBe(1)
  })

  it('cold: the first agent message on a fresh instance is 3 calls: the session by its thread, the agent, the message', async () => {
    const first = await counted(bed, () => deliver(B, incomingMessage(env, chat, { authorId: AGENT.id, text: 'One' })))
    expect(first.livechat).toEqual([])
    // The conversation's tags name the agent announced by A: no state read to know that nothing is to announce.
    expect(names(first).botpress).toEqual([
      'GET /v1/chat/conversations',
      'POST /v1/chat/users/get-or-create',
      'POST /v1/chat/messages/get-or-create',
    ])
    const next = await counted(bed, () => deliver(B, incomingMessage(env, chat, { authorId: AGENT.id, text: 'Two' })))
    expect(names(next)).toEqual({ livechat: [], botpress: ['POST /v1/chat/messages/get-or-create'] })
  })

  it('stopHitl, warm: the session marked stopped beside the chat read (its thread still current), then closed', async () => {
    const op = await counted(bed, () => A.runAction('stopHitl', { conversationId }))
    expect(names(op)).toEqual({
      livechat: ['agent.get_chat', 'agent.deactivate_chat'],
      botpress: ['POST /v1/chat/states/conversation/:id/stopped'],
    })
  })

  it('stopHitl on a fresh instance reads the conversation’s tags first; a closed thread is not closed again', async () => {
    const op = await counted(bed, () => C.runAction('stopHitl', { conversationId }))
    expect(names(op)).toEqual({
      livechat: ['agent.get_chat'],
      botpress: ['GET /v1/chat/conversations/:id', 'POST /v1/chat/states/conversation/:id/stopped'],
    })
  })

  it('startHitl for a returning end user, warm: the chat resumed and the new session’s conversation', async () => {
    const op = await counted(bed, () =>
      A.runAction('startHitl', { userId: endUserId, title: 'Another question', messageHistory: [] })
    )
    expect(op.result.conversationId).not.toBe(conversationId)
    conversationId = op.result.conversationId
    expect(names(op)).toEqual({
      livechat: ['customer.resume_chat'],
      botpress: ['POST /v1/chat/conversations/get-or-create'],
    })
    refreshThread()
    await A.runAction('stopHitl', { conversationId })
  })

  it('startHitl for a returning end user on a fresh instance: one state read more', async () => {
    const op = await counted(bed, () =>
      C.runAction('startHitl', { userId: endUserId, title: 'A third question', messageHistory: [] })
    )
    conversationId = op.result.conversationId
    expect(names(op)).toEqual({
      livechat: ['customer.resume_chat'],
      botpress: ['GET /v1/chat/states/user/:id/customer', 'POST /v1/chat/conversations/get-or-create'],
    })
    refreshThread()
  })

  it('two instances taking turns stay correct without relying on their caches', async () => {
    // The new session was opened by C: neither A nor B knows its conversation nor whether the agent is announced.
    const before = agentMessages().length
    const texts = ['Turn 1', 'Turn 2', 'Turn 3', 'Turn 4']
    for (const [i, text] of texts.entries()) {
      await endUserText(i % 2 === 0 ? A : B, text)
    }
    const customerId = chatOf(bed.livechat, chat.chatId).customer_id
    const sent = lastThreadOf(chatOf(bed.livechat, chat.chatId)).events.filter(
      (event) => event.author_id === customerId && event.type === 'message'
    )
    expect(sent.slice(-4).map((event) => event.text)).toEqual(texts)

    const events = texts.map((text) => incomingMessage(env, chat, { authorId: AGENT.id, text: `Re: ${text}` }))
    for (const [i, event] of events.entries()) {
      expect(await deliver(i % 2 === 0 ? A : B, event)).toBe(200)
      // Every delivery is redelivered to the other copy: deduplicated all the same.
      expect(await deliver(i % 2 === 0 ? B : A, event)).toBe(200)
    }
    expect(
      agentMessages()
        .slice(before)
        .map((m) => (m.payload as { text?: string }).text)
    ).toEqual(texts.map((text) => `Re: ${text}`))
    // The agent was announced exactly once in this session, whichever copy saw the first message.
    const assigned = bed.botpress.db.events.filter(
      (event) =>
        event.type.endsWith('hitlAssigned') &&
        (event.payload as { conversationId?: string }).conversationId === conversationId
    )
    expect(assigned).toHaveLength(1)
  })

  it('an agent Botpress never saw, writing before any join: named by LiveChat once, announced, then 1 call', async () => {
    const bob = { id: 'bob@example.com' }
    const first = await counted(bed, () =>
      deliver(A, incomingMessage(env, chat, { authorId: bob.id, text: 'Bob here' }))
    )
    expect(first.result).toBe(200)
    // Bob is not among the chat's users (this webhook was handed in directly): his name comes from the Configuration API.
    expect(names(first).livechat).toEqual(['agent.get_chat', 'configuration.get_agent'])
    // The user made and named beside the read of the session, the message, then the announcement (lease, fresh states,
    // state, event, tag, release). Calls inside a step run side by side, so they are compared as a set.
    const calls = names(first).botpress
    expect(calls.indexOf('POST /v1/chat/messages/get-or-create')).toBeLessThan(
      calls.indexOf('POST /v1/chat/states/conversation/:id/lock/get-or-set')
    )
    expect(names(first).botpress.sort()).toEqual(
      [
        'POST /v1/chat/users/get-or-create',
        'PUT /v1/chat/users/:id',
        'GET /v1/chat/states/conversation/:id/assignment',
        'POST /v1/chat/states/conversation/:id/lock/get-or-set',
        'GET /v1/chat/states/conversation/:id/assignment',
        'GET /v1/chat/states/conversation/:id/stopped',
        'POST /v1/chat/events',
        'POST /v1/chat/states/conversation/:id/assignment',
        'PUT /v1/chat/conversations/:id',
        'POST /v1/chat/states/conversation/:id/lock',
        'POST /v1/chat/messages/get-or-create',
      ].sort()
    )
    expect(bed.botpress.db.users.find((user) => user.tags.agentId === bob.id)?.name).toBe('Bob Builder')
    const next = await counted(bed, () => deliver(A, incomingMessage(env, chat, { authorId: bob.id, text: 'Again' })))
    expect(names(next)).toEqual({ livechat: [], botpress: ['POST /v1/chat/messages/get-or-create'] })
  })

  it('a chat no session matches: the lookup and one LiveChat read, which a website chat needs once per copy', async () => {
    const website = { chatId: 'WEBSITE001', threadId: 'WEBTHREAD1' }
    const first = await counted(bed, () =>
      deliver(A, incomingMessage(env, website, { authorId: AGENT.id, text: 'Hi' }))
    )
    expect(first.result).toBe(200)
    expect(names(first)).toEqual({ livechat: ['agent.get_chat'], botpress: ['GET /v1/chat/conversations'] })
    const next = await counted(bed, () => deliver(A, incomingMessage(env, website, { authorId: AGENT.id, text: 'Yo' })))
    expect(names(next)).toEqual({ livechat: [], botpress: ['GET /v1/chat/conversations'] })
  })

  it('startHitl with session fields and tags: the fields before the chat, one tag_thread per tag beside the last step', async () => {
    const { userId } = await A.runAction('createUser', { name: 'Cleo', email: 'cleo@example.com' })
    const op = await counted(bed, () =>
      A.runAction('startHitl', {
        userId,
        title: 'With context',
        hitlSession: { sessionFields: { order: '1234', plan: 'Pro' }, tags: ['bot-handover', 'vip'] },
        messageHistory: [],
      })
    )
    expect(names(op).livechat).toEqual([
      'customer.set_customer_session_fields',
      'customer.start_chat',
      'agent.tag_thread',
      'agent.tag_thread',
    ])
    expect(names(op).botpress.sort()).toEqual([
      'POST /v1/chat/conversations/get-or-create',
      'POST /v1/chat/states/user/:id/customer',
    ])
    await A.runAction('stopHitl', { conversationId: op.result.conversationId })
  })

  it('getAvailability: one LiveChat call, none for the same group within 30 s on that copy', async () => {
    // The installation's first question also makes its availability customer, kept in the integration's state.
    const first = await counted(bed, () => A.runAction('getAvailability', {}))
    expect(names(first)).toEqual({
      livechat: ['accounts.customer_token', 'customer.list_group_statuses'],
      botpress: [
        'GET /v1/chat/states/integration/:id/availabilityCustomer',
        'POST /v1/chat/states/integration/:id/availabilityCustomer',
      ],
    })
    const again = await counted(bed, () => A.runAction('getAvailability', {}))
    expect(names(again)).toEqual({ livechat: [], botpress: [] })
    const otherGroup = await counted(bed, () => A.runAction('getAvailability', { groupId: 0 }))
    expect(names(otherGroup)).toEqual({ livechat: ['customer.list_group_statuses'], botpress: [] })
    // A copy that never asked reads the customer from the state, then asks LiveChat.
    const cold = await counted(bed, () => B.runAction('getAvailability', {}))
    expect(names(cold)).toEqual({
      livechat: ['customer.list_group_statuses'],
      botpress: ['GET /v1/chat/states/integration/:id/availabilityCustomer'],
    })
  })

  it('rateSession: one LiveChat call where the session is known, the session and the customer read where not', async () => {
    const warm = await counted(bed, () => C.runAction('rateSession', { conversationId, score: 'good' }))
    expect(names(warm)).toEqual({ livechat: ['customer.update_thread_properties'], botpress: [] })
    // B never saw the session C opened for Bea, nor Bea.
    const cold = await counted(bed, () =>
      B.runAction('rateSession', { conversationId: coldStartConversationId, score: 'bad', comment: 'Too slow' })
    )
    expect(names(cold)).toEqual({
      livechat: ['customer.update_thread_properties'],
      botpress: ['GET /v1/chat/conversations/:id', 'GET /v1/chat/states/user/:id/customer'],
    })
  })
})
