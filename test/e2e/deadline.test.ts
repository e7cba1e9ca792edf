import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chatOf, lastThreadOf } from '../../testbed/helpers'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { ImageServer, startImageServer } from './image-server'

/** The served bundle's deadline, shortened for this file; LiveChat is made slower than it with the `delay` fault. */
const DEADLINE_MS = 1_500
const SLOWER_MS = 2_000

type Event = Record<string, unknown> & { type: string; id: string }

/**
 * One overall deadline per startHitl and per bot message: past it, no new LiveChat call starts, and what was not sent
 * yet reaches the agent as one notice that says so (media as their links).
 */
describe('deadline', () => {
  let bed: TestBed
  let media: ImageServer
  let made = 0

  const calls = (from: number, action: string) =>
    bed.livechat.calls.slice(from).filter((call) => call.api === 'customer' && call.action === action)
  const threadEvents = (livechatChatId: string): Event[] =>
    lastThreadOf(chatOf(bed.livechat, livechatChatId)).events as Event[]
  /** Each test has an end user of its own (a new email). */
  const newEndUser = async (): Promise<string> => {
    made += 1
    return (await bed.installation.runAction('createUser', { name: 'Tim', email: `tim-${made}@example.com` })).userId
  }
  /** A session of its own, opened within the deadline (no history). */
  const openSession = async () => {
    const userId = await newEndUser()
    const { conversationId } = await bed.installation.runAction('startHitl', { userId, messageHistory: [] })
    return { conversationId, livechatChatId: bed.botpress.db.findConversation(conversationId)?.tags.id ?? '' }
  }

  beforeAll(async () => {
    media = await startImageServer()
    bed = await startTestBed({
      env: { LIVECHAT_HITL_DEADLINE_MS: String(DEADLINE_MS), MEDIA_TRUSTED_ORIGINS: media.url },
    })
  })
  afterAll(async () => {
    await bed?.stop()
    await media?.stop()
  })

  it('startHitl: a transcript whose rest would start past the deadline sends that rest as one notice', async () => {
    const endUserId = await newEndUser()
    // 81 opening events: 50 ride with start_chat, 31 would follow one send_event each.
    const history = Array.from({ length: 80 }, (_, i) => ({
      source: { type: 'user' as const, userId: endUserId },
      type: 'text' as const,
      payload: { text: `line ${i}` },
    }))
    bed.livechat.faults.inject({ count: 1, kind: 'delay', delayMs: SLOWER_MS, match: { action: 'start_chat' } })
    const from = bed.livechat.calls.length
    const output = await bed.installation.runAction('startHitl', { userId: endUserId, messageHistory: history })
    const livechatChatId = bed.botpress.db.findConversation(output.conversationId)?.tags.id ?? ''

    expect(calls(from, 'send_event')).toHaveLength(1)
    const events = threadEvents(livechatChatId)
    expect(events).toHaveLength(51)
    expect(events.at(-2)).toMatchObject({ type: 'message', text: 'line 48' })
    const notice = events.at(-1)
    expect(notice).toMatchObject({ type: 'system_message', system_message_type: 'botpress.notice' })
    expect(notice?.text).toMatch(/^Not sent in time: 31 more events of the conversation so far/)
    expect(notice?.text).toContain('line 49\n')
    expect(notice?.text).toMatch(/line 79$/)
  })

  it('a bot message: media not started by the deadline go as links, and the rest as one notice', async () => {
    const { conversationId, livechatChatId } = await openSession()
    const urls = Array.from({ length: 6 }, (_, i) => `${media.url}/pic-${i}.png`)
    // The first four uploads start at once and take longer than the deadline; the last two never start.
    bed.livechat.faults.inject({ count: 4, kind: 'delay', delayMs: SLOWER_MS, match: { action: 'upload_file' } })
    const from = bed.livechat.calls.length
    const before = threadEvents(livechatChatId).length
    const inst = bed.installation
    const message = await inst.sendMessage({
      conversationId,
      userId: inst.botUserId,
      type: 'bloc',
      payload: { items: urls.map((imageUrl) => ({ type: 'image', payload: { imageUrl } })) },
    })

    expect(calls(from, 'upload_file')).toHaveLength(4)
    const sent = threadEvents(livechatChatId).slice(before)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ type: 'system_message', system_message_type: 'botpress.notice' })
    const text = String(sent[0]?.text)
    expect(text).toMatch(/^Not sent in time: \d+ more events of this message/)
    // The uploaded four as their LiveChat CDN links, the two never uploaded as their own links.
    expect(text.match(new RegExp(`${bed.livechat.url}/cdn/`, 'g'))).toHaveLength(4)
    for (const url of urls.slice(4)) expect(text).toContain(url)
    expect(bed.botpress.db.findMessage(message.id)?.tags.id).toBe(sent[0]?.id)
  })

  it('a bot message within the deadline is sent as it is', async () => {
    const { conversationId, livechatChatId } = await openSession()
    const before = threadEvents(livechatChatId).length
    const inst = bed.installation
    await inst.sendMessage({
      conversationId,
      userId: inst.botUserId,
      type: 'bloc',
      payload: {
        items: [
          { type: 'text', payload: { text: 'one' } },
          { type: 'text', payload: { text: 'two' } },
        ],
      },
    })
    expect(
      threadEvents(livechatChatId)
        .slice(before)
        .map((event) => event.text)
    ).toEqual(['one', 'two'])
  })
})
