import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chatOf, failureOf, registerWebhooks, settle } from '../../testbed/helpers'
import { eventsOf } from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { expectNoSecrets } from './log-audit'

type RatedThread = { id: string; properties?: { rating?: unknown } }

/**
 * rateSession through `bp serve`: the end user's rating goes on the session's own LiveChat thread as LiveChat's
 * `rating` properties, written with the customer's token, after the chat closed too; a second rating replaces the
 * first; a conversation that is no session of ours, or a comment too long, fails and writes nothing.
 */
describe('rateSession', () => {
  let bed: TestBed

  const session = async (name: string) => {
    const { userId } = await bed.installation.runAction('createUser', { name, email: `${name.toLowerCase()}@x.io` })
    const { conversationId } = await bed.installation.runAction('startHitl', { userId, messageHistory: [] })
    const tags = bed.botpress.db.findConversation(conversationId)?.tags ?? {}
    return { conversationId, livechatChatId: tags.id ?? '', threadId: tags.thread ?? '' }
  }
  const ratingOf = (livechatChatId: string, threadId: string) =>
    (chatOf(bed.livechat, livechatChatId).threads as RatedThread[]).find((thread) => thread.id === threadId)?.properties
      ?.rating
  /** The rating writes LiveChat received since call number `since`, by API. */
  const writesSince = (since: number) =>
    bed.livechat.calls
      .slice(since)
      .filter((call) => call.action === 'update_thread_properties')
      .map((call) => call.api)

  beforeAll(async () => {
    bed = await startTestBed()
    await registerWebhooks(bed)
  })
  afterEach(() => expectNoSecrets(bed))
  afterAll(() => bed?.stop())

  it('writes the rating on the session’s thread after the agent closed it, and a second one replaces it', async () => {
    const { conversationId, livechatChatId, threadId } = await session('Grace')
    await bed.livechat.agent('anna@example.com').sendMessage(livechatChatId, 'Solved!')
    await bed.livechat.agent('anna@example.com').closeChat(livechatChatId)
    await settle(bed)
    expect(eventsOf(bed, 'hitlStopped', conversationId)).toHaveLength(1)

    const before = bed.livechat.calls.length
    await bed.installation.runAction('rateSession', { conversationId, score: 'good', comment: 'Quick and kind' })
    expect(ratingOf(livechatChatId, threadId)).toEqual({ score: 1, comment: 'Quick and kind' })
    await bed.installation.runAction('rateSession', { conversationId, score: 'bad' })
    expect(ratingOf(livechatChatId, threadId)).toEqual({ score: 0, comment: '' })
    // Written as the customer (the rating is read-only for agents).
    expect(writesSince(before)).toEqual(['customer', 'customer'])
  })

  it('rates the session it names, not the newer session of the same end user', async () => {
    const first = await session('Alan')
    await bed.installation.runAction('stopHitl', { conversationId: first.conversationId })
    const { userId } = await bed.installation.runAction('createUser', { name: 'Alan', email: 'alan@x.io' })
    const second = await bed.installation.runAction('startHitl', { userId, messageHistory: [] })
    const secondThread = bed.botpress.db.findConversation(second.conversationId)?.tags.thread ?? ''
    expect(secondThread).not.toBe(first.threadId)

    await bed.installation.runAction('rateSession', { conversationId: first.conversationId, score: 'good' })
    expect(ratingOf(first.livechatChatId, first.threadId)).toEqual({ score: 1, comment: '' })
    expect(ratingOf(first.livechatChatId, secondThread)).toBeUndefined()
  })

  it('fails plainly and writes nothing for a conversation that is no HITL session of this integration', async () => {
    const before = bed.livechat.calls.length
    expect(
      await failureOf(
        bed.installation.runAction('rateSession', { conversationId: 'no-such-conversation', score: 'good' })
      )
    ).toContain('there is no conversation no-such-conversation')
    const other = bed.botpress.seedConversation({ channel: 'hitl', integrationName: 'livechat-hitl', tags: {} })
    expect(
      await failureOf(bed.installation.runAction('rateSession', { conversationId: other.id, score: 'bad' }))
    ).toContain('is not a LiveChat HITL session of this integration')
    expect(writesSince(before)).toEqual([])
  })

  it('refuses a comment over 1,000 characters before writing anything', async () => {
    const { conversationId, livechatChatId, threadId } = await session('Verbose')
    const before = bed.livechat.calls.length
    const failure = await failureOf(
      bed.installation.runAction('rateSession', { conversationId, score: 'good', comment: 'a'.repeat(1001) })
    )
    expect(failure).toContain('the comment has 1001 characters, at most 1000')
    expect(writesSince(before)).toEqual([])
    expect(ratingOf(livechatChatId, threadId)).toBeUndefined()
  })
})
