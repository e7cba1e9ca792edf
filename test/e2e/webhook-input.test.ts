import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postWebhook, registerWebhooks, settle } from '../../testbed/helpers'
import { botpressFootprint } from '../../testbed/scenario'
import { TEST_WEBHOOK_SECRET, TestBed, startTestBed } from '../../testbed/test-bed'

/** An incoming_event as LiveChat documents it (livechat-api.md TV-1), for a chat no startHitl opened. */
const agentMessage = (overrides: Record<string, unknown> = {}) => ({
  webhook_id: '166c029b-a2c6-4010-aa0c-5a984353a7dd',
  secret_key: TEST_WEBHOOK_SECRET,
  action: 'incoming_event',
  organization_id: '',
  payload: {
    chat_id: 'PJ0MRSHTDG',
    thread_id: 'K600PKZON8',
    event: {
      id: 'K600PKZON8_2',
      created_at: '2019-12-05T07:27:08.820000Z',
      visibility: 'all',
      type: 'message',
      text: 'Hello',
      author_id: 'anna@example.com',
    },
  },
  additional_data: {},
  ...overrides,
})

/**
 * What reaches the webhook URL that is not a LiveChat delivery for a HITL chat: each gets the documented answer, and
 * nothing is written on the Botpress side.
 */
describe('webhook input', () => {
  let bed: TestBed
  let organizationId = ''

  let before: ReturnType<typeof botpressFootprint>

  beforeAll(async () => {
    bed = await startTestBed()
    organizationId = bed.livechat.seed.organizationId
  })
  afterAll(() => bed?.stop())
  beforeEach(() => {
    before = botpressFootprint(bed)
  })

  const expectNothingWritten = () => expect(botpressFootprint(bed)).toEqual(before)

  it('answers 401 to a wrong secret, creates nothing and never logs the secret', async () => {
    const res = await postWebhook(
      bed,
      JSON.stringify(agentMessage({ organization_id: organizationId, secret_key: 'nope' }))
    )
    expect(res.status).toBe(401)
    expect(JSON.parse(res.body)).toEqual({ error: 'Missing or wrong secret_key' })
    expectNothingWritten()
    expect(bed.logs()).not.toContain(TEST_WEBHOOK_SECRET)
  })

  it('answers 401 to a body without secret and creates nothing', async () => {
    const { secret_key: _omitted, ...body } = agentMessage({ organization_id: organizationId })
    const res = await postWebhook(bed, JSON.stringify(body))
    expect(res.status).toBe(401)
    expectNothingWritten()
  })

  it('answers 400 with a reason to malformed JSON and creates nothing', async () => {
    const res = await postWebhook(bed, '{"action": "incoming_event", "secret_key": ')
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toEqual({ error: 'Malformed JSON body' })
    expectNothingWritten()
  })

  it('answers 413 to an oversized body without reading it', async () => {
    const res = await postWebhook(bed, JSON.stringify({ padding: 'x'.repeat(300 * 1024) }))
    expect(res.status).toBe(413)
    expectNothingWritten()
  })

  it('answers 403 to the right secret for another organization', async () => {
    const res = await postWebhook(bed, JSON.stringify(agentMessage({ organization_id: 'another-organization' })))
    expect(res.status).toBe(403)
    expectNothingWritten()
  })

  it('keeps a verified body that breaks the schema as a dead letter naming the field, and answers 200', async () => {
    const body = agentMessage({ organization_id: organizationId })
    const { text: _omitted, ...event } = body.payload.event
    const res = await postWebhook(bed, JSON.stringify({ ...body, payload: { ...body.payload, event } }))
    // The secret was right, so LiveChat sent it: each redelivery would break the same way.
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).error).toMatch(/payload\.event\.text/)
    const letters = bed.botpress.db.states.find((state) => state.name === 'deadLetters')?.payload.letters
    expect(letters).toEqual([
      expect.objectContaining({
        webhookAction: 'incoming_event',
        livechatEventId: 'K600PKZON8_2',
        body: expect.any(String),
      }),
    ])
    expect(JSON.stringify(letters)).not.toContain(TEST_WEBHOOK_SECRET)
    // The dead letter is the only write.
    expect(botpressFootprint(bed)).toEqual({ ...before, states: before.states + 1, writeCalls: before.writeCalls + 1 })
  })

  it('answers 200 to an action it does not handle and creates nothing', async () => {
    const body = {
      ...agentMessage({ organization_id: organizationId }),
      action: 'thread_tagged',
      payload: { tag: 'x' },
    }
    const res = await postWebhook(bed, JSON.stringify(body))
    expect(res.status).toBe(200)
    expectNothingWritten()
  })

  it('answers 200 to an agent message in a chat startHitl did not open and creates nothing', async () => {
    const res = await postWebhook(bed, JSON.stringify(agentMessage({ organization_id: organizationId })))
    expect(res.status).toBe(200)
    expect(bed.botpress.db.conversations.filter((conversation) => conversation.tags.id === 'PJ0MRSHTDG')).toEqual([])
    expect(bed.botpress.db.users.filter((user) => user.tags.agentId === 'anna@example.com')).toEqual([])
    expectNothingWritten()
  })

  it('never bridges a website chat on the same license, whatever LiveChat delivers about it', async () => {
    await registerWebhooks(bed)
    const lc = bed.livechat
    const deliveriesBefore = lc.deliveries.length
    const token = await fetch(`${lc.url}/v2/customer/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'cookie',
        response_type: 'token',
        client_id: lc.seed.clientId,
        organization_id: organizationId,
        redirect_uri: 'https://example.com/',
      }),
    }).then((res) => res.json() as Promise<{ access_token: string }>)
    const started = await fetch(`${lc.url}/v3.6/customer/action/start_chat?organization_id=${organizationId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ chat: { thread: { events: [{ type: 'message', text: 'Hi from the website' }] } } }),
    }).then((res) => res.json() as Promise<{ chat_id: string }>)

    await lc.agent('anna@example.com').sendMessage(started.chat_id, 'Hello visitor')
    await lc.agent('anna@example.com').transfer(started.chat_id, { type: 'agent', ids: ['bob@example.com'] })
    await lc.agent('bob@example.com').closeChat(started.chat_id)
    await settle(bed)

    const delivered = lc.deliveries
      .slice(deliveriesBefore)
      .filter((delivery) => delivery.url === bed.installation.webhookUrl)
    expect(delivered.length).toBeGreaterThan(0)
    expect(delivered.filter((delivery) => delivery.status !== 200)).toEqual([])
    expectNothingWritten()
  })
})
