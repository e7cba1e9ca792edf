import { describe, expect, it } from 'vitest'
import { isLiveChatApiError } from './errors'
import { redactText, redactValue } from './redact'
import { parseAgentToken, regionOf } from './region'

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('regionOf', () => {
  it.each([
    ['dal:abcdef', 'dal'],
    ['fra:abcdef', 'fra'],
    ['fra-a:vky9xyz', 'fra-a'],
    ['no-prefix-token', undefined],
    ['UPPER:abcdef', undefined],
  ])('reads the region of %s as %s', (token, region) => {
    expect(regionOf(token)).toBe(region)
  })
})

describe('parseAgentToken', () => {
  it('decodes account id, PAT and the PAT region, splitting on the first colon only', () => {
    const parsed = parseAgentToken(b64('b7eff798-f8df-4364-8059-649c35c9ed0c:fra:secretPAT_123'))
    expect(parsed).toMatchObject({
      accountId: 'b7eff798-f8df-4364-8059-649c35c9ed0c',
      pat: 'fra:secretPAT_123',
      region: 'fra',
    })
  })

  it('accepts "<account ID>:<PAT>" pasted before encoding, and encodes it', () => {
    const parsed = parseAgentToken('b7eff798-f8df-4364-8059-649c35c9ed0c:fra:secretPAT_123')
    expect(parsed).toMatchObject({
      region: 'fra',
      basic: b64('b7eff798-f8df-4364-8059-649c35c9ed0c:fra:secretPAT_123'),
    })
  })

  it('accepts a pasted "Basic …" header value', () => {
    expect(parseAgentToken(`Basic ${b64('acc:dal:x1')}`).region).toBe('dal')
  })

  it.each([['not base64 !!'], [b64('no-colon-here')], [''], [b64(':dal:pat')], ['dal:a-bare-personal-access-token']])(
    'rejects %j with a message naming the agentToken field',
    (token) => {
      let thrown: unknown
      try {
        parseAgentToken(token)
      } catch (error) {
        thrown = error
      }
      expect(isLiveChatApiError(thrown)).toBe(true)
      expect(thrown).toMatchObject({ type: 'invalid_configuration', message: expect.stringMatching(/`agentToken`/) })
    }
  )
})

describe('redact', () => {
  it('masks Basic and Bearer values, region tokens and identity cookies', () => {
    const text = redactText(
      'Authorization: Bearer dal:abcdefghijkl; Cookie: __lc_cid=123; __lc_cst=abc; Basic QWxhZGRpbjpvcGVu'
    )
    expect(text).not.toMatch(/abcdefghijkl|__lc_cid=123|__lc_cst=abc|QWxhZGRpbjpvcGVu/)
    // Masked in place, not dropped: an empty answer would pass the line above.
    expect(text).toMatch(/^Authorization: Bearer \[redacted\]; Cookie: __lc_cid=\[redacted\];.*Basic \[redacted\]$/)
  })

  it('masks credential keys and request bodies in objects, and exact secrets anywhere', () => {
    const out = redactValue(
      { headers: { Authorization: 'x', cookie: 'y' }, body: { text: 'hi' }, note: 'my-secret-value' },
      ['my-secret-value']
    )
    expect(out).toEqual({
      headers: { Authorization: '[redacted]', cookie: '[redacted]' },
      body: '[redacted]',
      note: '[redacted]',
    })
  })
})
