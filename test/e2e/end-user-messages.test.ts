import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { customerTexts, openSession, sendAsEndUser } from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'

/** End user messages whose bookkeeping on the Botpress side goes wrong: the message to LiveChat goes all the same. */
describe('end user messages around Botpress hiccups', () => {
  let bed: TestBed

  beforeAll(async () => {
    bed = await startTestBed()
  })
  // A fault a failed test left unspent must not hit the next test.
  afterEach(() => bed.botpress.faults.clear())
  afterAll(async () => {
    await bed?.stop()
  })

  it('reports an end user message as sent when only the ack (tagging it with the LiveChat event id) fails', async () => {
    const session = await openSession(bed, 'Ulla Untagged', 'ulla@example.com')
    const refused = { status: 405, type: 'MethodNotFound' as const, message: 'Refused by the runtime' }
    bed.botpress.faults.inject({
      ...refused,
      count: 1_000,
      match: { method: 'PUT', path: /\/v1\/chat\/messages\/[^/]+$/ },
    })

    const logsBefore = bed.logs().length

    await sendAsEndUser(bed, session, 'Is my order shipped?')

    expect(customerTexts(bed, session.livechatChatId)).toContain('Is my order shipped?')
    await eventually(() => expect(bed.logs().slice(logsBefore)).toMatch(/could not tag it with the LiveChat event id/))
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
})
