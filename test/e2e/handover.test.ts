import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { counted, names, pinnedDriver } from '../../testbed/fixtures'
import { EmulatedChat, chatOf, lastThreadOf, registerWebhooks, settle } from '../../testbed/helpers'
import { agentTexts, customerTexts, eventsOf, tally } from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'
import { type ImageServer, startImageServer } from './image-server'
import { expectNoSecrets } from './log-audit'

const ANNA = 'anna@example.com'

type History = { source: { type: 'user'; userId: string } | { type: 'bot' }; type: 'text'; payload: { text: string } }[]

/** `count` lines, the end user's and the bot's in turn, each text unique to `prefix`. */
const historyOf = (userId: string, prefix: string, count: number): History =>
  Array.from({ length: count }, (_, i) => ({
    source: i % 2 === 0 ? { type: 'user' as const, userId } : { type: 'bot' as const },
    type: 'text' as const,
    payload: { text: `${prefix} line ${i + 1}` },
  }))

/** Every text (message or system message) of a chat, all threads, as the agent reads them. */
const chatTexts = (chat: EmulatedChat): string[] =>
  chat.threads.flatMap((thread) =>
    thread.events.flatMap((event) => (typeof event.text === 'string' ? [event.text] : []))
  )

/**
 * The hand-over (startHitl) and what it and the bot write to LiveChat, when LiveChat is slow, when it applies a call
 * and loses the answer, and when Botpress fails halfway. LiveChat's `applied-timeout` holds the answer 1 s then
 * answers 504 (`faultTimeoutMs`), as LiveChat does when it times out after doing the work; it redelivers webhooks
 * after 0.5, 1 and 2 s.
 */
