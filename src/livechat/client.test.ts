import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { LiveChatClient, type LiveChatClientOptions } from './client'
import * as errors from './errors'
import { LiveChatApiError, isExpiredCustomerToken, isLiveChatApiError } from './errors'

/** A tiny LiveChat: each test queues the answers; every request is recorded. */
type Recorded = {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: Buffer
}
type Answer = { status?: number; headers?: Record<string, string | string[]>; json?: unknown } | 'hang'

const ACCOUNT_ID = 'b7eff798-f8df-4364-8059-649c35c9ed0c'
const PAT = 'fra:PAT_s3cr3t_Xy9Qw7Lm'
const AGENT_TOKEN = Buffer.from(`${ACCOUNT_ID}:${PAT}`).toString('base64')
const CUSTOMER_TOKEN = 'dal:CUSTOMER_t0ken_Hh7Gg6Ff'
const ORGANIZATION_ID = '390e44e6-f1e6-0368c-z6ddb-74g14508c2ex'
const CLIENT_ID = '0805e283233042b37f460ed8fbf22160'
const SECRETS = [AGENT_TOKEN, PAT, 'PAT_s3cr3t_Xy9Qw7Lm', CUSTOMER_TOKEN, 'CUSTOMER_t0ken_Hh7Gg6Ff']

let server: Server
let baseUrl: string
let requests: Recorded[] = []
let answers: Answer[] = []
const hanging: ServerResponse[] = []

const handle = (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const url = new URL(req.url ?? '/', baseUrl)
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    })
    const answer = answers.shift() ?? { json: {} }
    if (answer === 'hang') {
      hanging.push(res)
      // The client's injected time-out: it gives up now, as it would after its timeout.
      stalled?.abort()
      return
    }
    res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json', ...answer.headers })
    res.end(JSON.stringify(answer.json ?? {}))
  })
}

const sleeps: number[] = []
const logs: string[] = []
/** The time-out of the request in flight, and the time-out each request was given. */
let stalled: AbortController | undefined
const timeouts: number[] = []
const options = (extra: LiveChatClientOptions = {}): LiveChatClientOptions => ({
  sleep: async (ms) => {
    sleeps.push(ms)
  },
  abortAfter: (ms) => {
    timeouts.push(ms)
    stalled = new AbortController()
    return stalled.signal
  },
  logger: { warn: (m) => logs.push(m) },
  ...extra,
})
const client = (extra: LiveChatClientOptions = {}) =>
  LiveChatClient.create(
    { agentToken: AGENT_TOKEN, organizationId: ORGANIZATION_ID, clientId: CLIENT_ID },
    options(extra)
  )

const jsonBody = (index: number): unknown => JSON.parse(requests[index]?.body.toString('utf8') ?? 'null')
const rejection = async (promise: Promise<unknown>): Promise<LiveChatApiError> => {
  const thrown = await promise.then(
    () => undefined,
    (error: unknown) => error
  )
  if (!isLiveChatApiError(thrown)) {
    throw new Error(`expected a LiveChatApiError, got ${String(thrown)}`)
  }
  return thrown
}
const expectNoSecret = (text: string) => {
  for (const secret of SECRETS) {
    expect(text).not.toContain(secret)
  }
}

beforeAll(async () => {
  server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const res of hanging) {
    res.destroy()
  }
  await new Promise<void>((resolve) => server.close(() => resolve()))
})
beforeEach(() => {
  vi.stubEnv('LIVECHAT_API_URL', baseUrl)
  vi.stubEnv('LIVECHAT_ACCOUNTS_URL', baseUrl)
  requests = []
  answers = []
  sleeps.length = 0
  logs.length = 0
  timeouts.length = 0
})
afterEach(() => {
  vi.unstubAllEnvs()
})

