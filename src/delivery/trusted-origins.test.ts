import { describe, expect, it } from 'vitest'
import { trustedOrigins } from './trusted-origins'

describe('trustedOrigins', () => {
  it('trusts the origin of BP_API_URL, where Botpress serves its files, and nothing else by default', () => {
    expect([...trustedOrigins({ BP_API_URL: 'http://127.0.0.1:4123/' })]).toEqual(['http://127.0.0.1:4123'])
    expect([...trustedOrigins({})]).toEqual([])
  })

  it('adds the origins a self-hosted admin lists, comma-separated, normalised', () => {
    const origins = trustedOrigins({
      BP_API_URL: 'https://api.botpress.cloud',
      MEDIA_TRUSTED_ORIGINS: ' https://Files.Intranet.example , http://10.0.0.5:8080/,https://cdn.example:443,',
    })
    expect([...origins]).toEqual([
      'https://api.botpress.cloud',
      'https://files.intranet.example',
      'http://10.0.0.5:8080',
      'https://cdn.example',
    ])
  })

  it.each([
    ['not a URL', 'files.intranet', '(entry 1)'],
    ['a path', 'https://a.example,https://b.example/files', '(entry 2): must be an origin only'],
    ['another scheme', 'ftp://files.example', 'must be http(s)'],
    ['credentials', 'https://user:pw@files.example', 'must be an origin only'],
  ])('refuses a variable with %s, saying which entry', (_label, value, message) => {
    expect(() => trustedOrigins({ MEDIA_TRUSTED_ORIGINS: value })).toThrow(
      expect.objectContaining({ message: expect.stringContaining(message) })
    )
    expect(() => trustedOrigins({ MEDIA_TRUSTED_ORIGINS: value })).toThrow(/^MEDIA_TRUSTED_ORIGINS must be/)
  })
})
