import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LiveChatEmulator } from '../../emulators/livechat'
import { type Obj, bearer, call, customerChat, customerToken } from '../fixtures/livechat/helpers'

const richMessage = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/livechat/rich-message-cards.json'), 'utf8')
) as Obj

describe('LiveChat emulator: Agent and Customer Chat Web API v3.6', () => {
  let lc: LiveChatEmulator
  beforeAll(async () => {
    lc = await LiveChatEmulator.start()
  })
  afterEach(() => lc.reset())
  afterAll(async () => {
    await lc.stop()
  })

  it('lets a customer start a chat in a group, send a message and deactivate it', async () => {
    const { token, chatId, threadId } = await customerChat(lc, 19)
    expect(chatId).toMatch(/^[A-Z0-9]{10}$/)
    const sent = await call(
      lc,
      'customer',
      'send_event',
      { chat_id: chatId, event: { type: 'message', text: 'hi' } },
      { auth: bearer(token) }
    )
    expect(sent.body).toEqual({ event_id: `${threadId}_2` })
    const chat = await call<{ access: Obj; thread: { events: Obj[] } }>(lc, 'agent', 'get_chat', { chat_id: chatId })
    expect(chat.body.access).toEqual({ group_ids: [19] })
    expect(chat.body.thread.events.map((e) => e.text)).toEqual(['Order problem', 'hi'])
    const closed = await call(lc, 'customer', 'deactivate_chat', { id: chatId }, { auth: bearer(token) })
    expect(closed).toMatchObject({ status: 200, body: {} })
    const again = await call(
      lc,
      'customer',
      'send_event',
      { chat_id: chatId, event: { type: 'message', text: 'x' } },
      { auth: bearer(token) }
    )
    expect(again.status).toBe(422)
    expect(again.body).toMatchObject({ error: { type: 'chat_inactive' } })
  })

  it('adds a late customer message to the last thread with attach_to_last_thread', async () => {
    const { token, chatId, threadId } = await customerChat(lc)
    await call(lc, 'customer', 'deactivate_chat', { id: chatId }, { auth: bearer(token) })
    const res = await call(
      lc,
      'customer',
      'send_event',
      { chat_id: chatId, event: { type: 'message', text: 'late' }, attach_to_last_thread: true },
      { auth: bearer(token) }
    )
    expect(res.body).toMatchObject({ event_id: expect.stringContaining(threadId) })
  })

  it('refuses a second chat while the customer already has an active one', async () => {
    const { token } = await customerChat(lc)
    const second = await call(lc, 'customer', 'start_chat', { continuous: true }, { auth: bearer(token) })
    expect(second.status).toBe(422)
    expect(second.body).toMatchObject({ error: { type: 'limit_reached' } })
  })

  it('refuses a non-continuous customer chat in a group where nobody accepts chats', async () => {
    const { token } = await customerToken(lc)
    const res = await call(
      lc,
      'customer',
      'start_chat',
      { chat: { access: { group_ids: [23] } } },
      { auth: bearer(token) }
    )
    expect(res.body).toMatchObject({ error: { type: 'groups_offline' } })
  })

  it('requires organization_id on every Customer Chat API call', async () => {
    const { token } = await customerToken(lc)
    const missing = await call(lc, 'customer', 'get_customer', {}, { auth: bearer(token), query: '' })
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({ error: { type: 'validation' } })
    const wrong = await call(
      lc,
      'customer',
      'get_customer',
      {},
      { auth: bearer(token), query: '?organization_id=other' }
    )
    expect(wrong.body).toMatchObject({ error: { type: 'license_not_found' } })
  })

  it('rejects an agent Basic token on the Customer API and a customer token on the Agent API', async () => {
    const { token } = await customerToken(lc)
    const onCustomer = await call(lc, 'customer', 'get_customer', {}, { auth: `Basic ${lc.seed.agentToken}` })
    const onAgent = await call(lc, 'agent', 'list_chats', {}, { auth: bearer(token) })
    for (const res of [onCustomer, onAgent]) {
      expect(res.status).toBe(401)
      expect(res.body).toMatchObject({ error: { type: 'authentication' } })
    }
  })

  it('rejects a PAT sent as Bearer and a missing Authorization header', async () => {
    const asBearer = await call(lc, 'agent', 'list_chats', {}, { auth: `Bearer ${lc.seed.pat}` })
    expect(asBearer.status).toBe(401)
    const none = await fetch(`${lc.url}/v3.6/agent/action/list_chats`, { method: 'POST', body: '{}' })
    expect(none.status).toBe(401)
    expect(await none.json()).toEqual({ error: { type: 'authentication', message: 'No `Authorization` header' } })
  })

  it('lets the PAT owner start a chat with a customer and deactivate it, ignoring presence', async () => {
    const { token } = await customerToken(lc)
    const started = await call<{ chat_id: string; event_ids: string[] }>(lc, 'agent', 'start_chat', {
      chat: {
        access: { group_ids: [0] },
        users: [{ id: token.entity_id, type: 'customer' }],
        thread: { events: [{ type: 'message', text: 'hello', visibility: 'all' }] },
      },
      continuous: true,
    })
    expect(started.body.event_ids).toHaveLength(1)
    const done = await call(lc, 'agent', 'deactivate_chat', {
      id: started.body.chat_id,
      ignore_requester_presence: true,
    })
    expect(done.body).toEqual({})
    const inactive = await call(lc, 'agent', 'deactivate_chat', { id: started.body.chat_id })
    expect(inactive.body).toMatchObject({ error: { type: 'chat_inactive' } })
  })

  it('answers not_found for an unknown chat and for an unknown action', async () => {
    const chat = await call(lc, 'agent', 'get_chat', { chat_id: 'NOPE000000' })
    expect(chat.status).toBe(404)
    expect(chat.body).toMatchObject({ error: { type: 'not_found' } })
    const action = await call(lc, 'agent', 'close_chat', { id: 'X' })
    expect(action.status).toBe(404)
  })

  it('refuses send_event from an agent who is not a user of the chat', async () => {
    const { chatId } = await customerChat(lc)
    const res = await call(lc, 'agent', 'send_event', { chat_id: chatId, event: { type: 'message', text: 'hi' } })
    expect(res.status).toBe(403)
    expect(res.body).toMatchObject({ error: { type: 'authorization', message: 'Requester is not user of the chat' } })
  })

  it('validates events: text over 16 KB, foreign file urls and malformed rich messages', async () => {
    const { token, chatId } = await customerChat(lc)
    const send = (event: Obj) => call(lc, 'customer', 'send_event', { chat_id: chatId, event }, { auth: bearer(token) })
    const long = await send({ type: 'message', text: 'a'.repeat(16 * 1024 + 1) })
    const file = await send({ type: 'file', url: 'https://example.com/a.png' })
    const tooManyButtons = await send({
      type: 'rich_message',
      template_id: 'cards',
      elements: [
        {
          title: 't',
          buttons: Array.from({ length: 14 }, () => ({
            text: 'b',
            type: 'message',
            value: 'v',
            postback_id: 'p',
            user_ids: [],
          })),
        },
      ],
    })
    const badTemplate = await send({ type: 'rich_message', template_id: 'carousel', elements: [] })
    for (const res of [long, file, tooManyButtons, badTemplate]) {
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ error: { type: 'validation' } })
    }
    expect((await send(richMessage)).status).toBe(200)
  })

  it('fails a transfer to a group where no agent accepts chats unless ignore_agents_availability is set', async () => {
    const { chatId } = await customerChat(lc)
    const body = { id: chatId, target: { type: 'group', ids: [23] }, ignore_requester_presence: true }
    const refused = await call(lc, 'agent', 'transfer_chat', body)
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({
      error: { type: 'validation', message: 'Cannot assign any agent from requested groups' },
    })
    const queued = await call(lc, 'agent', 'transfer_chat', { ...body, ignore_agents_availability: true })
    expect(queued.body).toEqual({})
    const chat = await call<{ access: Obj; thread: Obj }>(lc, 'agent', 'get_chat', { chat_id: chatId })
    expect(chat.body.access).toEqual({ group_ids: [23] })
    expect(chat.body.thread.queue).toMatchObject({ position: 1, queued_at: expect.any(String) })
  })

  it('adds and removes an agent, and hides agent ids behind hashes on the customer side', async () => {
    const { token, chatId } = await customerChat(lc)
    const add = {
      chat_id: chatId,
      user_id: 'bob@example.com',
      user_type: 'agent',
      visibility: 'all',
      ignore_requester_presence: true,
    }
    expect((await call(lc, 'agent', 'add_user_to_chat', add)).body).toEqual({})
    const seen = await call<{ users: Obj[] }>(lc, 'customer', 'get_chat', { chat_id: chatId }, { auth: bearer(token) })
    const agent = seen.body.users.find((u) => u.type === 'agent')
    expect(agent).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'Bob Builder' })
    const removed = await call(lc, 'agent', 'remove_user_from_chat', {
      chat_id: chatId,
      user_id: 'bob@example.com',
      user_type: 'agent',
      ignore_requester_presence: true,
    })
    expect(removed.body).toEqual({})
  })

  it('lists chats with the v3.6 `active` filter and pages with page_id alone', async () => {
    const a = await customerChat(lc)
    await customerChat(lc)
    await call(lc, 'customer', 'deactivate_chat', { id: a.chatId }, { auth: bearer(a.token) })
    const active = await call<{ chats_summary: Obj[]; found_chats: number }>(lc, 'agent', 'list_chats', {
      filters: { active: true },
    })
    expect(active.body.found_chats).toBe(1)
    const first = await call<{ chats_summary: Obj[]; next_page_id: string }>(lc, 'agent', 'list_chats', { limit: 1 })
    expect(first.body.chats_summary).toHaveLength(1)
    const next = await call<{ chats_summary: Obj[] }>(lc, 'agent', 'list_chats', { page_id: first.body.next_page_id })
    expect(next.body.chats_summary).toHaveLength(1)
    const mixed = await call(lc, 'agent', 'list_chats', { page_id: first.body.next_page_id, limit: 1 })
    expect(mixed.body).toMatchObject({ error: { type: 'validation' } })
  })

  it('updates and reads a customer from both sides', async () => {
    const { token } = await customerToken(lc)
    await call(
      lc,
      'customer',
      'update_customer',
      { name: 'Thomas Anderson', email: 't.anderson@example.com' },
      { auth: bearer(token) }
    )
    await call(lc, 'agent', 'update_customer', { id: token.entity_id, session_fields: [{ plan: 'pro' }] })
    const mine = await call(lc, 'customer', 'get_customer', {}, { auth: bearer(token) })
    expect(mine.body).toEqual({
      id: token.entity_id,
      type: 'customer',
      name: 'Thomas Anderson',
      email: 't.anderson@example.com',
      session_fields: [{ plan: 'pro' }],
    })
    const agentView = await call(lc, 'agent', 'get_customer', { id: token.entity_id })
    expect(agentView.body).toMatchObject({ id: token.entity_id, chat_ids: [], statistics: { chats_count: 0 } })
  })

  it('answers authorization when the PAT lacks the method scope', async () => {
    const limited = await LiveChatEmulator.start({ seed: { patScopes: ['chats--all:ro'] } })
    try {
      const read = await call(limited, 'agent', 'list_chats', {})
      expect(read.status).toBe(200)
      const write = await call(limited, 'agent', 'start_chat', {})
      expect(write.status).toBe(403)
      expect(write.body).toMatchObject({ error: { type: 'authorization' } })
    } finally {
      await limited.stop()
    }
  })

  it('answers misdirected_request with the license region when a call lands in the wrong data centre', async () => {
    const eu = await LiveChatEmulator.start({ seed: { region: 'fra' } })
    try {
      expect(eu.seed.pat.startsWith('fra:')).toBe(true)
      const wrong = await call(eu, 'configuration', 'list_groups', {})
      expect(wrong.status).toBe(421)
      expect(wrong.body).toEqual({
        error: { type: 'misdirected_request', message: 'Wrong region', data: { region: 'fra' } },
      })
      const right = await call(eu, 'configuration', 'list_groups', {}, { headers: { 'x-region': 'fra' } })
      expect(right.status).toBe(200)
      expect(eu.calls.at(-1)).toMatchObject({ region: 'fra', status: 200 })
    } finally {
      await eu.stop()
    }
  })
})
