import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LiveChatEmulator } from '../../emulators/livechat'
import {
  type Obj,
  bearer,
  call,
  customerChat,
  customerToken,
  payloadOf,
  registerWebhook,
  webhookReceiver,
} from '../fixtures/livechat/helpers'

/**
 * What the availability, session context and rating features need from LiveChat, through the documented HTTP surface:
 * list_group_statuses following the agents' routing statuses, session fields (100 keys at most), thread tags from the
 * license's list, and thread properties with the `rating` namespace writable by customers only.
 */
describe('LiveChat emulator: group statuses, session fields, thread tags and properties', () => {
  let lc: LiveChatEmulator
  beforeAll(async () => {
    lc = await LiveChatEmulator.start({
      seed: {
        agents: [
          { ...agent('anna@example.com'), routingStatus: 'accepting_chats', maxChats: 1 },
          { ...agent('bob@example.com'), routingStatus: 'not_accepting_chats' },
          { ...agent('carl@example.com'), routingStatus: 'not_accepting_chats' },
        ],
      },
    })
  })
  afterEach(() => lc.reset())
  afterAll(async () => {
    await lc.stop()
  })

  const statuses = async (body: Obj) => {
    const { token } = await customerToken(lc)
    return call<{ groups_status: Record<string, string> }>(lc, 'customer', 'list_group_statuses', body, {
      auth: bearer(token),
    })
  }

  it('lists group statuses from the agents’ routing statuses and chat limits, leaving out unknown groups', async () => {
    expect((await statuses({ group_ids: [19, 23, 77] })).body).toEqual({
      groups_status: { '19': 'online', '23': 'offline' },
    })
    // Anna takes one chat, her limit: a new chat would wait in the queue.
    const { chatId } = await customerChat(lc, 19)
    await lc.agent('anna@example.com').join(chatId)
    expect((await statuses({ all: true })).body.groups_status).toEqual({
      '0': 'online_for_queue',
      '19': 'online_for_queue',
      '23': 'offline',
    })
    await lc.agent('anna@example.com').setRoutingStatus('not_accepting_chats')
    expect((await statuses({ group_ids: [19] })).body.groups_status).toEqual({ '19': 'offline' })
    await lc.agent('carl@example.com').setRoutingStatus('accepting_chats')
    expect((await statuses({ group_ids: [23] })).body.groups_status).toEqual({ '23': 'online' })
    expect((await statuses({})).body).toMatchObject({ error: { type: 'validation' } })
  })

  it('sets session fields up to 100 keys and refuses more, counting keys over the whole array', async () => {
    const { token } = await customerToken(lc)
    const fields = Array.from({ length: 50 }, (_, i) => ({ [`k${i}`]: 'v', [`x${i}`]: 'w' }))
    const ok = await call(lc, 'customer', 'set_customer_session_fields', { session_fields: fields }, bearerOf(token))
    expect(ok).toMatchObject({ status: 200, body: {} })
    const tooMany = [...fields, { one: 'more' }]
    const refused = await call(
      lc,
      'customer',
      'set_customer_session_fields',
      { session_fields: tooMany },
      bearerOf(token)
    )
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ error: { type: 'validation' } })
    const mine = await call<Obj>(lc, 'customer', 'get_customer', {}, bearerOf(token))
    expect(mine.body.session_fields).toEqual(fields)
  })

  it('tags a thread, active or closed, with a license tag that shares a group with it', async () => {
    const hook = await webhookReceiver()
    try {
      await registerWebhook(lc, hook.url, 'thread_tagged')
      const { token, chatId, threadId } = await customerChat(lc, 19)
      await call(lc, 'customer', 'deactivate_chat', { id: chatId }, bearerOf(token))
      for (const tag of ['bot-handover', 'vip', 'vip']) {
        expect(await call(lc, 'agent', 'tag_thread', { chat_id: chatId, thread_id: threadId, tag })).toMatchObject({
          status: 200,
          body: {},
        })
      }
      const chat = await call<{ thread: Obj }>(lc, 'agent', 'get_chat', { chat_id: chatId, thread_id: threadId })
      expect(chat.body.thread.tags).toEqual(['bot-handover', 'vip'])
      await lc.idle()
      expect(hook.received.map(payloadOf)).toEqual([
        { chat_id: chatId, thread_id: threadId, tag: 'bot-handover' },
        { chat_id: chatId, thread_id: threadId, tag: 'vip' },
      ])
    } finally {
      await hook.close()
    }
  })

  it('refuses an unknown tag (case-sensitive), a tag of other groups, and a PAT without the chats scope', async () => {
    const { chatId, threadId } = await customerChat(lc, 19)
    const tag = (name: string) => call(lc, 'agent', 'tag_thread', { chat_id: chatId, thread_id: threadId, tag: name })
    expect((await tag('VIP')).body).toMatchObject({ error: { type: 'not_found' } })
    expect((await tag('sales')).body).toMatchObject({ error: { type: 'validation' } })
    const unknownThread = await call(lc, 'agent', 'tag_thread', { chat_id: chatId, thread_id: 'NOPE', tag: 'vip' })
    expect(unknownThread.body).toMatchObject({ error: { type: 'not_found' } })
    const limited = await LiveChatEmulator.start({ seed: { patScopes: ['chats--all:ro'] } })
    try {
      const res = await call(limited, 'agent', 'tag_thread', { chat_id: 'X', thread_id: 'Y', tag: 'vip' })
      expect(res.body).toMatchObject({ error: { type: 'authorization' } })
    } finally {
      await limited.stop()
    }
  })

  it('lists the license tags, optionally by group', async () => {
    const limited = await LiveChatEmulator.start({ seed: { patScopes: ['tags--all:ro'] } })
    try {
      const all = await call<Obj[]>(limited, 'configuration', 'list_tags', {})
      expect(all.body.map((tag) => tag.name)).toEqual(['bot-handover', 'vip', 'sales'])
      expect(all.body[1]).toMatchObject({ name: 'vip', group_ids: [19], author_id: expect.any(String) })
      const general = await call<Obj[]>(limited, 'configuration', 'list_tags', { filters: { group_ids: [0] } })
      expect(general.body.map((tag) => tag.name)).toEqual(['bot-handover', 'sales'])
    } finally {
      await limited.stop()
    }
    expect((await call(lc, 'configuration', 'list_tags', {})).body).toMatchObject({ error: { type: 'authorization' } })
  })

  it('lets the customer rate their thread, also once closed, and a second rating replace the first', async () => {
    const hook = await webhookReceiver()
    try {
      await registerWebhook(lc, hook.url, 'thread_properties_updated')
      const { token, chatId, threadId } = await customerChat(lc, 19)
      await call(lc, 'customer', 'deactivate_chat', { id: chatId }, bearerOf(token))
      const rate = (rating: Obj) =>
        call(
          lc,
          'customer',
          'update_thread_properties',
          { chat_id: chatId, thread_id: threadId, properties: { rating } },
          bearerOf(token)
        )
      expect(await rate({ score: 1, comment: 'Thanks!' })).toMatchObject({ status: 200, body: {} })
      expect(await rate({ score: 0, comment: '' })).toMatchObject({ status: 200, body: {} })
      const chat = await call<{ thread: { properties: Obj } }>(lc, 'agent', 'get_chat', { chat_id: chatId })
      expect(chat.body.thread.properties.rating).toEqual({ score: 0, comment: '' })
      await lc.idle()
      expect(hook.received.map(payloadOf).at(-1)).toEqual({
        chat_id: chatId,
        thread_id: threadId,
        properties: { rating: { score: 0, comment: '' } },
      })
    } finally {
      await hook.close()
    }
  })

  it('keeps the rating read-only for agents, refuses bad values and other customers, and writes nothing then', async () => {
    const { token, chatId, threadId } = await customerChat(lc, 19)
    const body = (rating: Obj) => ({ chat_id: chatId, thread_id: threadId, properties: { rating } })
    const byAgent = await call(lc, 'agent', 'update_thread_properties', body({ score: 1 }))
    expect(byAgent.body).toMatchObject({ error: { type: 'authorization' } })
    const badScore = await call(lc, 'customer', 'update_thread_properties', body({ score: 5 }), bearerOf(token))
    expect(badScore.body).toMatchObject({ error: { type: 'validation' } })
    const mixed = await call(
      lc,
      'customer',
      'update_thread_properties',
      { ...body({ score: 1 }), properties: { rating: { score: 1 }, nope: { x: 1 } } },
      bearerOf(token)
    )
    expect(mixed.body).toMatchObject({ error: { type: 'validation' } })
    const { token: stranger } = await customerToken(lc)
    const foreign = await call(lc, 'customer', 'update_thread_properties', body({ score: 1 }), bearerOf(stranger))
    expect(foreign.body).toMatchObject({ error: { type: 'not_found' } })
    const chat = await call<{ thread: { properties: Obj } }>(lc, 'agent', 'get_chat', { chat_id: chatId })
    expect(chat.body.thread.properties.rating).toBeUndefined()
  })
})

function agent(id: string) {
  return { id, name: id.split('@')[0] ?? id, avatar: '', accountId: id, role: 'normal' as const }
}

function bearerOf(token: { access_token: string }) {
  return { auth: `Bearer ${token.access_token}` }
}
