import { lookup } from 'node:dns/promises'
import { IncomingMessage, request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { refusedKind } from './address'
import { MediaError } from './media-error'
import { trustedOrigins } from './trusted-origins'

/**
 * GET a medium without server-side request forgery: each URL (the first and every redirect, at most 3) has its host
 * resolved once, every address checked (address.ts) unless its origin is trusted, and the connection made to those
 * very addresses, so DNS rebinding cannot swap them. TLS and `Host` still name the original host.
 */
export const MAX_REDIRECTS = 3
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

export type ResolvedAddress = { address: string; family: number }
type Addresses = [ResolvedAddress, ...ResolvedAddress[]]

export type DownloadPolicy = {
  trustedOrigins: ReadonlySet<string>
  resolve(hostname: string): Promise<ResolvedAddress[]>
  /** For the whole download: every hop and the body. */
  timeoutMs: number
  maxBytes: number
}

export const defaultPolicy = (limits: { timeoutMs: number; maxBytes: number }): DownloadPolicy => ({
  trustedOrigins: trustedOrigins(),
  resolve: (hostname) => lookup(hostname, { all: true, verbatim: true }),
  ...limits,
})

export const parseUrl = (text: string, base?: URL): URL => {
  let url: URL
  try {
    url = new URL(text, base)
  } catch {
    throw new MediaError(base ? 'a redirect points to an invalid URL' : 'the URL is not valid')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MediaError(base ? 'a redirect points outside http(s)' : 'only http(s) URLs can be fetched')
  }
  return url
}

/** The addresses the host resolves to, all of them allowed; a trusted origin may resolve anywhere. */
const checkedAddresses = async (url: URL, policy: DownloadPolicy): Promise<Addresses> => {
  const [first, ...rest] = await policy.resolve(url.hostname.replace(/^\[|\]$/g, '')).catch(() => [])
  if (!first) throw new MediaError('the host name could not be resolved')
  if (policy.trustedOrigins.has(url.origin)) return [first, ...rest]
  for (const { address } of [first, ...rest]) {
    const kind = refusedKind(address)
    if (kind) throw new MediaError(`the host resolves to a ${kind} address, which is never fetched`)
  }
  return [first, ...rest]
}

/** The socket's DNS lookup answers with the addresses already checked, and never asks DNS again. */
const pinnedLookup =
  (addresses: Addresses): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, addresses)
    else callback(null, addresses[0].address, addresses[0].family)
  }

const requestOnce = (url: URL, addresses: Addresses, signal: AbortSignal): Promise<IncomingMessage> =>
  new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    // No shared agent: a pooled socket must not carry a request to another host's checked address.
    send(url, { agent: false, lookup: pinnedLookup(addresses), signal, headers: { accept: '*/*' } })
      .once('response', resolve)
      .on('error', reject)
      .end()
  })

/** DNS lookups cannot be cancelled; the download still gives up at its deadline. */
const beforeDeadline = <T>(work: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise((resolve, reject) => {
    const onAbort = () => reject(new MediaError('the download timed out'))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })

const follow = async (target: string, policy: DownloadPolicy, signal: AbortSignal): Promise<IncomingMessage> => {
  let url = parseUrl(target)
  for (let redirects = 0; ; redirects++) {
    const addresses = await beforeDeadline(checkedAddresses(url, policy), signal)
    const response = await requestOnce(url, addresses, signal)
    const location = REDIRECT_STATUSES.has(response.statusCode ?? 0) ? response.headers.location : undefined
    if (location === undefined) return response
    response.destroy()
    if (redirects === MAX_REDIRECTS) throw new MediaError(`the URL redirects more than ${MAX_REDIRECTS} times`)
    url = parseUrl(location, url)
  }
}

const tooLarge = () => new MediaError('the file is larger than LiveChat’s 10 MB limit')

/** Reads at most maxBytes, so a huge or endless body never fills the memory. */
const readBounded = async (response: IncomingMessage, maxBytes: number): Promise<Buffer> => {
  if (Number(response.headers['content-length']) > maxBytes) {
    response.destroy()
    throw tooLarge()
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > maxBytes) {
      response.destroy()
      throw tooLarge()
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks)
}

/** Downloads `url` under the policy. Throws a MediaError whose message is safe to log (never the URL). */
export const safeDownload = async (
  url: string,
  policy: DownloadPolicy
): Promise<{ contentType: string | undefined; content: Buffer }> => {
  const signal = AbortSignal.timeout(policy.timeoutMs)
  try {
    const response = await follow(url, policy, signal)
    const status = response.statusCode ?? 0
    if (status < 200 || status > 299) {
      response.destroy()
      throw new MediaError(`the file could not be downloaded (HTTP ${status})`)
    }
    const content = await readBounded(response, policy.maxBytes)
    return { contentType: response.headers['content-type'], content }
  } catch (thrown) {
    if (thrown instanceof MediaError) throw thrown
    throw new MediaError(signal.aborted ? 'the download timed out' : 'the file could not be downloaded')
  }
}
