import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LiveChatEmulator } from '../../emulators/livechat'
import {
  type Obj,
  bearer,
  call,
  customerChat,
  payloadOf,
  registerWebhook,
  webhookReceiver,
} from '../fixtures/livechat/helpers'

const docsRegistration = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/livechat/register-webhook.json'), 'utf8')
) as Obj

describe('LiveChat emulator: Configuration API and webhook delivery', () => {
  let lc: LiveChatEmulator
  let hook: Awaited<ReturnType<typeof webhookReceiver>>
  beforeAll(async () => {
    lc = await LiveChatEmulator.start({ webhookRetryDelaysMs: [5, 5, 5] })
    hook = await webhookReceiver()
  })
  afterEach(async () => {
    await lc.idle()
    lc.reset()
    hook.received.length = 0
  })
  afterAll(async () => {
    await lc.stop()
    await hook.close()
  })

  it('registers, lists and unregisters a webhook with the documented shapes', async () => {
    const registered = await call<{ id: string }>(lc, 'configuration', 'register_webhook', {
      ...docsRegistration,
      owner_client_id: lc.seed.clientId,
    })
    expect(registered.body.id).toMatch(/^[a-z0-9]+$/)
    const listed = await call<Obj[]>(lc, 'configuration', 'list_webhooks', { owner_client_id: lc.seed.clientId })
    expect(listed.body).toEqual([
      {
        id: registered.body.id,
        url: 'http://myservice.com/webhooks',
        description: 'Test webhook',
        action: 'incoming_event',
        filters: { author_type: 'agent' },
        owner_client_id: lc.seed.clientId,
        type: 'license',
      },
    ])
    const gone = await call(lc, 'configuration', 'unregister_webhook', {
      id: registered.body.id,
      owner_client_id: lc.seed.clientId,
    })
    expect(gone.body).toEqual({})
    const again = await call(lc, 'configuration', 'unregister_webhook', {
      id: registered.body.id,
      owner_client_id: lc.seed.clientId,
    })
    expect(again.body).toMatchObject({ error: { type: 'not_found' } })
  })

  it('allows three webhooks per action and client, and answers limit_reached for the fourth', async () => {
    for (let i = 0; i < 3; i++) expect((await registerWebhook(lc, hook.url, 'chat_deactivated')).status).toBe(200)
    const fourth = await registerWebhook(lc, hook.url, 'chat_deactivated')
    expect(fourth.status).toBe(422)
    expect(fourth.body).toMatchObject({ error: { type: 'limit_reached' } })
  })

  it('rejects author_type on other actions, a foreign owner_client_id and a url over 500 characters', async () => {
    const filter = await registerWebhook(lc, hook.url, 'chat_deactivated', { filters: { author_type: 'agent' } })
    const owner = await registerWebhook(lc, hook.url, 'incoming_event', { owner_client_id: 'someone-else' })
    const longUrl = await registerWebhook(lc, `https://example.com/${'a'.repeat(500)}`, 'incoming_event')
    for (const res of [filter, owner, longUrl]) {
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ error: { type: 'validation' } })
    }
  })

  it('toggles and reports the license webhooks state', async () => {
    const owner = { owner_client_id: lc.seed.clientId }
    await call(lc, 'configuration', 'disable_license_webhooks', owner)
    expect((await call(lc, 'configuration', 'get_license_webhooks_state', owner)).body).toEqual({
      license_webhooks_enabled: false,
    })
    await call(lc, 'configuration', 'enable_license_webhooks', owner)
    expect((await call(lc, 'configuration', 'get_license_webhooks_state', owner)).body).toEqual({
      license_webhooks_enabled: true,
    })
  })

  it('lists groups with agent priorities and routing status, and agents with avatars', async () => {
    const groups = await call<Obj[]>(lc, 'configuration', 'list_groups', {
      fields: ['agent_priorities', 'routing_status'],
    })
    expect(groups.body).toContainEqual({
      id: 19,
      name: 'Support',
      language_code: 'en',
      agent_priorities: { 'anna@example.com': 'normal', 'bob@example.com': 'normal' },
      routing_status: 'accepting_chats',
    })
    const night = await call(lc, 'configuration', 'get_group', { id: 23, fields: ['routing_status'] })
    expect(night.body).toMatchObject({ routing_status: 'not_accepting_chats' })
    const agent = await call(lc, 'configuration', 'get_agent', { id: 'anna@example.com' })
    expect(agent.body).toMatchObject({
      name: 'Anna Agent',
      avatar: expect.stringMatching(/^https:/),
      login_status: 'accepting chats',
    })
    const agents = await call<Obj[]>(lc, 'configuration', 'list_agents', { filters: { group_ids: [19] } })
    expect(agents.body.map((a) => a.id)).toEqual(['anna@example.com', 'bob@example.com'])
  })

  it('delivers incoming_event to a local server with the documented envelope', async () => {
    await registerWebhook(lc, hook.url, 'incoming_event', {
      filters: { author_type: 'agent' },
      additional_data: ['chat_presence_user_ids'],
    })
    const { chatId, threadId, token } = await customerChat(lc)
    const { eventId } = await lc.agent('anna@example.com').sendMessage(chatId, 'Hello')
    await lc.idle()
    const events = hook.received.map(payloadOf).filter((p) => (p.event as Obj).type === 'message')
    expect(events).toHaveLength(1)
    const delivery = hook.received.find((r) => (payloadOf(r).event as Obj).id === eventId)
    expect(delivery?.body).toEqual({
      webhook_id: expect.any(String),
      secret_key: 'laudla991lamda0pnoaa0',
      action: 'incoming_event',
      organization_id: lc.seed.organizationId,
      payload: {
        chat_id: chatId,
        thread_id: threadId,
        event: {
          id: eventId,
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
          type: 'message',
          text: 'Hello',
          author_id: 'anna@example.com',
          visibility: 'all',
        },
      },
      additional_data: { chat_presence_user_ids: [token.entity_id, 'anna@example.com'] },
    })
  })

  it('skips customer events when the webhook filters author_type agent', async () => {
    await registerWebhook(lc, hook.url, 'incoming_event', { filters: { author_type: 'agent' } })
    await registerWebhook(lc, hook.url, 'incoming_event', { filters: { author_type: 'customer' } })
    const { chatId, token } = await customerChat(lc)
    await call(
      lc,
      'customer',
      'send_event',
      { chat_id: chatId, event: { type: 'message', text: 'from customer' } },
      { auth: bearer(token) }
    )
    await lc.agent('bob@example.com').sendMessage(chatId, 'from agent')
    await lc.idle()
    const byWebhook = new Map<string, string[]>()
    for (const r of hook.received) {
      const event = payloadOf(r).event as Obj
      if (event.type !== 'message') continue
      byWebhook.set(String(r.body.webhook_id), [
        ...(byWebhook.get(String(r.body.webhook_id)) ?? []),
        String(event.text),
      ])
    }
    expect([...byWebhook.values()].sort()).toEqual([['from agent'], ['from customer']])
  })

  it('redelivers after a 500 answer and records every attempt', async () => {
    await registerWebhook(lc, hook.url, 'chat_deactivated')
    const { chatId } = await customerChat(lc)
    hook.answerNext(500)
    await lc.agent('anna@example.com').closeChat(chatId)
    await lc.idle()
    expect(hook.received.map((r) => r.body.action)).toEqual(['chat_deactivated', 'chat_deactivated'])
    expect(payloadOf(hook.received[1] ?? { body: {}, at: 0 })).toMatchObject({
      chat_id: chatId,
      user_id: 'anna@example.com',
    })
    expect(lc.deliveries.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 200],
    ])
  })

  it('gives up after three retries', async () => {
    await registerWebhook(lc, hook.url, 'chat_deactivated')
    const { chatId } = await customerChat(lc)
    hook.answerNext(503, 503, 503, 503)
    await lc.agent('anna@example.com').closeChat(chatId)
    await lc.idle()
    expect(lc.deliveries.map((d) => d.attempt)).toEqual([1, 2, 3, 4])
  })

  it('sends the chat lifecycle webhooks with the documented payloads', async () => {
    for (const action of [
      'incoming_chat',
      'user_added_to_chat',
      'chat_transferred',
      'chat_deactivated',
      'user_removed_from_chat',
    ]) {
      await registerWebhook(lc, hook.url, action)
    }
    const { chatId, threadId } = await customerChat(lc, 0)
    await lc.agent('anna@example.com').join(chatId)
    await lc
      .agent('anna@example.com')
      .transfer(chatId, { type: 'group', ids: [23] }, { ignoreAgentsAvailability: true })
    await lc.agent('bob@example.com').closeChat(chatId)
    await lc.idle()
    const byAction = Object.fromEntries(hook.received.map((r) => [r.body.action, payloadOf(r)]))
    expect(byAction.incoming_chat).toMatchObject({
      chat: { id: chatId, access: { group_ids: [0] }, thread: { id: threadId } },
    })
    expect(byAction.user_added_to_chat).toEqual({
      chat_id: chatId,
      thread_id: threadId,
      user: {
        id: 'anna@example.com',
        type: 'agent',
        name: 'Anna Agent',
        email: 'anna@example.com',
        avatar: 'https://cdn.example.com/avatars/anna.png',
        visibility: 'all',
        present: true,
        events_seen_up_to: expect.any(String),
      },
      user_type: 'agent',
      reason: 'manual',
      requester_id: 'anna@example.com',
    })
    expect(byAction.chat_transferred).toEqual({
      chat_id: chatId,
      thread_id: threadId,
      requester_id: 'anna@example.com',
      reason: 'manual',
      transferred_to: { group_ids: [23] },
      queue: { position: 1, wait_time: 0, queued_at: expect.any(String) },
    })
    expect(byAction.chat_deactivated).toEqual({ chat_id: chatId, thread_id: threadId, user_id: 'bob@example.com' })
  })

  it('sends a manual_archived_agent system message without author when an agent closes the chat', async () => {
    await registerWebhook(lc, hook.url, 'incoming_event')
    const { chatId } = await customerChat(lc)
    await lc.agent('anna@example.com').closeChat(chatId)
    await lc.idle()
    const system = hook.received.map((r) => payloadOf(r).event as Obj).find((e) => e.type === 'system_message')
    expect(system).toMatchObject({ system_message_type: 'manual_archived_agent', text: 'Anna Agent archived the chat' })
    expect(system).not.toHaveProperty('author_id')
  })

  it('sends no webhooks while license webhooks are disabled', async () => {
    await registerWebhook(lc, hook.url, 'incoming_chat')
    await call(lc, 'configuration', 'disable_license_webhooks', { owner_client_id: lc.seed.clientId })
    await customerChat(lc)
    await lc.idle()
    expect(hook.received).toHaveLength(0)
  })

  it('duplicates every delivery when the duplicate probability is 1', async () => {
    await registerWebhook(lc, hook.url, 'incoming_chat')
    lc.deliveryMode({ duplicate: 1 })
    await customerChat(lc)
    await lc.idle()
    expect(hook.received).toHaveLength(2)
    expect(hook.received[0]?.body).toEqual(hook.received[1]?.body)
  })

  it('delivers two consecutive webhooks in reverse order when reordering is on', async () => {
    await registerWebhook(lc, hook.url, 'incoming_event', { filters: { author_type: 'agent' } })
    const { chatId } = await customerChat(lc)
    await lc.agent('anna@example.com').join(chatId)
    await lc.idle()
    hook.received.length = 0
    lc.deliveryMode({ reorder: true })
    await lc.agent('anna@example.com').sendMessage(chatId, 'first')
    await lc.agent('anna@example.com').sendMessage(chatId, 'second')
    await lc.idle()
    expect(hook.received.map((r) => (payloadOf(r).event as Obj).text)).toEqual(['second', 'first'])
  })
})
