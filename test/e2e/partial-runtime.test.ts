import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postWebhook } from '../../testbed/helpers'
import {
  agentJoined,
  agentTexts,
  agentWrote,
  chatClosed,
  currentThreadId,
  customerTexts,
  eventsOf,
  openSession,
  sendAsEndUser,
} from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'

/**
 * A Botpress runtime that lacks the get-or-create message and get-or-set state endpoints (an older or partial one,
 * answering 405 MethodNotFound) must still get every agent message once and the hitl events: the integration falls
 * back to a lookup by tag plus a create, and to deciding without the session lease.
 */
describe('a Botpress runtime without get-or-create messages and get-or-set states', () => {
  let bed: TestBed

  beforeAll(async () => {
    bed = await startTestBed()
  })
  afterAll(async () => {
    await bed?.stop()
  })

  it('still delivers each agent message once and emits hitlAssigned and hitlStopped', async () => {
    const session = await openSession(bed, 'Paula Partial', 'paula@example.com')
    const chat = { chatId: session.livechatChatId, threadId: currentThreadId(bed, session.livechatChatId) }
    const missing = { status: 405, type: 'MethodNotFound' as const, message: 'Not offered by this runtime' }
    bed.botpress.faults.inject({ ...missing, count: 1_000, match: { path: /\/v1\/chat\/messages\/get-or-create$/ } })
    bed.botpress.faults.inject({ ...missing, count: 1_000, match: { path: /\/get-or-set$/ } })

    expect((await postWebhook(bed, agentJoined(bed, chat, 'anna@example.com'))).status).toBe(200)
    const message = agentWrote(bed, chat, 'anna@example.com', `${chat.threadId}_partial_1`, 'Hello from Anna')
    expect((await postWebhook(bed, message)).status).toBe(200)
    // LiveChat redelivers: the lookup by tag finds the first copy.
    expect((await postWebhook(bed, message)).status).toBe(200)
    expect((await postWebhook(bed, chatClosed(bed, chat, 'anna@example.com'))).status).toBe(200)

    expect(agentTexts(bed, session.conversationId)).toEqual(['Hello from Anna'])
    expect(eventsOf(bed, 'hitlAssigned', session.conversationId)).toHaveLength(1)
    expect(eventsOf(bed, 'hitlStopped', session.conversationId)).toHaveLength(1)
    bed.botpress.faults.clear()
  })

  it('reports an end user message as sent when only the ack (tagging it with the LiveChat event id) fails', async () => {
    const session = await openSession(bed, 'Ulla Untagged', 'ulla@example.com')
    const missing = { status: 405, type: 'MethodNotFound' as const, message: 'Not offered by this runtime' }
    bed.botpress.faults.inject({
      ...missing,
      count: 1_000,
      match: { method: 'PUT', path: /\/v1\/chat\/messages\/[^/]+$/ },
    })

    await sendAsEndUser(bed, session, 'Is my order shipped?')

    expect(customerTexts(bed, session.livechatChatId)).toContain('Is my order shipped?')
    await eventually(() => expect(bed.logs()).toMatch(/could not tag it with the LiveChat event id/))
    bed.botpress.faults.clear()
  })

  it('sends an end user message whose conversation arrives without its tags (the session names the chat)', async () => {
    const session = await openSession(bed, 'Tina Tagless', 'tina@example.com')
    const stored = bed.botpress.db.findConversation(session.conversationId)
    if (!stored) throw new Error('startHitl left no conversation')
    const message = await sendAsEndUser(bed, session, 'First line')
    const now = new Date().toISOString()

    const answer = await bed.installation.call(
      'message_created',
      {
        conversation: { ...stored, tags: {} },
        user: { id: bed.installation.botUserId, createdAt: now, updatedAt: now, tags: {} },
        message: { ...message, id: `${message.id}-2`, payload: { text: 'Second line', userId: session.endUserId } },
        type: 'text',
        payload: { text: 'Second line', userId: session.endUserId },
      },
      { type: 'text' }
    )

    expect(answer.status).toBe(200)
    expect(customerTexts(bed, session.livechatChatId)).toEqual(['Tina Tagless', 'First line', 'Second line'])
  })

  it('opens sessions on a runtime without get-or-create conversations, one conversation per thread', async () => {
    const missing = { status: 405, type: 'MethodNotFound' as const, message: 'Not offered by this runtime' }
    bed.botpress.faults.inject({
      ...missing,
      count: 1_000,
      match: { path: /\/v1\/chat\/conversations\/get-or-create$/ },
    })
    try {
      const session = await openSession(bed, 'Gina Getless', 'gina@example.com')
      const chat = { chatId: session.livechatChatId, threadId: currentThreadId(bed, session.livechatChatId) }
      expect(bed.botpress.db.findConversation(session.conversationId)?.tags).toMatchObject({
        id: chat.chatId,
        thread: chat.threadId,
      })
      const message = agentWrote(bed, chat, 'anna@example.com', `${chat.threadId}_getless_1`, 'Hello Gina')
      expect((await postWebhook(bed, message)).status).toBe(200)
      expect(agentTexts(bed, session.conversationId)).toEqual(['Hello Gina'])
    } finally {
      bed.botpress.faults.clear()
    }
  })

  it('gives a returning end user a new conversation even where get-or-create matches the chat id alone', async () => {
    bed.botpress.db.conversationMatchTags = ['id']
    try {
      const first = await openSession(bed, 'Mia Match', 'mia@example.com')
      await bed.installation.runAction('stopHitl', { conversationId: first.conversationId })
      const { conversationId } = await bed.installation.runAction('startHitl', {
        userId: first.endUserId,
        title: 'Again',
        messageHistory: [],
      })
      expect(conversationId).not.toBe(first.conversationId)
      const threadId = currentThreadId(bed, first.livechatChatId)
      expect(bed.botpress.db.findConversation(conversationId)?.tags.thread).toBe(threadId)
      const message = agentWrote(
        bed,
        { chatId: first.livechatChatId, threadId },
        'anna@example.com',
        `${threadId}_m`,
        'Hi'
      )
      expect((await postWebhook(bed, message)).status).toBe(200)
      expect(agentTexts(bed, conversationId)).toEqual(['Hi'])
      expect(agentTexts(bed, first.conversationId)).toEqual([])
    } finally {
      bed.botpress.db.conversationMatchTags = undefined
    }
  })
})
