import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chatOf, failureOf, lastThreadOf } from '../../testbed/helpers'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'

type EmulatedCustomer = { id: string; session_fields: Record<string, string>[] }
type EmulatedThread = { id: string; tags: string[] }

/**
 * The hitlSession context of startHitl through `bp serve`: session fields the agent reads with the customer's details
 * (set before the chat opens, next to the integration's own), chat tags on the session's thread (a refused tag is a
 * warning, never a failed hand-over), and limits checked before anything is opened.
 */
describe('startHitl session context', () => {
  let bed: TestBed

  const handOver = async (name: string, hitlSession: Record<string, unknown>) => {
    const { userId } = await bed.installation.runAction('createUser', { name })
    const before = bed.livechat.calls.length
    const { conversationId } = await bed.installation.runAction('startHitl', {
      userId,
      title: 'Order problem',
      hitlSession,
      messageHistory: [],
    })
    const livechatChatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
    const chat = chatOf(bed.livechat, livechatChatId)
    const customers = bed.livechat.state.customers as EmulatedCustomer[]
    return {
      userId,
      chat,
      thread: lastThreadOf(chat) as unknown as EmulatedThread,
      customer: customers.find((candidate) => candidate.id === chat.customer_id),
      calls: bed.livechat.calls.slice(before).map((call) => `${call.api}.${call.action}`),
    }
  }

  beforeAll(async () => {
    bed = await startTestBed()
  })
  // A fault a failed test left unspent must not hit the next test.
  afterEach(() => bed.livechat.faults.clear())
  afterAll(() => bed?.stop())

  it('shows the session fields before the chat opens, next to the integration’s own, and tags the thread', async () => {
    const fields = { order: '1234', plan: 'Pro', page: 'https://shop.example.com/orders/1234' }
    const session = await handOver('Grace Hopper', { sessionFields: fields, tags: ['bot-handover', 'vip'] })
    expect(session.customer?.session_fields).toEqual([
      { order: '1234' },
      { plan: 'Pro' },
      { page: 'https://shop.example.com/orders/1234' },
      { botpress_user_id: session.userId },
      { botpress_bot_id: bed.installation.botId },
    ])
    expect(session.thread.tags).toEqual(['bot-handover', 'vip'])
    // The fields come first, so the agent's first look at the chat has them; the tags need the thread.
    expect(session.calls).toEqual([
      'customer.set_customer_session_fields',
      'customer.start_chat',
      'agent.tag_thread',
      'agent.tag_thread',
    ])
  })

  it('costs no call when the bot gives neither', async () => {
    const session = await handOver('Plain Paul', {})
    expect(session.calls).toEqual(['customer.start_chat'])
    expect(session.thread.tags ?? []).toEqual([])
  })

  it('hands over all the same when LiveChat refuses a tag, with one warning naming it', async () => {
    const logsBefore = bed.logs().length
    const session = await handOver('Tag Tester', { tags: ['vip', 'no-such-tag', 'sales', ' ', 'forged\nline'] })
    expect(session.thread.tags).toEqual(['vip'])
    // Blank and control-character tags are not even sent.
    expect(session.calls.filter((call) => call === 'agent.tag_thread')).toHaveLength(3)
    const warned = (tag: string) =>
      bed
        .logs()
        .slice(logsBefore)
        .split('\n')
        .filter((line) => line.includes('LiveChat did not put the tag') && line.includes(`livechatTag=${tag}`))
    await eventually(() => {
      expect(warned('"no-such-tag"')).toHaveLength(1)
      // `sales` is a tag of the General group only; this chat is in the Support group.
      expect(warned('"sales"')).toHaveLength(1)
      expect(warned('" "')).toHaveLength(1)
      expect(warned('"forged\\nline"')).toHaveLength(1)
    })
    expect(bed.logs().slice(logsBefore)).not.toMatch(/^line/m)
  })

  it('hands over all the same when LiveChat cannot take the session fields, with a warning', async () => {
    const match = { action: 'set_customer_session_fields' }
    bed.livechat.faults.inject({ count: 4, kind: 503, retryAfterSeconds: 0, match })
    const logsBefore = bed.logs().length
    const session = await handOver('Unlucky Ursula', { sessionFields: { order: '99' } })
    expect(lastThreadOf(session.chat).active).toBe(true)
    await eventually(() =>
      expect(bed.logs().slice(logsBefore)).toContain('Could not show the session fields to the LiveChat agent')
    )
  })

  it('refuses what cannot fit LiveChat’s limits with a clear error, before anything is opened', async () => {
    const { userId } = await bed.installation.runAction('createUser', { name: 'Too Much' })
    const tooMany = Object.fromEntries(Array.from({ length: 99 }, (_, i) => [`key${i}`, 'v']))
    const cases: [Record<string, unknown>, string][] = [
      [{ sessionFields: tooMany }, 'hitlSession.sessionFields has 99 keys; LiveChat takes 98'],
      [{ sessionFields: { note: 'x'.repeat(1001) } }, 'value of "note" is over 1000 characters'],
      [{ sessionFields: { botpress_user_id: 'me' } }, 'key "botpress_user_id" is set by the integration itself'],
      [{ tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }, 'hitlSession.tags has 21 tags; at most 20'],
    ]
    const chats = (bed.livechat.state.chats as unknown[]).length
    const before = bed.livechat.calls.length
    for (const [hitlSession, problem] of cases) {
      const failure = await failureOf(
        bed.installation.runAction('startHitl', { userId, hitlSession, messageHistory: [] })
      )
      expect(failure).toContain(problem)
      expect(failure).toContain('Nothing was opened in LiveChat')
    }
    expect(bed.livechat.calls.slice(before)).toEqual([])
    expect((bed.livechat.state.chats as unknown[]).length).toBe(chats)
  })
})
