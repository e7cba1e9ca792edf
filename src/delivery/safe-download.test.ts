import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isIP } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type DownloadPolicy, MAX_REDIRECTS, type ResolvedAddress, safeDownload } from './safe-download'

type Recorded = { url: string; host: string }

/** A loopback server that records every request it gets and answers with `handle`. */
const startServer = async (handle: (req: IncomingMessage, res: ServerResponse) => void) => {
  const hits: Recorded[] = []
  const server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', host: req.headers.host ?? '' })
    handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, hits, port: (server.address() as AddressInfo).port }
}

/** Names resolve from this table (trailing dot or not, as getaddrinfo does); IP literals resolve to themselves. */
const resolverOf = (names: Record<string, string[]>) => {
  const asked: string[] = []
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    asked.push(hostname)
    const family = isIP(hostname)
    if (family) return [{ address: hostname, family }]
    const addresses = names[hostname.replace(/\.$/, '')]
    if (!addresses) throw new Error(`ENOTFOUND ${hostname}`)
    return addresses.map((address) => ({ address, family: isIP(address) }))
  }
  return { asked, resolve }
}

describe('safeDownload', () => {
  let files: Awaited<ReturnType<typeof startServer>>
  let internal: Awaited<ReturnType<typeof startServer>>
  let trusted = ''
  const policy = (overrides: Partial<DownloadPolicy> = {}): DownloadPolicy => ({
    trustedOrigins: new Set([trusted]),
    resolve: resolverOf({}).resolve,
    timeoutMs: 5_000,
    maxBytes: 1024,
    ...overrides,
  })

  beforeAll(async () => {
    // The trusted file server: /hops/<n> redirects n times, /to?url= redirects there, /big is too large.
    files = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      const hops = Number(/^\/hops\/(\d+)$/.exec(url.pathname)?.[1] ?? 0)
      if (hops > 0) res.writeHead(302, { location: `/hops/${hops - 1}` }).end()
      else if (url.pathname === '/to') res.writeHead(307, { location: url.searchParams.get('url') ?? '' }).end()
      else if (url.pathname === '/big') res.writeHead(200).end(Buffer.alloc(2048))
      else if (url.pathname !== '/never') res.writeHead(200, { 'content-type': 'image/png' }).end('bytes')
    })
    internal = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end('secret'))
    trusted = `http://127.0.0.1:${files.port}`
  })
  beforeEach(() => {
    internal.hits.length = 0
  })
  afterAll(async () => {
    files.server.closeAllConnections()
    await Promise.all([files, internal].map(({ server }) => new Promise((resolve) => server.close(resolve))))
  })

  it.each([
    ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', 'link-local'],
    ['http://[::ffff:169.254.169.254]/latest/meta-data/', 'link-local'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'unique-local'],
    ['http://[fe80::1]/computeMetadata/v1/', 'link-local'],
    ['http://metadata.google.internal./computeMetadata/v1/', 'link-local'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'link-local'],
    ['http://intranet.example/report.pdf', 'private'],
    ['http://split.example/report.pdf', 'private'],
    ['http://cgnat.example/', 'shared (CGNAT)'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'link-local'],
    ['http://224.0.0.1/', 'multicast'],
  ])('refuses %s (%s) before connecting', async (url, kind) => {
    const { resolve } = resolverOf({
      'metadata.google.internal': ['169.254.169.254'],
      'intranet.example': ['192.168.10.4'],
      // One public and one private address: every address is checked, not the first.
      'split.example': ['93.184.216.34', '10.1.2.3'],
      'cgnat.example': ['100.100.100.200'],
    })
    await expect(safeDownload(url, policy({ resolve }))).rejects.toThrow(
      `the host resolves to a ${kind} address, which is never fetched`
    )
  })

  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/x.png`],
    ['a name', (port: number) => `http://internal.example:${port}/x.png`],
    ['IPv4-mapped', (port: number) => `http://[::ffff:127.0.0.1]:${port}/x.png`],
    ['NAT64', (port: number) => `http://[64:ff9b::7f00:1]:${port}/x.png`],
    ['decimal', (port: number) => `http://2130706433:${port}/x.png`],
  ])('never connects to a loopback service (%s)', async (_label, urlOf) => {
    const { resolve } = resolverOf({ 'internal.example': ['127.0.0.1'] })
    await expect(safeDownload(urlOf(internal.port), policy({ resolve }))).rejects.toThrow('loopback')
    expect(internal.hits).toEqual([])
  })

  it('resolves a name once and connects to the address it checked, keeping the host name in Host', async () => {
    // `files.test` exists only in this resolver: had the connection asked DNS again, it would have failed.
    const { asked, resolve } = resolverOf({ 'files.test': ['127.0.0.1'] })
    const url = `http://files.test:${files.port}/photo.png`
    const download = await safeDownload(url, policy({ resolve, trustedOrigins: new Set([new URL(url).origin]) }))
    expect(download).toEqual({ contentType: 'image/png', content: Buffer.from('bytes') })
    expect(asked).toEqual(['files.test'])
    expect(files.hits.at(-1)).toEqual({ url: '/photo.png', host: `files.test:${files.port}` })
  })

  it(`follows ${MAX_REDIRECTS} redirects within the trusted origin, not ${MAX_REDIRECTS + 1}`, async () => {
    const { asked, resolve } = resolverOf({})
    await expect(safeDownload(`${trusted}/hops/${MAX_REDIRECTS}`, policy({ resolve }))).resolves.toMatchObject({
      content: Buffer.from('bytes'),
    })
    expect(asked).toHaveLength(MAX_REDIRECTS + 1)
    await expect(safeDownload(`${trusted}/hops/${MAX_REDIRECTS + 1}`, policy())).rejects.toThrow(
      'the URL redirects more than 3 times'
    )
  })

  it.each([
    ['a loopback service', (port: number) => `http://127.0.0.1:${port}/x.png`, 'loopback'],
    ['a name inside', (port: number) => `http://internal.example:${port}/x.png`, 'loopback'],
    ['the metadata service', () => 'http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['a file URL', () => 'file:///etc/passwd', 'a redirect points outside http(s)'],
  ])('refuses a redirect from the trusted origin to %s', async (_label, targetOf, message) => {
    const { resolve } = resolverOf({ 'internal.example': ['127.0.0.1'] })
    const url = `${trusted}/to?url=${encodeURIComponent(targetOf(internal.port))}`
    await expect(safeDownload(url, policy({ resolve }))).rejects.toThrow(message)
    expect(internal.hits).toEqual([])
  })

  it('refuses a body above the limit, and gives up at the deadline', async () => {
    await expect(safeDownload(`${trusted}/big`, policy())).rejects.toThrow('larger than LiveChat’s 10 MB limit')
    await expect(safeDownload(`${trusted}/never`, policy({ timeoutMs: 100 }))).rejects.toThrow('the download timed out')
  })

  it('says why in words, never with the URL', async () => {
    const secret = 'http://intranet.example/report.pdf?signature=s3cr3t'
    const { resolve } = resolverOf({ 'intranet.example': ['10.0.0.7'] })
    const error = await safeDownload(secret, policy({ resolve })).catch((thrown: unknown) => thrown)
    expect(String(error)).not.toContain('s3cr3t')
    await expect(safeDownload('ftp://example.com/a.png', policy())).rejects.toThrow('only http(s) URLs can be fetched')
    await expect(safeDownload('http://unknown.example/', policy())).rejects.toThrow(
      'the host name could not be resolved'
    )
  })
})