describe('hand-over', () => {
  let bed: TestBed
  let A: TestBed['installation']
  let B: TestBed['installation']
  let media: ImageServer

  /** The chats of the LiveChat customer standing for the end user (createUser prepared it). */
  const chatsOfUser = (userId: string): EmulatedChat[] => {
    const state = bed.botpress.db.states.find((s) => s.type === 'user' && s.userId === userId && s.name === 'customer')
    const customerId = (state?.payload as { customerId?: string } | undefined)?.customerId
    return (bed.livechat.state.chats as EmulatedChat[]).filter((chat) => chat.customer_id === customerId)
  }
  const activeThreads = (userId: string) =>
    chatsOfUser(userId).flatMap((chat) => chat.threads.filter((thread) => thread.active))

  /** Waits until LiveChat holds a chat whose thread opens with `title`: startHitl's chat, before startHitl returns. */
  const chatOpenedWith = async (title: string): Promise<EmulatedChat> => {
    let found: EmulatedChat | undefined
    await eventually(() => {
      found = (bed.livechat.state.chats as EmulatedChat[]).find((chat) =>
        chat.threads.some((thread) => thread.events[0]?.text === title)
      )
      expect(found).toBeDefined()
    })
    if (!found) throw new Error(`No chat opens with ${title}`)
    return found
  }

  const newEndUser = async (name: string) =>
    (await A.runAction('createUser', { name, email: `${name.toLowerCase()}@example.com` })).userId

  const sendAsEndUser = (conversationId: string, userId: string, type: string, payload: Record<string, unknown>) =>
    A.sendMessage({ conversationId, userId: A.botUserId, type, payload: { ...payload, userId } })

  /** Both ways: the end user's text reaches the chat, the agent's reply reaches the conversation. */
  const expectBridged = async (conversationId: string, livechatChatId: string, tag: string) => {
    const userId = bed.botpress.db.findConversation(conversationId)?.tags.userId ?? ''
    await sendAsEndUser(conversationId, userId, 'text', { text: `${tag} from the end user` })
    expect(tally(customerTexts(bed, livechatChatId))[`${tag} from the end user`]).toBe(1)
    await bed.livechat.agent(ANNA).sendMessage(livechatChatId, `${tag} from the agent`)
    await settle(bed)
    expect(agentTexts(bed, conversationId)).toContain(`${tag} from the agent`)
  }

  beforeAll(async () => {
    media = await startImageServer()
    bed = await startTestBed({
      instances: 2,
      livechat: { faultTimeoutMs: 1_000, webhookRetryDelaysMs: [500, 1000, 2000] },
      env: { MEDIA_TRUSTED_ORIGINS: media.url },
    })
    await registerWebhooks(bed)
    A = pinnedDriver(bed, 0)
    B = pinnedDriver(bed, 1)
  })
  afterEach(() => {
    // A fault a failed test left unspent must not hit the next test.
    bed.livechat.faults.clear()
    bed.botpress.faults.clear()
    // Whatever the test did, no token, cookie or webhook secret is in either copy's logs or answers.
    expectNoSecrets(bed)
  })
  afterAll(async () => {
    await bed?.stop()
    await media?.stop()
  })

  describe('an agent who writes while startHitl is still running', () => {
    it('keeps the message written while a long transcript is stalled, and announces the agent', async () => {
      const userId = await newEndUser('Stella')
      bed.livechat.faults.inject({ count: 1, kind: 'delay', delayMs: 3_000, match: { action: 'send_event' } })
      const started = A.runAction('startHitl', {
        userId,
        title: 'Stalled transcript',
        messageHistory: historyOf(userId, 'stalled', 60),
      })
      const chat = await chatOpenedWith('Stalled transcript')
      await bed.livechat.agent(ANNA).sendMessage(chat.id, 'Hi, I am on it')
      const { conversationId } = await started
      await settle(bed)

      expect(agentTexts(bed, conversationId)).toEqual(['Hi, I am on it'])
      expect(eventsOf(bed, 'hitlAssigned', conversationId)).toHaveLength(1)
      const lines = chatTexts(chatOf(bed.livechat, chat.id)).filter((text) => text.includes('stalled line'))
      expect(lines).toHaveLength(60)
      expect(new Set(lines).size).toBe(60)
    })

    it('asks LiveChat to deliver again while the chat is open but its session not yet created', async () => {
      const userId = await newEndUser('Quentin')
      bed.livechat.faults.inject({ count: 1, kind: 'applied-timeout', match: { action: 'start_chat' } })
      const started = A.runAction('startHitl', { userId, title: 'Lost answer', messageHistory: [] })
      const chat = await chatOpenedWith('Lost answer')
      const { eventId } = await bed.livechat.agent(ANNA).sendMessage(chat.id, 'Hello Quentin')
      const { conversationId } = await started
      await settle(bed)

      expect(agentTexts(bed, conversationId)).toEqual(['Hello Quentin'])
      expect(eventsOf(bed, 'hitlAssigned', conversationId)).toHaveLength(1)
      const attempts = bed.livechat.deliveries.filter(
        (d) => d.action === 'incoming_event' && (d.body.payload as { event?: { id?: string } }).event?.id === eventId
      )
      expect(attempts[0]?.status).toBe(500)
      expect(attempts.at(-1)?.status).toBe(200)
    })
  })

  describe('a LiveChat write whose answer is lost', () => {
    it('start_chat: one chat, the opening once, and the hand-over succeeds', async () => {
      const userId = await newEndUser('Ursula')
      bed.livechat.faults.inject({ count: 1, kind: 'applied-timeout', match: { action: 'start_chat' } })
      const { conversationId } = await A.runAction('startHitl', {
        userId,
        title: 'Start lost',
        messageHistory: historyOf(userId, 'start', 4),
      })
      const chats = chatsOfUser(userId)
      expect(chats).toHaveLength(1)
      expect(chats[0]?.threads).toHaveLength(1)
      expect(tally(chatTexts(chats[0] as EmulatedChat))['Start lost']).toBe(1)
      expect(bed.botpress.db.findConversation(conversationId)?.tags).toMatchObject({
        id: chats[0]?.id,
        thread: chats[0]?.threads[0]?.id,
      })
    })

    it('resume_chat: one new thread, the opening once, and the hand-over succeeds', async () => {
      const userId = await newEndUser('Rosa')
      const first = await A.runAction('startHitl', { userId, title: 'First visit', messageHistory: [] })
      await A.runAction('stopHitl', { conversationId: first.conversationId })
      bed.livechat.faults.inject({ count: 1, kind: 'applied-timeout', match: { action: 'resume_chat' } })
      const { conversationId } = await A.runAction('startHitl', { userId, title: 'Second visit', messageHistory: [] })
      const [chat, ...others] = chatsOfUser(userId)
      expect(others).toEqual([])
      expect(chat?.threads.map((thread) => thread.active)).toEqual([false, true])
      expect(tally(chatTexts(chat as EmulatedChat))['Second visit']).toBe(1)
      expect(bed.botpress.db.findConversation(conversationId)?.tags.thread).toBe(chat?.threads[1]?.id)
    })

    it('send_event of a transcript line: every line once', async () => {
      const userId = await newEndUser('Tilda')
      bed.livechat.faults.inject({ count: 1, kind: 'applied-502', match: { action: 'send_event' } })
      const { conversationId } = await A.runAction('startHitl', {
        userId,
        title: 'Long story',
        messageHistory: historyOf(userId, 'long', 60),
      })
      const chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
      const lines = chatTexts(chatOf(bed.livechat, chatId)).filter((text) => text.includes('long line'))
      expect(lines).toHaveLength(60)
      expect(new Set(lines).size).toBe(60)
    })

    it.each(['applied-timeout', 'applied-502'] as const)(
      'send_event of an end-user message (%s): delivered once, acked with its event',
      async (kind) => {
        const userId = await newEndUser(`Vera${kind.length}`)
        const { conversationId } = await A.runAction('startHitl', { userId, title: 'Chatty', messageHistory: [] })
        const chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
        bed.livechat.faults.inject({ count: 1, kind, match: { action: 'send_event' } })
        const message = await sendAsEndUser(conversationId, userId, 'text', { text: `once (${kind})` })
        expect(tally(customerTexts(bed, chatId))[`once (${kind})`]).toBe(1)
        const event = lastThreadOf(chatOf(bed.livechat, chatId)).events.find((e) => e.text === `once (${kind})`)
        expect(bed.botpress.db.findMessage(message.id)?.tags.id).toBe(event?.id)
      }
    )

    it('send_event of the second part of a message: each part once, in order', async () => {
      const userId = await newEndUser('Wanda')
      const { conversationId } = await A.runAction('startHitl', { userId, title: 'Parts', messageHistory: [] })
      const chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
      // The first part passes (a zero delay is no fault), the second is applied and its answer lost.
      bed.livechat.faults.inject({ count: 1, kind: 'delay', delayMs: 0, match: { action: 'send_event' } })
      bed.livechat.faults.inject({ count: 1, kind: 'applied-timeout', match: { action: 'send_event' } })
      await sendAsEndUser(conversationId, userId, 'bloc', {
        items: [
          { type: 'text', payload: { text: 'part one' } },
          { type: 'text', payload: { text: 'part two' } },
          { type: 'text', payload: { text: 'part three' } },
        ],
      })
      expect(customerTexts(bed, chatId).filter((text) => text.startsWith('part '))).toEqual([
        'part one',
        'part two',
        'part three',
      ])
    })

    it('upload_file: the file once in the chat', async () => {
      const userId = await newEndUser('Xena')
      const { conversationId } = await A.runAction('startHitl', { userId, title: 'Photo', messageHistory: [] })
      const chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
      bed.livechat.faults.inject({ count: 1, kind: 'applied-timeout', match: { action: 'upload_file' } })
      await sendAsEndUser(conversationId, userId, 'image', { imageUrl: `${media.url}/photo.png` })
      const files = lastThreadOf(chatOf(bed.livechat, chatId)).events.filter((event) => event.type === 'file')
      expect(files).toHaveLength(1)
      expect(String(files[0]?.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cdn\//)
    })
  })

  describe('a hand-over that failed halfway', () => {
    /** The Botpress calls of a clean startHitl on a copy that did not run createUser (B), as `METHOD /path/:id`. */
    let botpressCalls: string[] = []

    beforeAll(async () => {
      // Counted alone: no delivery of an earlier test's traffic is still running.
      await settle(bed)
      const userId = await newEndUser('Yusuf')
      const op = await counted(bed, () => B.runAction('startHitl', { userId, title: 'Clean', messageHistory: [] }))
      botpressCalls = names(op).botpress
    })

    it('knows the Botpress calls of a hand-over on a cold copy', () => {
      expect([...botpressCalls].sort()).toEqual([
        'GET /v1/chat/states/user/:id/customer',
        'POST /v1/chat/conversations/get-or-create',
        'POST /v1/chat/states/user/:id/customer',
      ])
    })

    it('start_chat answered late: no retry needed, one active chat bridged both ways', async () => {
      const userId = await newEndUser('Zoe')
      bed.livechat.faults.inject({ count: 1, kind: 'applied-timeout', match: { action: 'start_chat' } })
      const { conversationId } = await B.runAction('startHitl', { userId, title: 'Late', messageHistory: [] })
      expect(activeThreads(userId)).toHaveLength(1)
      const chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
      await expectBridged(conversationId, chatId, 'late')
    })

    it('each Botpress call of startHitl failing once: one retry gives one active chat, bridged both ways', async () => {
      for (const [k, call] of botpressCalls.entries()) {
        const [method = '', path = ''] = call.split(' ')
        const userId = await newEndUser(`Retry${k}`)
        bed.botpress.faults.inject({
          count: 1,
          status: 500,
          match: { method, path: new RegExp(`^${path.replaceAll(':id', '[^/]+')}$`) },
        })
        const failure = await B.runAction('startHitl', { userId, title: `Attempt ${k}`, messageHistory: [] }).then(
          () => 'succeeded',
          (thrown: unknown) => (thrown instanceof Error ? thrown.message : String(thrown))
        )
        expect(failure, call).toMatch(/Could not open a LiveChat chat/)
        expectNoSecrets(bed, [failure])
        await settle(bed)

        const retry = await B.runAction('startHitl', { userId, title: `Attempt ${k}`, messageHistory: [] })
        await settle(bed)
        expect(activeThreads(userId), call).toHaveLength(1)
        const chatId = bed.botpress.db.findConversation(retry.conversationId)?.tags.id ?? ''
        expect(lastThreadOf(chatOf(bed.livechat, chatId)).active, call).toBe(true)
        await expectBridged(retry.conversationId, chatId, `retry ${k}`)
        expect(eventsOf(bed, 'hitlStopped', retry.conversationId), call).toHaveLength(0)
      }
    })
  })
})
