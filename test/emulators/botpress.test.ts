import { Client, isApiError } from '@botpress/client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BotpressEmulator } from '../../emulators/botpress'

/** The runtime API as the integration's own client (0.29.1) sees it: same requests, same error parsing. */
describe('Botpress runtime emulator API', () => {
  let bpe: BotpressEmulator
  let client: Client
  let integrationId: string

  beforeAll(async () => {
    bpe = await BotpressEmulator.start()
    const installation = bpe.install({
      integrationUrls: ['http://127.0.0.1:9'],
      configuration: {},
      integrationName: 'livechat-hitl',
    })
    integrationId = installation.integrationId
    // No retries: a test must see the first answer, not the client's 1 s / 2 s / 3 s back-off.
    client = new Client({ apiUrl: bpe.url, botId: installation.botId, integrationId, retry: { retries: 0 } })
  })
  afterAll(() => bpe.stop())
  afterEach(() => bpe.faults.clear())

  const rejection = async (promise: Promise<unknown>) => {
    const thrown = await promise.then(
      () => undefined,
      (e: unknown) => e
    )
    if (!isApiError(thrown)) throw new Error(`expected an ApiError, got ${String(thrown)}`)
    return { code: thrown.code, type: thrown.type, message: thrown.message }
  }

  it('answers an unknown id with the exact Botpress 404 body', async () => {
    const res = await fetch(`${bpe.url}/v1/chat/users/nobody`, {
      method: 'GET',
      headers: { 'content-type': 'application/json', 'x-bot-id': 'b', 'x-integration-id': integrationId },
    })
    expect(res.status).toBe(404)
    const body: unknown = await res.json()
    expect(body).toEqual({
      id: expect.stringMatching(/^err_\d{14}x[0-9A-F]{8}$/),
      code: 404,
      type: 'ResourceNotFound',
      message: "User nobody doesn't exist",
    })
    await expect(rejection(client.getUser({ id: 'nobody' }))).resolves.toEqual({
      code: 404,
      type: 'ResourceNotFound',
      message: "User nobody doesn't exist",
    })
  })

  it('accepts GET and DELETE with the `{}` body the client sends', async () => {
    const { user } = await client.createUser({ tags: { email: 'del@example.com' } })
    await expect(client.getUser({ id: user.id })).resolves.toMatchObject({ user: { id: user.id } })
    await expect(client.deleteUser({ id: user.id })).resolves.toEqual({})
    expect(bpe.calls.slice(-2)).toEqual([
      expect.objectContaining({ method: 'GET', body: {}, status: 200 }),
      expect.objectContaining({ method: 'DELETE', body: {}, status: 200 }),
    ])
  })

  it('answers 400 InvalidPayload when a required field is missing', async () => {
    const res = await fetch(`${bpe.url}/v1/chat/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tags: {} }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      code: 400,
      type: 'InvalidPayload',
      message: expect.stringMatching(/channel/),
    })
  })

  it('gets or creates users by every tag given, and updates tags key by key', async () => {
    const first = await client.getOrCreateUser({ tags: { agentId: 'smith@example.com' }, name: 'Ann' })
    const again = await client.getOrCreateUser({ tags: { agentId: 'smith@example.com' }, name: 'Other' })
    expect(again.user.id).toBe(first.user.id)
    expect(again.user.name).toBe('Ann')
    const other = await client.getOrCreateUser({ tags: { agentId: 'jones@example.com' } })
    expect(other.user.id).not.toBe(first.user.id)

    const { user } = await client.updateUser({ id: first.user.id, tags: { email: 'ann@example.com' }, pictureUrl: 'x' })
    expect(user.tags).toEqual({ agentId: 'smith@example.com', email: 'ann@example.com' })
    const cleared = await client.updateUser({ id: first.user.id, tags: { email: '' }, pictureUrl: null })
    expect(cleared.user.tags).toEqual({ agentId: 'smith@example.com' })
    expect(cleared.user.pictureUrl).toBeUndefined()

    const { users } = await client.listUsers({ tags: { agentId: 'jones@example.com' } })
    expect(users.map((u) => u.id)).toEqual([other.user.id])
  })

  it('gets or creates conversations by channel and tags, filled with the integration name', async () => {
    const a = await client.getOrCreateConversation({ channel: 'hitl', tags: { id: 'LC-1' } })
    const b = await client.getOrCreateConversation({ channel: 'hitl', tags: { id: 'LC-1' } })
    const c = await client.getOrCreateConversation({ channel: 'hitl', tags: { id: 'LC-2' } })
    expect(b.conversation.id).toBe(a.conversation.id)
    expect(c.conversation.id).not.toBe(a.conversation.id)
    expect(a.conversation).toMatchObject({ channel: 'hitl', integration: 'livechat-hitl', tags: { id: 'LC-1' } })

    await client.updateConversation({ id: c.conversation.id, tags: { closed: 'yes' } })
    const { conversations } = await client.listConversations({ tags: { closed: 'yes' } })
    expect(conversations.map((x) => x.id)).toEqual([c.conversation.id])
    await expect(client.getConversation({ id: a.conversation.id })).resolves.toMatchObject({
      conversation: { id: a.conversation.id },
    })
  })

  it('stores messages, matches get-or-create on conversation + tags, lists by tag, and acks', async () => {
    const { user } = await client.getOrCreateUser({ tags: { agentId: 'msg@example.com' } })
    const { conversation } = await client.getOrCreateConversation({ channel: 'hitl', tags: { id: 'LC-msg' } })
    const base = { conversationId: conversation.id, userId: user.id, type: 'text', payload: { text: 'hi' } }
    const first = await client.getOrCreateMessage({ ...base, tags: { id: 'ev-1' } })
    const retry = await client.getOrCreateMessage({ ...base, tags: { id: 'ev-1' } })
    const second = await client.createMessage({ ...base, tags: { id: 'ev-2' } })
    expect(retry.message.id).toBe(first.message.id)
    expect(first.message).toMatchObject({ direction: 'incoming', conversationId: conversation.id, userId: user.id })

    const byTag = await client.listMessages({ conversationId: conversation.id, tags: { id: 'ev-2' } })
    expect(byTag.messages.map((m) => m.id)).toEqual([second.message.id])
    expect(bpe.calls.at(-1)?.query).toBe(`conversationId=${conversation.id}&tags.id=ev-2`)
    const all = await client.listMessages({ conversationId: conversation.id })
    expect(all.messages).toHaveLength(2)

    const acked = await client.updateMessage({ id: second.message.id, tags: { id: 'lc-event-9' } })
    expect(acked.message.tags).toEqual({ id: 'lc-event-9' })
    await expect(rejection(client.updateMessage({ id: 'm-404', tags: {} }))).resolves.toMatchObject({ code: 404 })
    await expect(
      rejection(client.createMessage({ ...base, conversationId: 'no-such-conversation', tags: {} }))
    ).resolves.toMatchObject({ code: 404, type: 'ResourceNotFound' })
  })

  it('keeps states: 404 when unset, set, get-or-set, patch merges, null deletes', async () => {
    const at = { type: 'conversation', id: 'conv-s', name: 'session' } as const
    await expect(rejection(client.getState(at))).resolves.toMatchObject({ code: 404, type: 'ResourceNotFound' })

    const set = await client.setState({ ...at, payload: { livechatChatId: 'LC-1', assignedAgentIds: [] } })
    expect(set.state).toMatchObject({ conversationId: 'conv-s', name: 'session', type: 'conversation' })
    const kept = await client.getOrSetState({ ...at, payload: { livechatChatId: 'other' } })
    expect(kept.state.payload).toEqual({ livechatChatId: 'LC-1', assignedAgentIds: [] })

    await client.patchState({ ...at, payload: { assignedAgentIds: ['a1'] } })
    const got = await client.getState(at)
    expect(got.state.payload).toEqual({ livechatChatId: 'LC-1', assignedAgentIds: ['a1'] })

    await client.setState({ ...at, payload: null })
    await expect(rejection(client.getState(at))).resolves.toMatchObject({ code: 404 })
    const created = await client.getOrSetState({ ...at, payload: { livechatChatId: 'LC-2' } })
    expect(created.state.payload).toEqual({ livechatChatId: 'LC-2' })
  })

  it('normalises prefixed event types and lists events by filter', async () => {
    const a = await client.createEvent({
      type: 'livechat-hitl:hitlAssigned',
      payload: { conversationId: 'c1', userId: 'u' },
    })
    await client.createEvent({ type: 'hitlStopped', payload: { conversationId: 'c1' }, conversationId: 'c1' })
    expect(a.event).toMatchObject({ type: 'hitlAssigned', status: 'pending', failureReason: null })
    await expect(client.getEvent({ id: a.event.id })).resolves.toMatchObject({ event: { id: a.event.id } })
    const { events } = await client.listEvents({ type: 'hitlStopped' })
    expect(events.map((e) => e.payload)).toEqual([{ conversationId: 'c1' }])
  })

  it('uploads files to the upload URL and serves them at their url', async () => {
    const content = Buffer.from('%PDF-1.4 not really')
    const { file } = await client.uploadFile({
      key: 'livechat/agent-file.pdf',
      content,
      contentType: 'application/pdf',
      tags: { source: 'livechat' },
    })
    // uploadFile (0.29.1) returns the file as upserted, before the bytes went up; the upload completes it.
    expect(file.status).toBe('upload_pending')
    await expect(client.getFile({ id: file.id })).resolves.toMatchObject({
      file: { status: 'upload_completed', size: content.length, contentType: 'application/pdf' },
    })
    const res = await fetch(file.url)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(content)

    await client.updateFileMetadata({ id: file.id, tags: { source: null, kept: 'yes' } })
    const { files } = await client.listFiles({ tags: { kept: 'yes' } })
    expect(files.map((f) => f.id)).toEqual([file.id])
    await client.deleteFile({ id: file.id })
    await expect(rejection(client.getFile({ id: file.id }))).resolves.toMatchObject({ code: 404 })
    expect((await fetch(file.url)).status).toBe(404)
  })

  it('injects faults: the matching calls fail with the Botpress shape, then it heals', async () => {
    bpe.faults.inject({ count: 2, status: 500, match: { method: 'POST', path: /\/users\/get-or-create$/ } })
    const call = () => client.getOrCreateUser({ tags: { agentId: 'fault@example.com' } })
    // A call the fault does not match goes through untouched.
    await expect(client.listUsers({})).resolves.toMatchObject({ users: expect.any(Array) })
    await expect(rejection(call())).resolves.toEqual({
      code: 500,
      type: 'Internal',
      message: 'Injected fault (500 Internal)',
    })
    await expect(rejection(call())).resolves.toMatchObject({ code: 500 })
    await expect(call()).resolves.toMatchObject({ user: { tags: { agentId: 'fault@example.com' } } })
    expect(bpe.faults.pending).toEqual([])
  })

  it('delays a call, then applies and answers it as usual', async () => {
    bpe.faults.inject({ count: 1, delayMs: 150, match: { method: 'POST', path: /\/users\/get-or-create$/ } })
    // Measured on the monotonic clock: the wall clock may be set back or forth meanwhile.
    const started = performance.now()
    await expect(client.getOrCreateUser({ tags: { agentId: 'late@example.com' } })).resolves.toMatchObject({
      user: { tags: { agentId: 'late@example.com' } },
    })
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(bpe.faults.pending).toEqual([])
  })

  it('records every call with its status', async () => {
    const before = bpe.calls.length
    await client.getOrCreateUser({ tags: { agentId: 'rec@example.com' } })
    expect(bpe.calls.slice(before)).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/chat/users/get-or-create',
        integrationId,
        body: { tags: { agentId: 'rec@example.com' } },
        status: 200,
      }),
    ])
  })
})
