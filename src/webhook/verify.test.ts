import { describe, expect, it } from 'vitest'
import { isSecretValid, verifyWebhook } from './verify'

describe('isSecretValid', () => {
  it('accepts the configured secret', () => {
    expect(isSecretValid('laudla991lamda0pnoaa0', 'laudla991lamda0pnoaa0')).toBe(true)
  })

  it('refuses a different secret of the same length', () => {
    expect(isSecretValid('laudla991lamda0pnoaa1', 'laudla991lamda0pnoaa0')).toBe(false)
  })

  it('refuses a secret of another length without throwing', () => {
    expect(isSecretValid('short', 'laudla991lamda0pnoaa0')).toBe(false)
    expect(isSecretValid('laudla991lamda0pnoaa0-and-more', 'laudla991lamda0pnoaa0')).toBe(false)
  })

  it('refuses a missing, empty or non-string secret', () => {
    expect(isSecretValid(undefined, 'secret')).toBe(false)
    expect(isSecretValid('', 'secret')).toBe(false)
    expect(isSecretValid(42, 'secret')).toBe(false)
  })

  it('refuses everything when no secret is configured', () => {
    expect(isSecretValid('', '')).toBe(false)
    expect(isSecretValid('anything', '')).toBe(false)
  })

  it('never takes a lone surrogate for another character (UTF-8 would turn both into U+FFFD)', () => {
    const rest = 'x'.repeat(40)
    expect(isSecretValid(`\uD800${rest}`, `\uFFFD${rest}`)).toBe(false)
    expect(isSecretValid(`\uD800${rest}`, `\uDC00${rest}`)).toBe(false)
    expect(isSecretValid(`${rest}\uDBFF`, `${rest}\uD800`)).toBe(false)
    expect(isSecretValid(`\uD800${rest}`, `\uD800${rest}`)).toBe(true)
  })

  it('is case sensitive', () => {
    expect(isSecretValid('SECRET', 'secret')).toBe(false)
  })
})

describe('verifyWebhook', () => {
  const configuration = { webhookSecret: 's3cret', organizationId: 'org-1' }

  it('accepts the right secret for the configured organization', () => {
    expect(verifyWebhook({ secret_key: 's3cret', organization_id: 'org-1' }, configuration)).toEqual({
      success: true,
      data: undefined,
    })
  })

  it('answers 401 before looking at the organization', () => {
    expect(verifyWebhook({ secret_key: 'wrong', organization_id: 'other' }, configuration)).toEqual({
      success: false,
      error: { status: 401, reason: 'Missing or wrong secret_key' },
    })
  })

  it('answers 403 for another organization', () => {
    expect(verifyWebhook({ secret_key: 's3cret', organization_id: 'other' }, configuration)).toMatchObject({
      success: false,
      error: { status: 403 },
    })
  })

  it('leaves a missing organization_id to the schema (400 naming the field)', () => {
    expect(verifyWebhook({ secret_key: 's3cret' }, configuration).success).toBe(true)
  })
})
