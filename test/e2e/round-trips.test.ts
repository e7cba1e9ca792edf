import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agentAdded, counted, deliver, incomingMessage, names, pinnedDriver } from '../../testbed/fixtures'
import { chatOf, lastThreadOf } from '../../testbed/helpers'
import { TestBed, startTestBed } from '../../testbed/test-bed'

const AGENT = { id: 'agent-one@example.com', name: 'Agent One' }

/**
 * Round trips per operation, counted on the emulators through `bp serve` (counts, never times), so that a change that
 * adds a call fails here. Two served copies of the bundle, driven one at a time: A handles a whole HITL session (its
 * caches warm), B has never seen it (a fresh process). The webhooks are the ones LiveChat would deliver, handed to one
 * copy at a time; LiveChat's own deliveries are off (no `register`), so nothing runs in the background. Each test
 * opens the sessions it counts on, with a new end user, so that it passes alone and in any order.
 */
describe('round trips', () => {
  let bed: TestBed
  let A: TestBed['installation']
  let B: TestBed['installation']
  let C: TestBed['installation']
  let env: { organizationId: string }
  let made = 0

  type Driver = TestBed['installation']
  type Session = { endUserId: string; conversationId: string; chat: { chatId: string; threadId: string } }

  /** A new end user (a new email), made through `driver`: that copy then knows its LiveChat customer. */
  const newEndUser = async (driver: Driver, name: string): Promise<string> => {
    made += 1
    return (await driver.runAction('createUser', { name, email: `${name.toLowerCase()}-${made}@example.com` })).userId
  }
  /** A HITL session for `endUserId` opened through `driver`: that copy then knows its conversation and chat. */
  const startSession = async (driver: Driver, endUserId: string, title: string): Promise<Session> => {
    const { conversationId } = await driver.runAction('startHitl', { userId: endUserId, title, messageHistory: [] })
    const chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
    return { endUserId, conversationId, chat: { chatId, threadId: lastThreadOf(chatOf(bed.livechat, chatId)).id } }
  }
  /** A new end user and their session, both through `driver`. */
  const openSession = async (driver: Driver, name: string): Promise<Session> =>
    startSession(driver, await newEndUser(driver, name), name)

  const endUserText = (driver: Driver, { conversationId, endUserId }: Session, text: string) =>
    driver.sendMessage({
      conversationId,
      userId: driver.botUserId,
      type: 'text',
      payload: { text, userId: endUserId },
    })
  const agentMessages = ({ conversationId }: Session) =>
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
    expect(names(op).livechat.sort()).toEqual(['accounts.customer_token', 'customer.update_customer'])
    expect(names(op).botpress).toEqual([
      'POST /v1/chat/users/get-or-create',
      'GET /v1/chat/states/user/:id/customer',
      'POST /v1/chat/states/user/:id/customer',
    ])
  })

  it('startHitl for a new end user, warm: the chat, then its conversation beside the customer state', async () => {
    const endUserId = await newEndUser(A, 'Ada')
    const op = await counted(bed, () =>
      A.runAction('startHitl', { userId: endUserId, title: 'Order problem', messageHistory: [] })
    )
    expect(names(op).livechat).toEqual(['customer.start_chat'])
    expect(names(op).botpress.sort()).toEqual([
      'POST /v1/chat/conversations/get-or-create',
      'POST /v1/chat/states/user/:id/customer',
    ])
  })

  it('startHitl for a new end user on a fresh instance: one state read, the chat, then the conversation and state', async () => {
    const userId = await newEndUser(A, 'Bea')
    const op = await counted(bed, () => C.runAction('startHitl', { userId, title: 'Cold start', messageHistory: [] }))
    expect(names(op).livechat).toEqual(['customer.start_chat'])
    const [first, ...last] = names(op).botpress
    expect(first).toBe('GET /v1/chat/states/user/:id/customer')
    // These two run side by side: three steps on the critical path.
    expect(last.sort()).toEqual(['POST /v1/chat/conversations/get-or-create', 'POST /v1/chat/states/user/:id/customer'])
    await C.runAction('stopHitl', { conversationId: op.result.conversationId })
  })

  it('warm: a bot text is one LiveChat call and no Botpress call but the ack', async () => {
    const session = await openSession(A, 'Ada')
    for (const text of ['It was order 1234', 'Shipped last Monday']) {
      const op = await counted(bed, () => endUserText(A, session, text), { acks: true })
      expect(names(op)).toEqual({ livechat: ['customer.send_event'], botpress: [] })
      expect(op.acks).toHaveLength(1)
    }
  })

  it('warm: the echo of our own customer event costs nothing', async () => {
    const { chat } = await openSession(A, 'Ada')
    const customerId = chatOf(bed.livechat, chat.chatId).customer_id ?? ''
    const op = await counted(bed, () => deliver(A, incomingMessage(env, chat, { authorId: customerId, text: 'echo' })))
    expect(op.result).toBe(200)
    expect(names(op)).toEqual({ livechat: [], botpress: [] })
  })

  it('warm: an agent message is one Botpress call (get-or-create, deduplicated) and no LiveChat call', async () => {
    const session = await openSession(A, 'Ada')
    const { chat } = session
    expect(await deliver(A, agentAdded(env, chat, AGENT))).toBe(200)
    const before = agentMessages(session).length
    const event = incomingMessage(env, chat, { authorId: AGENT.id, text: 'Hello, I am looking into it' })
    const op = await counted(bed, () => deliver(A, event))
    expect(op.result).toBe(200)
    expect(names(op)).toEqual({ livechat: [], botpress: ['POST /v1/chat/messages/get-or-create'] })
    // LiveChat delivers again: the same single call, and still one message.
    const again = await counted(bed, () => deliver(A, event))
    expect(again.botpress).toHaveLength(1)
    expect(agentMessages(session)).toHaveLength(before + 1)
  })

  it('cold: a fresh instance sends a bot text with the one state read it could not skip (the customer token)', async () => {
    const session = await openSession(A, 'Ada')
    const op = await counted(bed, () => endUserText(B, session, 'Sent from the other copy'), { acks: true })
    expect(names(op)).toEqual({
      livechat: ['customer.send_event'],
      botpress: ['GET /v1/chat/states/user/:id/customer'],
    })
    // And warm from then on.
    const next = await counted(bed, () => endUserText(B, session, 'Again from the other copy'), { acks: true })
    expect(next.livechat.length + next.botpress.length).toBe(1)
  })

  it('cold: the first agent message on a fresh instance is 3 calls: the session by its thread, the agent, the message', async () => {
    const { chat } = await openSession(A, 'Ada')
    expect(await deliver(A, agentAdded(env, chat, AGENT))).toBe(200)
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
    const { conversationId } = await openSession(A, 'Ada')
    const op = await counted(bed, () => A.runAction('stopHitl', { conversationId }))
    expect(names(op)).toEqual({
      livechat: ['agent.get_chat', 'agent.deactivate_chat'],
      botpress: ['POST /v1/chat/states/conversation/:id/stopped'],
    })
  })

  it('stopHitl on a fresh instance reads the conversation’s tags first; a closed thread is not closed again', async () => {
    const { conversationId } = await openSession(A, 'Ada')
    await A.runAction('stopHitl', { conversationId })
    const op = await counted(bed, () => C.runAction('stopHitl', { conversationId }))
    expect(names(op)).toEqual({
      livechat: ['agent.get_chat'],
      botpress: ['GET /v1/chat/conversations/:id', 'POST /v1/chat/states/conversation/:id/stopped'],
    })
  })

  it('startHitl for a returning end user, warm: the chat resumed and the new session’s conversation', async () => {
    const { endUserId, conversationId } = await openSession(A, 'Ada')
    await A.runAction('stopHitl', { conversationId })
    const op = await counted(bed, () =>
      A.runAction('startHitl', { userId: endUserId, title: 'Another question', messageHistory: [] })
    )
    expect(op.result.conversationId).not.toBe(conversationId)
    expect(names(op)).toEqual({
      livechat: ['customer.resume_chat'],
      botpress: ['POST /v1/chat/conversations/get-or-create'],
    })
  })

  it('startHitl for a returning end user on a fresh instance: one state read more', async () => {
    const { endUserId, conversationId } = await openSession(A, 'Ada')
    await A.runAction('stopHitl', { conversationId })
    const op = await counted(bed, () =>
      C.runAction('startHitl', { userId: endUserId, title: 'A third question', messageHistory: [] })
    )
    expect(names(op)).toEqual({
      livechat: ['customer.resume_chat'],
      botpress: ['GET /v1/chat/states/user/:id/customer', 'POST /v1/chat/conversations/get-or-create'],
    })
  })

  it('two instances taking turns stay correct without relying on their caches', async () => {
    // The session is opened by C: neither A nor B knows its conversation nor whether the agent is announced.
    const session = await startSession(C, await newEndUser(A, 'Ada'), 'Taking turns')
    const { chat, conversationId } = session
    const before = agentMessages(session).length
    const texts = ['Turn 1', 'Turn 2', 'Turn 3', 'Turn 4']
    for (const [i, text] of texts.entries()) {
      await endUserText(i % 2 === 0 ? A : B, session, text)
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
      agentMessages(session)
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
    const { chat } = await openSession(A, 'Ada')
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
    const { conversationId } = await openSession(C, 'Ada')
    const warm = await counted(bed, () => C.runAction('rateSession', { conversationId, score: 'good' }))
    expect(names(warm)).toEqual({ livechat: ['customer.update_thread_properties'], botpress: [] })
    // B never saw the session C opened (and closed) for Bea, nor Bea.
    const bea = await openSession(C, 'Bea')
    await C.runAction('stopHitl', { conversationId: bea.conversationId })
    const cold = await counted(bed, () =>
      B.runAction('rateSession', { conversationId: bea.conversationId, score: 'bad', comment: 'Too slow' })
    )
    expect(names(cold)).toEqual({
      livechat: ['customer.update_thread_properties'],
      botpress: ['GET /v1/chat/conversations/:id', 'GET /v1/chat/states/user/:id/customer'],
    })
  })
})