describe('LiveChatClient over HTTP', () => {
  it('posts agent actions to /v3.6/agent/action with the Basic agent token and the PAT region', async () => {
    answers.push({ json: { id: 'PW94SJTGW6', users: [] } })
    const result = await client().agent.getChat({ chat_id: 'PW94SJTGW6' })
    expect(result.id).toBe('PW94SJTGW6')
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/v3.6/agent/action/get_chat' })
    expect(requests[0]?.headers.authorization).toBe(`Basic ${AGENT_TOKEN}`)
    expect(requests[0]?.headers['x-region']).toBe('fra')
    expect(requests[0]?.headers['content-type']).toMatch(/^application\/json/)
    expect(jsonBody(0)).toEqual({ chat_id: 'PW94SJTGW6' })
  })

  it('posts customer actions with the Bearer customer token, its region and organization_id in the query', async () => {
    answers.push({ json: { chat_id: 'PJ0MRSHTDG', thread_id: 'PGDGHT5G' } })
    const request = { chat: { access: { group_ids: [19] } }, continuous: true }
    const result = await client().customer(CUSTOMER_TOKEN).startChat(request)
    expect(result).toEqual({ chat_id: 'PJ0MRSHTDG', thread_id: 'PGDGHT5G' })
    expect(requests[0]?.path).toBe('/v3.6/customer/action/start_chat')
    expect(requests[0]?.query.get('organization_id')).toBe(ORGANIZATION_ID)
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${CUSTOMER_TOKEN}`)
    expect(requests[0]?.headers['x-region']).toBe('dal')
    expect(jsonBody(0)).toEqual(request)
  })

  it('posts configuration actions with Basic auth and parses the group', async () => {
    answers.push({ json: { id: 0, name: 'General', language_code: 'en', routing_status: 'offline' } })
    const group = await client().configuration.getGroup({ id: 0, fields: ['agent_priorities'] })
    expect(group.name).toBe('General')
    expect(requests[0]?.path).toBe('/v3.6/configuration/action/get_group')
    expect(requests[0]?.headers.authorization).toBe(`Basic ${AGENT_TOKEN}`)
    expect(jsonBody(0)).toEqual({ id: 0, fields: ['agent_priorities'] })
  })

  it('sends the session context, rating and availability calls with their documented bodies', async () => {
    answers.push({ json: {} }, { json: {} }, { json: {} }, { json: { groups_status: { '19': 'online_for_queue' } } })
    const lc = client()
    const customer = lc.customer(CUSTOMER_TOKEN)
    await customer.setCustomerSessionFields({ session_fields: [{ order: '1234' }] })
    await lc.agent.tagThread({ chat_id: 'PW94SJTGW6', thread_id: 'PWS6GIKAKH', tag: 'vip' })
    const rating = { rating: { score: 1, comment: 'Thanks' } }
    await customer.updateThreadProperties({ chat_id: 'PW94SJTGW6', thread_id: 'PWS6GIKAKH', properties: rating })
    expect(await customer.listGroupStatuses({ group_ids: [19] })).toEqual({
      groups_status: { '19': 'online_for_queue' },
    })
    expect(requests.map((r) => `${r.headers.authorization?.split(' ')[0]} ${r.path}`)).toEqual([
      'Bearer /v3.6/customer/action/set_customer_session_fields',
      'Basic /v3.6/agent/action/tag_thread',
      'Bearer /v3.6/customer/action/update_thread_properties',
      'Bearer /v3.6/customer/action/list_group_statuses',
    ])
    expect([0, 1, 2, 3].map(jsonBody)).toEqual([
      { session_fields: [{ order: '1234' }] },
      { chat_id: 'PW94SJTGW6', thread_id: 'PWS6GIKAKH', tag: 'vip' },
      { chat_id: 'PW94SJTGW6', thread_id: 'PWS6GIKAKH', properties: rating },
      { group_ids: [19] },
    ])
  })

  it('refuses a group status LiveChat does not document instead of guessing what it means', async () => {
    answers.push({ json: { groups_status: { '19': 'busy' } } })
    const error = await rejection(
      client()
        .customer(CUSTOMER_TOKEN)
        .listGroupStatuses({ group_ids: [19] })
    )
    expect(error.type).toBe('invalid_response')
  })

  it('reads the base URL at call time', async () => {
    // Created while the URL points at nothing: a client that kept it would never reach the test server.
    vi.stubEnv('LIVECHAT_API_URL', 'http://127.0.0.1:1')
    const lc = client()
    vi.stubEnv('LIVECHAT_API_URL', `${baseUrl}/`)
    await lc.agent.deactivateChat({ id: 'PJ0MRSHTDG' })
    expect(requests).toHaveLength(1)
    expect(requests[0]?.path).toBe('/v3.6/agent/action/deactivate_chat')
  })

  it('waits for Retry-After on 429 then succeeds', async () => {
    answers.push({
      status: 429,
      headers: { 'Retry-After': '2' },
      json: { error: { type: 'too_many_requests', message: 'Too many requests' } },
    })
    answers.push({ json: { id: 'C' } })
    const result = await client().agent.getChat({ chat_id: 'C' })
    expect(result.id).toBe('C')
    expect(requests).toHaveLength(2)
    expect(sleeps).toEqual([2000])
  })

  it('retries 500 three times then succeeds, logging one line per retry without secrets', async () => {
    for (let i = 0; i < 3; i++) {
      answers.push({ status: 500, json: { error: { type: 'internal', message: 'Internal server error' } } })
    }
    answers.push({ json: { id: 'C1', users: [] } })
    const chat = await client().agent.getChat({ chat_id: 'C1' })
    expect(chat.id).toBe('C1')
    expect(requests).toHaveLength(4)
    expect(sleeps).toHaveLength(3)
    expect(logs).toHaveLength(3)
    expect(logs[0]).toMatch(/agent\.get_chat.*500.*attempt 1 of 4/)
    expectNoSecret(logs.join('\n'))
  })

  it('gives up after four attempts with the last error', async () => {
    for (let i = 0; i < 5; i++) {
      answers.push({ status: 503, json: { error: { type: 'service_unavailable', message: 'Service unavailable' } } })
    }
    const error = await rejection(client().agent.getChat({ chat_id: 'C1' }))
    expect(requests).toHaveLength(4)
    expect(error).toMatchObject({ status: 503, type: 'service_unavailable', attempts: 4 })
    expect(error.message).toMatch(/4 attempts/)
  })

  it('does not retry 401 and says to check the agentToken field without echoing the token', async () => {
    answers.push({ status: 401, json: { error: { type: 'authentication', message: 'Invalid access token' } } })
    const error = await rejection(client().agent.getChat({ chat_id: 'C' }))
    expect(requests).toHaveLength(1)
    expect(error).toMatchObject({ status: 401, type: 'authentication', operation: 'agent.get_chat' })
    expect(error.message).toMatch(/^LiveChat rejected the agent token \(401 authentication\).*`agentToken`/)
    expectNoSecret(error.message)
    expectNoSecret(JSON.stringify(error))
  })

  it('does not retry 403 and names the scope the method needs', async () => {
    answers.push({ status: 403, json: { error: { type: 'authorization', message: 'Authorization error' } } })
    const error = await rejection(
      client().configuration.registerWebhook({
        url: 'https://x',
        action: 'incoming_event',
        secret_key: 'whsec_abcdefgh',
        owner_client_id: CLIENT_ID,
        type: 'license',
      })
    )
    expect(requests).toHaveLength(1)
    expect(error.message).toMatch(/webhooks\.configuration:rw/)
    expect(error.message).not.toContain('whsec_abcdefgh')
  })

  it('does not retry a validation error and repeats LiveChat own message', async () => {
    answers.push({
      status: 400,
      json: { error: { type: 'validation', message: 'Group 19 does not exist' } },
    })
    const error = await rejection(
      client()
        .customer(CUSTOMER_TOKEN)
        .startChat({ chat: { access: { group_ids: [19] } } })
    )
    expect(requests).toHaveLength(1)
    expect(error.message).toMatch(/^LiveChat .*Group 19 does not exist/)
  })

  it('gives each request 8 s, aborts a stalled one and retries it', async () => {
    answers.push('hang')
    answers.push({ json: { id: 'C' } })
    const result = await client().agent.getChat({ chat_id: 'C' })
    expect(result.id).toBe('C')
    expect(requests).toHaveLength(2)
    expect(sleeps).toHaveLength(1)
    expect(timeouts).toEqual([8_000, 8_000])
  })

  it('gives each request a shorter time when told, never a longer one', async () => {
    answers.push('hang', { json: { id: 'C' } }, { json: { id: 'C' } })
    await client({ requestTimeoutMs: 1_000 }).agent.getChat({ chat_id: 'C' })
    await client({ requestTimeoutMs: 60_000 }).agent.getChat({ chat_id: 'C' })
    expect(timeouts).toEqual([1_000, 1_000, 8_000])
  })

  it('reports a timeout when LiveChat never answers', async () => {
    answers.push('hang', 'hang', 'hang', 'hang')
    const error = await rejection(client().agent.getChat({ chat_id: 'C' }))
    expect(error).toMatchObject({ status: 0, type: 'timeout', attempts: 4 })
    expect(error.message).toMatch(/did not answer agent\.get_chat within 8 s/)
  })

  it('stops at its deadline, retries included: a stalled request is cut to the time left, none starts after', async () => {
    answers.push('hang', 'hang', 'hang', 'hang')
    // 300 ms left while the first request is out; nothing left once it was given up.
    const deadline = { remainingMs: () => (requests.length === 0 ? 300 : 0) }
    const error = await rejection(client({ deadline }).agent.getChat({ chat_id: 'C' }))
    expect(error).toMatchObject({ status: 0, type: 'timeout' })
    // The first request was cut at the deadline (not after the 8 s request timeout), and no retry was sent.
    expect(timeouts).toEqual([300])
    expect(requests).toHaveLength(1)
  })

  it('sends nothing once its deadline has passed', async () => {
    const error = await rejection(client({ deadline: { remainingMs: () => 0 } }).agent.getChat({ chat_id: 'C' }))
    expect(error).toMatchObject({ status: 0, type: 'timeout' })
    expect(requests).toHaveLength(0)
  })

  describe('writes the agent would see twice, after a lost answer', () => {
    const customer = () => client().customer(CUSTOMER_TOKEN)
    const gateway = { status: 502, json: { error: { type: 'internal', message: 'Bad gateway' } } }
    const chatHolding = (events: { id: string; custom_id?: string }[], active = true) => ({
      json: {
        id: 'C',
        thread: { id: 'T2', active, events: events.map((e) => ({ type: 'message', text: 'x', ...e })) },
      },
    })
    const paths = () => requests.map((r) => r.path.split('/').at(-1))

    it('does not send an event again when the chat already holds its custom_id', async () => {
      answers.push(gateway, chatHolding([{ id: 'E1', custom_id: 'M1' }]))
      const sent = await customer().sendEvent({
        chat_id: 'C',
        event: { type: 'message', text: 'x', custom_id: 'M1' },
      })
      expect(sent.event_id).toBe('E1')
      expect(paths()).toEqual(['send_event', 'get_chat'])
    })

    it('sends an event again when the chat does not hold its custom_id', async () => {
      answers.push(gateway, chatHolding([{ id: 'E0', custom_id: 'other' }]), { json: { event_id: 'E2' } })
      const sent = await customer().sendEvent({
        chat_id: 'C',
        event: { type: 'message', text: 'x', custom_id: 'M1' },
      })
      expect(sent.event_id).toBe('E2')
      expect(paths()).toEqual(['send_event', 'get_chat', 'send_event'])
    })

    it('never repeats an event without custom_id after a lost answer, and says it may have been applied', async () => {
      answers.push({ status: 504, json: { error: { type: 'request_timeout', message: 'Request timed out' } } })
      const error = await rejection(customer().sendEvent({ chat_id: 'C', event: { type: 'message', text: 'x' } }))
      expect(paths()).toEqual(['send_event'])
      expect(error).toMatchObject({ ambiguous: true, status: 504 })
      expect(error.message).toMatch(/may have applied it, so it was not sent again/)
    })

    it('reports the unknown outcome, without sending again, when the check itself fails', async () => {
      answers.push(gateway, { status: 403, json: { error: { type: 'authorization', message: 'No' } } })
      const error = await rejection(
        customer().sendEvent({ chat_id: 'C', event: { type: 'message', text: 'x', custom_id: 'M1' } })
      )
      expect(paths()).toEqual(['send_event', 'get_chat'])
      expect(error).toMatchObject({ ambiguous: true, operation: 'customer.send_event' })
    })

    it('still repeats what LiveChat refused before doing it (503, 429)', async () => {
      answers.push({ status: 503, json: {} }, { json: { event_id: 'E3' } })
      await customer().sendEvent({ chat_id: 'C', event: { type: 'message', text: 'x', custom_id: 'M1' } })
      expect(paths()).toEqual(['send_event', 'send_event'])
    })

    it('finds a chat whose start_chat answer was lost among the customer’s open chats', async () => {
      answers.push(
        'hang',
        {
          json: {
            chats_summary: [
              { id: 'OLD', active: false },
              { id: 'C', active: true },
            ],
            total_chats: 2,
          },
        },
        chatHolding([{ id: 'E1', custom_id: 'H' }])
      )
      const started = await client()
        .customer(CUSTOMER_TOKEN)
        .startChat({ chat: { thread: { events: [{ type: 'message', text: 'Hi', custom_id: 'H' }] } } })
      expect(started).toEqual({ chat_id: 'C', thread_id: 'T2' })
      expect(paths()).toEqual(['start_chat', 'list_chats', 'get_chat'])
    })

    it('resumes again only when the chat holds no open thread opened by this call', async () => {
      answers.push(gateway, chatHolding([{ id: 'E1', custom_id: 'H' }], false), { json: { thread_id: 'T3' } })
      const resumed = await customer().resumeChat({
        chat: { id: 'C', thread: { events: [{ type: 'message', text: 'Hi', custom_id: 'H' }] } },
      })
      expect(resumed.thread_id).toBe('T3')
      expect(paths()).toEqual(['resume_chat', 'get_chat', 'resume_chat'])
    })

    it('repeats an upload whose answer was lost: an unused upload is never shown', async () => {
      answers.push(gateway, { json: { url: 'https://cdn.livechat-files.com/api/file/x.png' } })
      await customer().uploadFile({ name: 'x.png', contentType: 'image/png', content: Buffer.from('x') })
      expect(paths()).toEqual(['upload_file', 'upload_file'])
    })
  })

  it('follows misdirected_request once to error.data.region and keeps that region for the next calls', async () => {
    answers.push({
      status: 421,
      json: { error: { type: 'misdirected_request', message: 'Wrong region', data: { region: 'dal' } } },
    })
    answers.push({ json: { id: 'C1' } })
    answers.push({ json: { id: 'C1' } })
    const lc = client()
    await lc.agent.getChat({ chat_id: 'C1' })
    await lc.agent.getChat({ chat_id: 'C1' })
    expect(requests.map((r) => r.headers['x-region'])).toEqual(['fra', 'dal', 'dal'])
    expect(sleeps).toEqual([])
  })

  it('follows misdirected_request only once', async () => {
    answers.push({
      status: 421,
      json: { error: { type: 'misdirected_request', message: 'Wrong region', data: { region: 'dal' } } },
    })
    answers.push({
      status: 421,
      json: { error: { type: 'misdirected_request', message: 'Wrong region', data: { region: 'fra' } } },
    })
    const error = await rejection(client().agent.getChat({ chat_id: 'C1' }))
    expect(requests).toHaveLength(2)
    expect(error.type).toBe('misdirected_request')
    expect(error.data).toEqual({ region: 'fra' })
  })

  it('turns an undocumented response shape into invalid_response naming the field', async () => {
    answers.push({ json: { id: 'E3' } })
    const error = await rejection(
      client()
        .customer(CUSTOMER_TOKEN)
        .sendEvent({ chat_id: 'C', event: { type: 'message', text: 'x' } })
    )
    expect(requests).toHaveLength(1)
    expect(error).toMatchObject({ type: 'invalid_response', status: 200 })
    expect(error.message).toMatch(/event_id/)
  })

  it('marks an authentication error on a customer call as an expired customer token', async () => {
    answers.push({ status: 401, json: { error: { type: 'authentication', message: 'Invalid access token' } } })
    const error = await rejection(
      client()
        .customer(CUSTOMER_TOKEN)
        .sendEvent({ chat_id: 'C', event: { type: 'message', text: 'x' } })
    )
    expect(isExpiredCustomerToken(error)).toBe(true)
    expect(error.operation).toBe('customer.send_event')
    expectNoSecret(error.message)
    const agentError = new LiveChatApiError({
      status: 401,
      type: 'authentication',
      operation: 'agent.get_chat',
      message: 'x',
    })
    expect(isExpiredCustomerToken(agentError)).toBe(false)
  })

  it('rejects a malformed agentToken before any request, naming the field', async () => {
    const lc = LiveChatClient.create(
      { agentToken: 'not-base64!', organizationId: ORGANIZATION_ID, clientId: CLIENT_ID },
      options()
    )
    const error = await rejection(lc.agent.getChat({ chat_id: 'C' }))
    expect(requests).toHaveLength(0)
    expect(error).toMatchObject({ type: 'invalid_configuration' })
    expect(error.message).toMatch(/`agentToken`/)
  })

  it('retries a refused connection, then reports a network error naming the host', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    vi.stubEnv('LIVECHAT_API_URL', `http://127.0.0.1:${port}`)
    const error = await rejection(client().agent.getChat({ chat_id: 'C' }))
    expect(error).toMatchObject({ status: 0, type: 'network', attempts: 4 })
    expect(error.message).toMatch(/ECONNREFUSED/)
    expect(sleeps).toHaveLength(3)
  })

  it('uploads a file as multipart/form-data with a file field', async () => {
    answers.push({ json: { url: 'https://cdn.livechat-files.com/api/file/lc/att/1/abc/photo.png' } })
    const content = Buffer.from('PNG-BYTES-0123')
    const result = await client()
      .customer(CUSTOMER_TOKEN)
      .uploadFile({ name: 'photo.png', contentType: 'image/png', content })
    expect(result.url).toMatch(/^https:\/\/cdn\.livechat-files\.com\//)
    expect(requests[0]?.path).toBe('/v3.6/customer/action/upload_file')
    expect(requests[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    const body = requests[0]?.body.toString('latin1') ?? ''
    expect(body).toMatch(/Content-Disposition: form-data; name="file"; filename="photo.png"/)
    expect(body).toMatch(/Content-Type: image\/png/)
    expect(body).toContain('PNG-BYTES-0123')
  })
})

describe('customer tokens over HTTP', () => {
  const tokenAnswer = (cookies: string[]): Answer => ({
    headers: { 'Set-Cookie': cookies },
    json: {
      access_token: CUSTOMER_TOKEN,
      entity_id: 'bf18d1a8-1afe-4a3e-4cc0-a3148f1143db',
      expires_in: 28800,
      token_type: 'Bearer',
      organization_id: ORGANIZATION_ID,
    },
  })

  it('issues a token with the cookie grant, then renews it for the same customer by sending the cookies back', async () => {
    const now = Date.parse('2025-01-01T00:00:00Z')
    answers.push(
      tokenAnswer([
        '__lc_cid=bf18d1a8-1afe-4a3e-4cc0-a3148f1143db; Domain=127.0.0.1; Path=/v2/customer; Max-Age=63072000; Secure; HttpOnly',
        '__lc_cst=cst_0ld_value; Path=/v2/customer; Max-Age=63072000',
      ])
    )
    answers.push(tokenAnswer(['__lc_cst=cst_n3w_value; Path=/v2/customer; Max-Age=63072000']))
    const lc = client({ now: () => now })
    const redirectUri = 'https://webhook.botpress.cloud/abc'

    const first = await lc.accounts.issueCustomerToken({ redirectUri })
    expect(requests[0]?.path).toBe('/v2/customer/token')
    expect(requests[0]?.headers.cookie).toBeUndefined()
    expect(requests[0]?.headers.authorization).toBeUndefined()
    expect(requests[0]?.headers['x-region']).toBeUndefined()
    expect(jsonBody(0)).toEqual({
      grant_type: 'cookie',
      client_id: CLIENT_ID,
      organization_id: ORGANIZATION_ID,
      response_type: 'token',
      redirect_uri: redirectUri,
    })
    expect(first).toEqual({
      accessToken: CUSTOMER_TOKEN,
      customerId: 'bf18d1a8-1afe-4a3e-4cc0-a3148f1143db',
      expiresAt: new Date(now + 28800 * 1000),
      cookies: '__lc_cid=bf18d1a8-1afe-4a3e-4cc0-a3148f1143db; __lc_cst=cst_0ld_value',
    })

    const second = await lc.accounts.issueCustomerToken({ redirectUri, cookies: first.cookies })
    expect(requests[1]?.headers.cookie).toBe(first.cookies)
    expect(second.cookies).toBe('__lc_cid=bf18d1a8-1afe-4a3e-4cc0-a3148f1143db; __lc_cst=cst_n3w_value')
  })

  it('explains an oauth_exception without echoing the cookies', async () => {
    answers.push({
      status: 401,
      json: { oauth_exception: 'invalid_client', exception_description: 'Client not found' },
    })
    const error = await rejection(
      client().accounts.issueCustomerToken({
        redirectUri: 'https://x',
        cookies: '__lc_cid=abc123xyz; __lc_cst=cst_secret_777',
      })
    )
    expect(requests).toHaveLength(1)
    expect(error).toMatchObject({ status: 401, type: 'invalid_client', operation: 'accounts.customer_token' })
    expect(error.message).toMatch(/`clientId`.*Client not found/)
    expect(error.message).not.toMatch(/abc123xyz|cst_secret_777/)
  })
})

describe('what a failure means: the questions callers ask', () => {
  /** Every question errors.ts answers: a new one fails each row below until the row says whether it holds. */
  const { LiveChatApiError: _error, isLiveChatApiError: _isError, ...questions } = errors
  const answered = (thrown: unknown) =>
    Object.entries(questions)
      .filter(([, ask]) => ask(thrown))
      .map(([name]) => name)
      .sort()
  const calls = {
    agent: () => client().agent.getChat({ chat_id: 'C' }),
    customer: () => client().customer(CUSTOMER_TOKEN).getChat({ chat_id: 'C' }),
    configuration: () => client().configuration.getGroup({ id: 19 }),
    accounts: () => client().accounts.issueCustomerToken({ redirectUri: 'https://x' }),
  }
  type Api = keyof typeof calls
  const refusal = (api: Api, status: number, type: string, expected: string[]) => ({
    api,
    said: `${status} ${type}`,
    answer: { status, json: { error: { type, message: type } } } as Answer,
    expected,
  })
  const oauth = (exception: string, description: string, expected: string[]) => ({
    api: 'accounts' as const,
    said: `${exception} "${description}"`,
    answer: { status: 400, json: { oauth_exception: exception, exception_description: description } } as Answer,
    expected,
  })

  it.each([
    refusal('agent', 404, 'not_found', ['isChatGone', 'isLiveChatNotFound', 'isRefusedForGood']),
    refusal('agent', 403, 'missing_access', ['isChatGone', 'isRefusedForGood']),
    refusal('customer', 400, 'chat_anonymized', ['isChatGone', 'isRefusedForGood']),
    refusal('customer', 422, 'chat_inactive', ['isChatInactive', 'isRefusedForGood']),
    refusal('customer', 422, 'limit_reached', ['isLimitReached', 'isRefusedForGood']),
    refusal('customer', 400, 'validation', ['isRefusedForGood', 'isRefusedInput']),
    refusal('agent', 401, 'authentication', ['isRefusedForGood', 'isTokenProblem']),
    refusal('customer', 401, 'authentication', ['isExpiredCustomerToken', 'isRefusedForGood', 'isTokenProblem']),
    refusal('configuration', 403, 'authorization', ['isMissingScope', 'isRefusedForGood']),
    refusal('customer', 403, 'authorization', ['isRefusedForGood']),
    refusal('configuration', 404, 'group_not_found', ['isLiveChatNotFound', 'isRefusedForGood']),
    refusal('customer', 404, 'license_not_found', ['isLiveChatNotFound', 'isNoLicense', 'isRefusedForGood']),
    refusal('customer', 402, 'license_expired', ['isNoLicense', 'isRefusedForGood']),
    refusal('agent', 429, 'too_many_requests', ['isTransient']),
    refusal('agent', 503, 'service_unavailable', ['isTransient']),
    { api: 'agent' as const, said: 'nothing in time', answer: 'hang' as const, expected: ['isTransient'] },
    oauth('invalid_request', 'Invalid redirect_uri', ['isRedirectUriRefusal', 'isRefusedForGood']),
    oauth('invalid_request', 'Unknown organization_id.', ['isRefusedForGood', 'isUnknownOrganization']),
    oauth('invalid_client', 'Client not found', ['isRefusedForGood', 'isUnknownClient']),
  ])('$api, answered $said', async ({ api, answer, expected }) => {
    answers.push(answer, answer, answer, answer)
    expect(answered(await rejection(calls[api]()))).toEqual(expected)
  })

  it('asks the same of an agentToken that cannot be one, and of what is not a LiveChat failure', async () => {
    const lc = LiveChatClient.create({ agentToken: '!', organizationId: ORGANIZATION_ID, clientId: CLIENT_ID })
    expect(answered(await rejection(lc.agent.getChat({ chat_id: 'C' })))).toEqual(['isTokenProblem'])
    expect(answered(new Error('not_found'))).toEqual([])
  })

  it('asks whether LiveChat could be reached', async () => {
    vi.stubEnv('LIVECHAT_API_URL', 'http://127.0.0.1:1')
    expect(answered(await rejection(calls.agent()))).toEqual(['isTransient'])
  })
})
