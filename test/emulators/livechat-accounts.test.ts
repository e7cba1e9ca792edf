import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LiveChatEmulator } from '../../emulators/livechat'
import { bearer, call, customerToken } from '../fixtures/livechat/helpers'

describe('LiveChat emulator: customer accounts', () => {
  let lc: LiveChatEmulator
  beforeAll(async () => {
    lc = await LiveChatEmulator.start()
  })
  // Back to the seeded license and its clock: a test that advanced the clock must not expire the next test's tokens.
  afterEach(() => lc.reset())
  afterAll(async () => {
    await lc.stop()
  })

  it('issues a cookie-grant customer token shaped like the docs, with the region prefix and both cookies', async () => {
    const res = await customerToken(lc)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^dal:/),
      entity_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      expires_in: 28800,
      token_type: 'Bearer',
      organization_id: lc.seed.organizationId,
    })
    expect(res.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual(['__lc_cid', '__lc_cst'])
  })

  it('renews the token of the same customer when the cookies are sent back, and creates a new one without them', async () => {
    const first = await customerToken(lc)
    const renewed = await customerToken(lc, { cookie: first.token.cookie })
    const stranger = await customerToken(lc)
    expect(renewed.token.entity_id).toBe(first.token.entity_id)
    expect(renewed.token.access_token).not.toBe(first.token.access_token)
    expect(stranger.token.entity_id).not.toBe(first.token.entity_id)
  })

  it('answers 401 with the oauth_exception envelope for an unknown client_id', async () => {
    const res = await customerToken(lc, {
      body: {
        grant_type: 'cookie',
        client_id: 'nope',
        organization_id: lc.seed.organizationId,
        redirect_uri: 'https://x.y',
      },
    })
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ oauth_exception: 'invalid_client', exception_description: expect.any(String) })
  })

  it('refuses a cookie grant without redirect_uri or Origin', async () => {
    const res = await customerToken(lc, {
      body: { grant_type: 'cookie', client_id: lc.seed.clientId, organization_id: lc.seed.organizationId },
    })
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject({ oauth_exception: 'invalid_request' })
  })

  it('lets a customer token expire on the emulator clock, then answers 401 authentication', async () => {
    const { token } = await customerToken(lc, { expiresIn: 60 })
    expect(token.expires_in).toBe(60)
    const before = await call(lc, 'customer', 'get_customer', {}, { auth: bearer(token) })
    expect(before.status).toBe(200)
    lc.clock.advance(61)
    const after = await call(lc, 'customer', 'get_customer', {}, { auth: bearer(token) })
    expect(after.status).toBe(401)
    expect(after.body).toMatchObject({ error: { type: 'authentication' } })
  })

  it('validates a customer token on GET /v2/customer/info', async () => {
    const { token } = await customerToken(lc)
    const res = await fetch(`${lc.url}/v2/customer/info`, { headers: { authorization: bearer(token) } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      entity_id: token.entity_id,
      client_id: lc.seed.clientId,
      token_type: 'Bearer',
    })
  })
})
