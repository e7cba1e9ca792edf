import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LiveChatEmulator } from '../../emulators/livechat'
import {
  type Obj,
  basic,
  bearer,
  call,
  customerChat,
  registerWebhook,
  webhookReceiver,
} from '../fixtures/livechat/helpers'

// A 2x1 PNG: signature, IHDR with width 2 and height 1.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000010806000000f478d4fa', 'hex')

const upload = async (lc: LiveChatEmulator, name: string, type: string, content: Buffer, auth = basic(lc)) => {
  const form = new FormData()
  form.append('file', new Blob([content], { type }), name)
  const res = await fetch(`${lc.url}/v3.6/agent/action/upload_file`, {
    method: 'POST',
    headers: { authorization: auth },
    body: form,
  })
  return { status: res.status, body: (await res.json()) as Obj }
}

describe('LiveChat emulator: files, faults, control API and call log', () => {
  let lc: LiveChatEmulator
  beforeAll(async () => {
    lc = await LiveChatEmulator.start({ webhookRetryDelaysMs: [5, 5, 5], faultTimeoutMs: 200 })
  })
  afterEach(async () => {
    await lc.idle()
    lc.reset()
  })
  afterAll(async () => {
    await lc.stop()
  })

  it('uploads a file to the emulator CDN, serves it back and sends it as a file event with image sizes', async () => {
    const hook = await webhookReceiver()
    try {
      await registerWebhook(lc, hook.url, 'incoming_event', { filters: { author_type: 'agent' } })
      const { chatId } = await customerChat(lc)
      const { url } = (await upload(lc, 'image.png', 'image/png', PNG)).body as { url: string }
      expect(url.startsWith(`${lc.url}/cdn/`)).toBe(true)
      const download = await fetch(url)
      expect(download.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true)
      await call(lc, 'agent', 'add_user_to_chat', {
        chat_id: chatId,
        user_id: 'anna@example.com',
        user_type: 'agent',
        visibility: 'all',
      })
      await call(lc, 'agent', 'send_event', { chat_id: chatId, event: { type: 'file', url } })
      await lc.idle()
      const event = hook.received.map((r) => (r.body.payload as Obj).event as Obj).find((e) => e.type === 'file')
      expect(event).toMatchObject({
        name: 'image.png',
        url,
        content_type: 'image/png',
        size: PNG.length,
        width: 2,
        height: 1,
      })
    } finally {
      await hook.close()
    }
  })

  it('refuses uploads over 10 MB with entity_too_large and executables with validation', async () => {
    const big = await upload(lc, 'big.bin', 'application/octet-stream', Buffer.alloc(10 * 1024 * 1024 + 1))
    expect(big.status).toBe(413)
    expect(big.body).toEqual({ error: { type: 'entity_too_large', message: 'Upload limit exceeded (10MB).' } })
    const exe = await upload(lc, 'setup.exe', 'application/x-msdownload', Buffer.from('MZ'))
    expect(exe.status).toBe(400)
    expect(exe.body).toMatchObject({ error: { type: 'validation' } })
  })

  it('lets an agent helper send a file that a customer can download', async () => {
    const { chatId, token } = await customerChat(lc)
    const sent = await lc
      .agent('bob@example.com')
      .sendFile(chatId, { name: 'invoice.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF') })
    const chat = await call<{ thread: { events: Obj[] } }>(
      lc,
      'customer',
      'get_chat',
      { chat_id: chatId },
      { auth: bearer(token) }
    )
    const file = chat.body.thread.events.find((e) => e.id === sent.eventId)
    expect(file).toMatchObject({ type: 'file', name: 'invoice.pdf', content_type: 'application/pdf', url: sent.url })
    expect(file).not.toHaveProperty('size')
    expect(await (await fetch(sent.url)).text()).toBe('%PDF')
  })

  it('injects 429 with Retry-After, then 503, on the next matching calls only', async () => {
    lc.faults.inject({ count: 1, kind: 429, match: { api: 'agent', action: 'list_chats' }, retryAfterSeconds: 3 })
    lc.faults.inject({ count: 1, kind: 503 })
    const limited = await call(lc, 'agent', 'list_chats', {})
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    expect(limited.body).toMatchObject({ error: { type: 'too_many_requests' } })
    const unavailable = await call(lc, 'configuration', 'list_groups', {})
    expect(unavailable.body).toMatchObject({ error: { type: 'service_unavailable' } })
    expect((await call(lc, 'agent', 'list_chats', {})).status).toBe(200)
  })

  it('holds a timed-out call and then answers request_timeout, and resets the socket on a reset fault', async () => {
    lc.faults.inject({ count: 1, kind: 'timeout', match: { action: 'list_groups' } })
    const held = await call(lc, 'configuration', 'list_groups', {})
    expect(held.status).toBe(504)
    expect(held.body).toMatchObject({ error: { type: 'request_timeout' } })
    lc.faults.inject({ count: 1, kind: 'reset' })
    await expect(call(lc, 'agent', 'list_chats', {})).rejects.toThrow()
  })

  it('applies a call whose answer is then lost (held then 504, or 502), and delays a call before applying it', async () => {
    const { token, chatId } = await customerChat(lc)
    const send = (text: string) =>
      call(lc, 'customer', 'send_event', { chat_id: chatId, event: { type: 'message', text } }, { auth: bearer(token) })
    lc.faults.inject({ count: 1, kind: 'applied-timeout', match: { action: 'send_event' } })
    expect((await send('one')).status).toBe(504)
    lc.faults.inject({ count: 1, kind: 'applied-502', match: { action: 'send_event' } })
    expect((await send('two')).status).toBe(502)
    lc.faults.inject({ count: 1, kind: 'delay', delayMs: 150, match: { action: 'send_event' } })
    // Measured on the monotonic clock: the wall clock may be set back or forth meanwhile.
    const before = performance.now()
    expect((await send('three')).status).toBe(200)
    expect(performance.now() - before).toBeGreaterThanOrEqual(140)
    const chat = await call<{ thread: { events: { text?: string }[] } }>(
      lc,
      'customer',
      'get_chat',
      { chat_id: chatId },
      { auth: bearer(token) }
    )
    expect(chat.body.thread.events.map((e) => e.text)).toEqual(['Order problem', 'one', 'two', 'three'])
  })

  it('keeps tokens and secrets out of the call log', async () => {
    const { chatId, token } = await customerChat(lc)
    await registerWebhook(lc, 'http://127.0.0.1:9/x', 'incoming_chat')
    await call(
      lc,
      'customer',
      'send_event',
      { chat_id: chatId, event: { type: 'message', text: 'hi' } },
      { auth: bearer(token) }
    )
    const log = JSON.stringify(lc.calls)
    expect(log).not.toContain(token.access_token)
    expect(log).not.toContain(lc.seed.pat)
    expect(log).not.toContain(lc.seed.agentToken)
    expect(log).not.toContain('laudla991lamda0pnoaa0')
    expect(lc.calls.map((c) => `${c.api}/${c.action}`)).toContain('customer/send_event')
  })

  it('drives agents, faults, the clock and the state through the HTTP control API', async () => {
    const { chatId } = await customerChat(lc)
    const post = (path: string, body: unknown) =>
      fetch(`${lc.url}/_emulator/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const sent = await post('agents/anna@example.com/messages', { chatId, text: 'via control' })
    expect(await sent.json()).toMatchObject({ eventId: expect.any(String) })
    expect(
      (
        await post('agents/anna@example.com/files', {
          chatId,
          name: 'a.txt',
          contentType: 'text/plain',
          base64: 'aGk=',
        })
      ).status
    ).toBe(200)
    expect((await post('agents/anna@example.com/close', { chatId })).status).toBe(200)
    const state = (await (await fetch(`${lc.url}/_emulator/state`)).json()) as {
      chats: { threads: { active: boolean }[] }[]
    }
    expect(state.chats[0]?.threads[0]?.active).toBe(false)
    expect((await post('faults', { count: 1, kind: 500 })).status).toBe(200)
    expect((await call(lc, 'agent', 'list_chats', {})).status).toBe(500)
    expect((await post('clock/advance', { seconds: 10 })).status).toBe(200)
    const calls = (await (await fetch(`${lc.url}/_emulator/calls`)).json()) as Obj[]
    expect(calls.length).toBeGreaterThan(0)
    expect((await post('reset', {})).status).toBe(200)
    expect(lc.calls).toHaveLength(0)
  })

  it('streams recorded calls as server-sent events', async () => {
    const abort = new AbortController()
    const res = await fetch(`${lc.url}/_emulator/events`, { signal: abort.signal })
    const reader = res.body?.getReader()
    await call(lc, 'configuration', 'list_groups', {})
    let text = ''
    while (reader && !text.includes('event: call')) {
      const chunk = await reader.read()
      if (chunk.done) break
      text += Buffer.from(chunk.value).toString('utf8')
    }
    abort.abort()
    expect(text).toContain('event: call')
    expect(text).toContain('list_groups')
  })
})
