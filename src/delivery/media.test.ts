import { describe, expect, it } from 'vitest'
import { downloadMedia } from './media'

describe('downloadMedia', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://[fe80::1]/computeMetadata/v1/',
    'http://metadata.google.internal/computeMetadata/v1/',
  ])('never fetches a cloud metadata address: %s', async (url) => {
    await expect(downloadMedia({ kind: 'image', url })).rejects.toThrow('link-local addresses')
  })

  it('refuses what is not http(s), without naming the URL', async () => {
    const error = await downloadMedia({ kind: 'file', url: 'file:///etc/passwd' }).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe('only http(s) URLs can be fetched')
  })
})
