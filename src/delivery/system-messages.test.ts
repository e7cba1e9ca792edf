import { describe, expect, it } from 'vitest'
import { LiveChatApiError } from '../livechat'
import { CustomerEvent } from '../mapping/events'
import { withSystemMessageFallback } from './system-messages'

const refusal = (type: string) =>
  new LiveChatApiError({ status: 400, type, operation: 'customer.start_chat', message: 'refused' })

const opening: CustomerEvent[] = [
  { type: 'message', text: 'Order problem' },
  { type: 'system_message', system_message_type: 'botpress.bot_message', text: 'Bot: Hello', custom_id: 'm1' },
  { type: 'system_message', system_message_type: 'botpress.notice', text: '( The user has ended the session. )' },
]

describe('withSystemMessageFallback', () => {
  it('sends the events as they are when LiveChat takes them', async () => {
    const sent: CustomerEvent[][] = []
    await withSystemMessageFallback(
      opening,
      async (events) => sent.push(events),
      () => undefined
    )
    expect(sent).toEqual([opening])
  })

  it('resends refused system messages as labelled customer messages, once, and says so', async () => {
    const sent: CustomerEvent[][] = []
    let warned = 0
    const result = await withSystemMessageFallback(
      opening,
      async (events) => {
        sent.push(events)
        if (events.some((event) => event.type === 'system_message')) throw refusal('validation')
        return 'ok'
      },
      () => warned++
    )
    expect(result).toBe('ok')
    expect(warned).toBe(1)
    expect(sent[1]).toEqual([
      { type: 'message', text: 'Order problem' },
      { type: 'message', text: 'Bot: Hello', custom_id: 'm1' },
      { type: 'message', text: 'Bot notice: ( The user has ended the session. )' },
    ])
  })

  it('does not retry other failures, nor validation errors of plain messages', async () => {
    const plain: CustomerEvent[] = [{ type: 'message', text: 'hi' }]
    let calls = 0
    const fail = async () => {
      calls++
      throw refusal('validation')
    }
    await expect(withSystemMessageFallback(plain, fail, () => undefined)).rejects.toThrow('refused')
    await expect(
      withSystemMessageFallback(
        opening,
        async () => {
          calls++
          throw refusal('chat_inactive')
        },
        () => undefined
      )
    ).rejects.toThrow('refused')
    expect(calls).toBe(2)
  })
})
