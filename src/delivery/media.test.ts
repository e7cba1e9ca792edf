import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isIP } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_MEDIA_BYTES, downloadMedia } from './media'
import type { DownloadPolicy } from './safe-download'

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(16)])
const FILES: Record<string, { type: string; body: Buffer }> = {
  '/photo.png': { type: 'image/png', body: PNG },
  '/fake.png': { type: 'image/png', body: Buffer.from('<html><script>alert(1)</script></html>') },
  '/content': { type: 'image/png', body: PNG },
  '/tool.pdf': { type: 'application/pdf', body: Buffer.from('MZ\x90\x00 a Windows program') },
}

describe('downloadMedia', () => {
  let server: Server
  let base = ''
  const policy = (): DownloadPolicy => ({
    trustedOrigins: new Set([base]),
    resolve: async (hostname) => [{ address: hostname, family: isIP(hostname) }],
    timeoutMs: 5_000,
    maxBytes: MAX_MEDIA_BYTES,
  })

  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = FILES[req.url ?? '']
      if (file) res.writeHead(200, { 'content-type': file.type }).end(file.body)
      else res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('keeps the type its bytes confirm, and names the file after the URL', async () => {
    expect(await downloadMedia({ kind: 'image', url: `${base}/photo.png` }, policy())).toEqual({
      name: 'photo.png',
      contentType: 'image/png',
      content: PNG,
    })
    expect(await downloadMedia({ kind: 'image', url: `${base}/content` }, policy())).toMatchObject({
      name: 'content.png',
      contentType: 'image/png',
    })
  })

  it('uploads what only claims to be an image as a plain download', async () => {
    expect(await downloadMedia({ kind: 'image', url: `${base}/fake.png` }, policy())).toMatchObject({
      name: 'fake.png',
      contentType: 'application/octet-stream',
    })
  })

  it('refuses a program whatever it is called', async () => {
    await expect(downloadMedia({ kind: 'file', url: `${base}/tool.pdf` }, policy())).rejects.toThrow(
      'LiveChat does not accept executable files'
    )
    await expect(downloadMedia({ kind: 'file', url: `${base}/setup.exe` }, policy())).rejects.toThrow('executable')
  })

  it('refuses an internal address by default, and what is not http(s), without naming the URL', async () => {
    await expect(downloadMedia({ kind: 'image', url: 'http://[::ffff:169.254.169.254]/' })).rejects.toThrow(
      'the host resolves to a link-local address, which is never fetched'
    )
    const error = await downloadMedia({ kind: 'file', url: 'file:///etc/passwd' }).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe('only http(s) URLs can be fetched')
  })
})
