import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { customersOf, postWebhook, registerWebhooks, settle } from '../../testbed/helpers'
import {
  OpenedSession,
  agentJoined,
  agentTexts,
  agentWrote,
  chatClosed,
  currentThreadId,
  customerTexts,
  deliveriesOfEvent,
  eventsOf,
  openSession,
  sendAsEndUser,
  tally,
} from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'
import { expectNoSecrets } from './log-audit'

const ANNA = 'anna@example.com'

/** The Runtime message of an action that must fail. */
const failureOf = (action: Promise<unknown>): Promise<string> =>
  action.then(
    () => {
      throw new Error('The action succeeded but was expected to fail')
    },
    (thrown: unknown) => (thrown instanceof Error ? thrown.message : String(thrown))
  )

/**
 * Failures on both sides of the bridge, injected in the emulators. Each scenario ends with every message delivered
 * exactly once, or with a permanent failure reported once, not retried, and naming what to fix.
 */
describe('faults', () => {
  let bed: TestBed
  let opened = 0

  /** Each test opens its own session (a new end user, so a new chat), once the deliveries it caused have landed. */
  const newSession = async (name: string): Promise<OpenedSession> => {
    opened += 1
    const session = await openSession(bed, name, `${name.split(' ')[0]?.toLowerCase()}-${opened}@example.com`)
    await settle(bed)
    return session
  }

  /** The calls since `calls.length` was `index`; take `index` from `countFrom()`, once earlier deliveries have landed. */
  const callsSince = (index: number, action?: string) =>
    bed.livechat.calls
      .slice(index)
      .filter((call) => action === undefined || call.action === action)
      .map((call) => `${call.api}.${call.action} ${call.status}`)

  /** Lets the webhooks of earlier steps (echoes, closes) land, so that only this step's calls follow the index. */
  const countFrom = async (): Promise<number> => {
    await settle(bed)
    return bed.livechat.calls.length
  }

  const expectDeliveredOnce = (session: OpenedSession, text: string) => {
    expect(tally(customerTexts(bed, session.livechatChatId))[text]).toBe(1)
  }

  beforeAll(async () => {
    // A stall outlives the request timeout (8 s, shortened here to 1 s so that no test waits it out); LiveChat retries
    // webhooks quickly here.
    bed = await startTestBed({
      livechat: { webhookRetryDelaysMs: [150, 300, 600], faultTimeoutMs: 2_500 },
      env: { LIVECHAT_HITL_REQUEST_TIMEOUT_MS: '1000' },
    })
    await registerWebhooks(bed)
  })
  afterEach(async () => {
    // A fault a failed test left unspent must not hit the next test.
    bed.livechat.faults.clear()
    bed.botpress.faults.clear()
    // Whatever failed, no token, cookie or webhook secret is in the logs or in an answer to the runtime.
    expectNoSecrets(bed)
  })
  afterAll(() => bed?.stop())

  describe('outbound, to LiveChat', () => {
    it('delivers an end-user message once when LiveChat answers 429 with Retry-After, then 200', async () => {
      const session = await newSession('Ada Lovelace')
      const before = await countFrom()
      bed.livechat.faults.inject({
        count: 1,
        kind: 429,
        retryAfterSeconds: 1,
        match: { api: 'customer', action: 'send_event' },
      })
      await sendAsEndUser(bed, session, 'rate limited')
      expectDeliveredOnce(session, 'rate limited')
      expect(callsSince(before)).toEqual(['customer.send_event 429', 'customer.send_event 200'])
      // Retry-After honoured: the second attempt came no earlier than the second LiveChat asked for.
      const [limited, accepted] = bed.livechat.calls.slice(before)
      expect(Date.parse(accepted?.at ?? '') - Date.parse(limited?.at ?? '')).toBeGreaterThanOrEqual(950)
    })

    it('delivers an end-user message once after LiveChat answers 500 three times', async () => {
      const session = await newSession('Ada Lovelace')
      const before = await countFrom()
      bed.livechat.faults.inject({ count: 3, kind: 500, match: { api: 'customer', action: 'send_event' } })
      await sendAsEndUser(bed, session, 'server errors')
      expectDeliveredOnce(session, 'server errors')
      expect(callsSince(before)).toEqual([
        'customer.send_event 500',
        'customer.send_event 500',
        'customer.send_event 500',
        'customer.send_event 200',
      ])
    })

    it('delivers an end-user message once after the connection is reset', async () => {
      const session = await newSession('Ada Lovelace')
      bed.livechat.faults.inject({ count: 1, kind: 'reset', match: { api: 'customer', action: 'send_event' } })
      await sendAsEndUser(bed, session, 'connection reset')
      expectDeliveredOnce(session, 'connection reset')
    })

    it('gives up on a request LiveChat stalls past the request timeout, retries it, and delivers the message once', async () => {
      const session = await newSession('Ada Lovelace')
      const before = await countFrom()
      bed.livechat.faults.inject({ count: 1, kind: 'timeout', match: { api: 'customer', action: 'send_event' } })
      await sendAsEndUser(bed, session, 'stalled')
      expectDeliveredOnce(session, 'stalled')
      // The stalled request was abandoned before LiveChat answered it, so it is not on record. LiveChat may have applied
      // it all the same: the chat is read for the message's custom_id before it is sent again.
      expect(callsSince(before)).toEqual(['customer.get_chat 200', 'customer.send_event 200'])
    })

    it('renews an expired customer token mid-session and keeps writing as the same customer', async () => {
      const session = await newSession('Ada Lovelace')
      const before = await countFrom()
      const customers = customersOf(bed.livechat).length
      bed.livechat.clock.advance(9 * 3600)
      await sendAsEndUser(bed, session, 'after a long silence')
      expectDeliveredOnce(session, 'after a long silence')
      expect(customersOf(bed.livechat)).toHaveLength(customers)
      expect(callsSince(before)).toEqual([
        'customer.send_event 401',
        'accounts.customer_token 200',
        'customer.send_event 200',
      ])
    })

    it('reports a group that does not exist once, without retrying, naming the group', async () => {
      const before = await countFrom()
      const { userId } = await bed.installation.runAction('createUser', {
        name: 'Gus',
        email: `gus-${++opened}@example.com`,
      })
      const failed = bed.installation.runAction('startHitl', {
        userId,
        title: 'Wrong group',
        hitlSession: { groupId: 999 },
        messageHistory: [],
      })
      const message = await failureOf(failed)
      expect(message).toMatch(/Group not found: 999/)
      expectNoSecrets(bed, [message])
      expect(callsSince(before, 'start_chat')).toEqual(['customer.start_chat 404'])
    })

    it('reports a revoked agent token once, without retrying, naming the agentToken field', async () => {
      const { conversationId } = await newSession('Linus')
      const configuration = bed.installation.configuration
      const before = await countFrom()
      bed.installation.configuration = { ...configuration, agentToken: Buffer.from('x:dal:revoked').toString('base64') }
      try {
        const failed = bed.installation.runAction('stopHitl', { conversationId })
        const message = await failureOf(failed)
        expect(message).toMatch(/`agentToken`/)
        expectNoSecrets(bed, [message])
      } finally {
        bed.installation.configuration = configuration
      }
      // stopHitl reads the chat first (is its thread still this session's?): that first call is refused.
      expect(callsSince(before)).toEqual(['agent.get_chat 401'])
    })

    it('reports a missing scope once, without retrying, naming the scope the token needs', async () => {
      const { conversationId } = await newSession('Barbara')
      // The PAT loses chats--all:rw, as when an admin creates it with too few scopes.
      const scopes = bed.livechat.seed.patScopes
      const kept = [...scopes]
      const before = await countFrom()
      scopes.splice(0, scopes.length, ...kept.filter((scope) => scope !== 'chats--all:rw'))
      try {
        const failed = bed.installation.runAction('stopHitl', { conversationId })
        const message = await failureOf(failed)
        // Without chats--all:rw the token cannot even read chats (rw implies ro), which stopHitl does first.
        expect(message).toMatch(/scope chats--all:ro/)
        expectNoSecrets(bed, [message])
      } finally {
        scopes.splice(0, scopes.length, ...kept)
      }
      expect(callsSince(before)).toEqual(['agent.get_chat 403'])
    })
  })

  describe('inbound, from LiveChat', () => {
    it('rides out a brief Botpress failure while storing an agent message, within the same delivery', async () => {
      const session = await newSession('Ada Lovelace')
      bed.botpress.faults.inject({ count: 1, status: 500, match: { method: 'POST', path: /messages/ } })
      const { eventId } = await bed.livechat.agent(ANNA).sendMessage(session.livechatChatId, 'brief hiccup')
      await settle(bed)

      expect(tally(agentTexts(bed, session.conversationId))['brief hiccup']).toBe(1)
      const attempts = deliveriesOfEvent(bed, eventId)
      expect(attempts.map((d) => d.status)).toEqual([200])
    })

    it('answers non-200 when Botpress keeps failing to store an agent message, and stores it once on redelivery', async () => {
      const session = await newSession('Ada Lovelace')
      // Three failures use up the integration's own attempts for one delivery; LiveChat's redelivery then succeeds.
      bed.botpress.faults.inject({ count: 3, status: 500, match: { method: 'POST', path: /messages/ } })
      const { eventId } = await bed.livechat.agent(ANNA).sendMessage(session.livechatChatId, 'first reply')
      await settle(bed)

      expect(tally(agentTexts(bed, session.conversationId))['first reply']).toBe(1)
      const attempts = deliveriesOfEvent(bed, eventId)
      expect(attempts.map((d) => d.status)).toEqual([500, 200])
    })

    it('announces the agent once when Botpress fails while announcing, and LiveChat redelivers', async () => {
      const other = await newSession('Alan')
      bed.botpress.faults.inject({ count: 1, status: 500, match: { method: 'POST', path: /events/ } })
      await bed.livechat.agent(ANNA).sendMessage(other.livechatChatId, 'hello Alan')
      await settle(bed)

      expect(agentTexts(bed, other.conversationId)).toEqual(['hello Alan'])
      expect(eventsOf(bed, 'hitlAssigned', other.conversationId)).toHaveLength(1)
    })

    it('keeps the agent message when announcing the agent fails on every delivery', async () => {
      const other = await newSession('Grace')
      // Botpress refuses every event while LiveChat delivers (the first try and its 3 retries): first the join, whose
      // deliveries all fail, then the agent's message, which announces them again before it is stored.
      bed.botpress.faults.inject({ count: 1_000, status: 500, match: { method: 'POST', path: /events/ } })
      await bed.livechat.agent(ANNA).join(other.livechatChatId)
      await settle(bed)
      const { eventId } = await bed.livechat.agent(ANNA).sendMessage(other.livechatChatId, 'hello Grace')
      await settle(bed)
      bed.botpress.faults.clear()

      const attempts = deliveriesOfEvent(bed, eventId)
      expect(attempts.map((d) => d.status)).toEqual([500, 500, 500, 500])
      expect(agentTexts(bed, other.conversationId)).toEqual(['hello Grace'])
      expect(eventsOf(bed, 'hitlAssigned', other.conversationId)).toHaveLength(0)
    })

    it('stores each agent message once when LiveChat delivers every webhook twice', async () => {
      const session = await newSession('Ada Lovelace')
      bed.livechat.deliveryMode({ duplicate: 1 })
      try {
        for (const text of ['dup 1', 'dup 2', 'dup 3']) {
          await bed.livechat.agent(ANNA).sendMessage(session.livechatChatId, text)
        }
        await settle(bed)
      } finally {
        bed.livechat.deliveryMode({ duplicate: 0 })
      }
      const counts = tally(agentTexts(bed, session.conversationId))
      expect([counts['dup 1'], counts['dup 2'], counts['dup 3']]).toEqual([1, 1, 1])
      expect(eventsOf(bed, 'hitlAssigned', session.conversationId)).toHaveLength(1)
    })
  })

  describe('permanent failures', () => {
    type Letter = { reason: string; webhookAction?: string; livechatEventId?: string; body?: string }
    const letters = (): Letter[] =>
      (bed.botpress.db.states.find((state) => state.name === 'deadLetters')?.payload.letters as Letter[] | undefined) ??
      []

    it('keeps an agent message Botpress refuses for good as a dead letter, stops LiveChat, and replays it', async () => {
      const session = await newSession('Ada Lovelace')
      bed.botpress.faults.inject({
        count: 1,
        status: 400,
        type: 'InvalidPayload',
        match: { method: 'POST', path: /messages\/get-or-create$/ },
      })
      const { eventId } = await bed.livechat.agent(ANNA).sendMessage(session.livechatChatId, 'refused for good')
      await settle(bed)

      // One delivery, answered 200: three redeliveries would be refused the same way.
      const attempts = deliveriesOfEvent(bed, eventId)
      expect(attempts.map((d) => d.status)).toEqual([200])
      expect(agentTexts(bed, session.conversationId)).not.toContain('refused for good')
      const letter = letters().at(-1)
      expect(letter).toMatchObject({ webhookAction: 'incoming_event', livechatEventId: eventId })
      expect(letter?.reason).toMatch(/400 botpress:InvalidPayload/)
      expect(JSON.stringify(letters())).not.toContain(bed.installation.configuration.webhookSecret)
      await eventually(() => expect(bed.logs()).toMatch(/failed for good.*"deadLetters".*replay/))

      // The cause fixed, the admin replays the kept body with the secret: the message arrives, once.
      const body = JSON.parse(letter?.body ?? '{}')
      const replayed = { ...body, secret_key: bed.installation.configuration.webhookSecret }
      expect((await postWebhook(bed, JSON.stringify(replayed))).status).toBe(200)
      expect((await postWebhook(bed, JSON.stringify(replayed))).status).toBe(200)
      expect(tally(agentTexts(bed, session.conversationId))['refused for good']).toBe(1)
    })

    it('keeps only the newest 20 dead letters', async () => {
      const session = await newSession('Ada Lovelace')
      const chat = { chatId: session.livechatChatId, threadId: currentThreadId(bed, session.livechatChatId) }
      for (let i = 0; i < 25; i++) {
        // A verified body that breaks the schema (an event without its type), as a LiveChat change could bring.
        const broken = JSON.parse(agentWrote(bed, chat, ANNA, `broken_${i}`, 'never stored'))
        broken.payload.event.type = undefined
        expect((await postWebhook(bed, JSON.stringify(broken))).status).toBe(200)
      }
      expect(letters()).toHaveLength(20)
      expect(letters().at(-1)?.livechatEventId).toBe('broken_24')
      expect(letters().at(-1)?.reason).toMatch(/payload\.event/)
      expect(agentTexts(bed, session.conversationId)).not.toContain('never stored')
    })
  })

  describe('a Botpress 500 on each write of a session change, in turn, then LiveChat delivers again', () => {
    const LEASE = ['the lease', 'POST', /\/lock\/get-or-set$/] as const
    const EVENT = ['the event', 'POST', /\/v1\/chat\/events$/] as const
    const TAG = ['the holder tag', 'PUT', /\/v1\/chat\/conversations\/[^/]+$/] as const
    const RELEASE = ['the release', 'POST', /\/states\/conversation\/[^/]+\/lock$/] as const
    const ASSIGNMENT = ['the assignment', 'POST', /\/states\/conversation\/[^/]+\/assignment$/] as const

    /** A fresh session, one failing write, then the webhook as LiveChat delivers it: again after a non-200, 4 tries. */
    const withOneFailure = async (
      write: readonly [string, string, RegExp],
      body: (chat: { chatId: string; threadId: string }) => string
    ) => {
      const other = await newSession('Ivy')
      const [, method, path] = write
      bed.botpress.faults.inject({ count: 1, status: 500, match: { method, path } })
      const webhook = body({ chatId: other.livechatChatId, threadId: currentThreadId(bed, other.livechatChatId) })
      const statuses: number[] = []
      while (statuses.at(-1) !== 200 && statuses.length < 4) statuses.push((await postWebhook(bed, webhook)).status)
      // The write was made, and failed: the fault is spent.
      expect(bed.botpress.faults.pending).toEqual([])
      expect(statuses.at(-1)).toBe(200)
      return other
    }

    it.each([LEASE, ['the agent user', 'POST', /\/users\/get-or-create$/] as const, ASSIGNMENT, EVENT, TAG, RELEASE])(
      'an agent joining: one hitlAssigned when %s fails',
      async (...write) => {
        const other = await withOneFailure(write, (chat) => agentJoined(bed, chat, ANNA))
        expect(eventsOf(bed, 'hitlAssigned', other.conversationId)).toHaveLength(1)
      }
    )

    it.each([LEASE, ASSIGNMENT, EVENT, TAG, ['the message', 'POST', /\/messages\/get-or-create$/] as const, RELEASE])(
      'an agent’s first message, before any join: one hitlAssigned and one message when %s fails',
      async (...write) => {
        const other = await withOneFailure(write, (chat) => agentWrote(bed, chat, ANNA, `${chat.threadId}_1`, 'Hi Ivy'))
        expect(eventsOf(bed, 'hitlAssigned', other.conversationId)).toHaveLength(1)
        expect(agentTexts(bed, other.conversationId)).toEqual(['Hi Ivy'])
      }
    )

    it.each([LEASE, ['the stop mark', 'POST', /\/states\/conversation\/[^/]+\/stopped$/] as const, EVENT, RELEASE])(
      'the chat closing: one hitlStopped when %s fails',
      async (...write) => {
        const other = await withOneFailure(write, (chat) => chatClosed(bed, chat, ANNA))
        expect(eventsOf(bed, 'hitlStopped', other.conversationId)).toHaveLength(1)
      }
    )
  })
})
