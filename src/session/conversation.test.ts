import { describe, expect, it } from 'vitest'
import { sessionOf } from './conversation'

const tags = {
  id: 'PJ0MRSHTDG',
  thread: 'QZ1MRSHTDH',
  userId: 'user_01',
  customerId: 'b7eff798-f8df-4364-8059-649c35c9ed0c',
}

describe('sessionOf', () => {
  it('reads the session a hitl conversation’s tags describe', () => {
    expect(sessionOf({ id: 'conv_1', channel: 'hitl', tags: { ...tags, agentId: 'anna@example.com' } })).toEqual({
      botpressConversationId: 'conv_1',
      livechatChatId: 'PJ0MRSHTDG',
      livechatThreadId: 'QZ1MRSHTDH',
      customerUserId: 'user_01',
      livechatCustomerId: 'b7eff798-f8df-4364-8059-649c35c9ed0c',
    })
  })

  it('accepts a conversation sent without its channel (some runtimes omit it in message payloads)', () => {
    expect(sessionOf({ id: 'conv_1', tags })?.livechatThreadId).toBe('QZ1MRSHTDH')
  })

  it.each(['id', 'thread', 'userId', 'customerId'] as const)(
    'is undefined when the %s tag is missing or blank',
    (tag) => {
      expect(sessionOf({ id: 'conv_1', channel: 'hitl', tags: { ...tags, [tag]: undefined } })).toBeUndefined()
      expect(sessionOf({ id: 'conv_1', channel: 'hitl', tags: { ...tags, [tag]: '' } })).toBeUndefined()
    }
  )

  it('is undefined for another channel, whatever its tags', () => {
    expect(sessionOf({ id: 'conv_1', channel: 'channel', tags })).toBeUndefined()
    expect(sessionOf({ id: 'conv_1', channel: 'hitl' })).toBeUndefined()
  })
})
