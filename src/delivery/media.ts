import { isLiveChatCdnUrl } from '../livechat'
import { MediaKind, MediaRef, ResolvedMedia, UploadedMedia } from '../mapping/to-livechat'
import { CustomerSession } from '../misc/customer-token'
import { describeError } from '../misc/errors'
import { Log, LogFields } from '../misc/log'

/**
 * Bot media onto LiveChat's CDN: download (bounded), then `upload_file` as the customer. LiveChat refuses files above
 * 10 MB and executables (customer-chat-api, Upload File), so both are refused here before any byte is sent.
 */

export const MAX_MEDIA_BYTES = 10 * 1024 * 1024
const DOWNLOAD_TIMEOUT_MS = 15_000
/** Uploads at once: enough to keep a transcript quick, few enough not to hit LiveChat's rate limits. */
const UPLOAD_CONCURRENCY = 4

const EXECUTABLE_EXTENSIONS =
  /\.(exe|msi|bat|cmd|com|scr|pif|vbs|vbe|js|jse|wsf|ps1|sh|jar|apk|app|dmg|dll|bin|run|deb|rpm)$/i
const EXECUTABLE_TYPES =
  /(x-msdownload|x-msdos-program|x-executable|x-sh|x-dosexec|x-msi|java-archive|vnd\.android\.package-archive|x-apple-diskimage)/i

const TYPES_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}
const DEFAULT_TYPES: Record<MediaKind, string> = {
  image: 'image/png',
  audio: 'audio/mpeg',
  video: 'video/mp4',
  file: 'application/octet-stream',
}

class MediaError extends Error {}

const extensionOf = (name: string): string | undefined => /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase()

const lastPathSegment = (url: URL): string | undefined => {
  const segment = url.pathname.split('/').filter(Boolean).at(-1)
  if (!segment) return undefined
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** The name the agent sees: the file title (with an extension), else the URL's last segment, else the kind. */
const fileNameOf = (media: MediaRef, url: URL, contentType: string): string => {
  const fromUrl = lastPathSegment(url)
  const base = (media.title?.trim() || fromUrl || media.kind).replace(/[\\/\r\n]/g, '_').slice(0, 200)
  if (extensionOf(base)) return base
  const extension =
    (fromUrl && extensionOf(fromUrl)) ??
    Object.entries(TYPES_BY_EXTENSION).find(([, type]) => type === contentType)?.[0]
  return extension ? `${base}.${extension}` : base
}

const contentTypeOf = (header: string | null, url: URL, kind: MediaKind): string => {
  const declared = header?.split(';')[0]?.trim().toLowerCase()
  if (declared && declared !== 'application/octet-stream' && declared !== 'binary/octet-stream') return declared
  const extension = extensionOf(lastPathSegment(url) ?? '')
  return (extension && TYPES_BY_EXTENSION[extension]) || DEFAULT_TYPES[kind]
}

const refuseExecutable = (name: string, contentType: string): void => {
  if (EXECUTABLE_EXTENSIONS.test(name) || EXECUTABLE_TYPES.test(contentType)) {
    throw new MediaError('LiveChat does not accept executable files')
  }
}

/** Reads at most MAX_MEDIA_BYTES, so a huge or endless body never fills the memory. */
const readBounded = async (response: Response): Promise<Buffer> => {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > MAX_MEDIA_BYTES) {
    throw new MediaError('the file is larger than LiveChat’s 10 MB limit')
  }
  if (!response.body) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let size = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_MEDIA_BYTES) {
      await reader.cancel()
      throw new MediaError('the file is larger than LiveChat’s 10 MB limit')
    }
    chunks.push(Buffer.from(value))
  }
  return Buffer.concat(chunks)
}

/**
 * Link-local hosts (169.254.0.0/16, fe80::/10) serve cloud instance metadata and credentials: a bot message must never
 * make the integration read them. Loopback and private ranges stay allowed on purpose: self-hosted Botpress file
 * servers and the local test bed live there. (A literal-address check: names are resolved by the platform.)
 */
const isLinkLocal = (hostname: string): boolean => {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return (
    /^169\.254\.\d{1,3}\.\d{1,3}$/.test(host) || /^fe[89ab][0-9a-f]:/.test(host) || host === 'metadata.google.internal'
  )
}

export type DownloadedMedia = { name: string; contentType: string; content: Buffer }

/** Downloads a medium for upload. Throws a MediaError whose message is safe to log (never the URL: it may be signed). */
export const downloadMedia = async (media: MediaRef): Promise<DownloadedMedia> => {
  let url: URL
  try {
    url = new URL(media.url)
  } catch {
    throw new MediaError('the URL is not valid')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MediaError('only http(s) URLs can be fetched')
  if (isLinkLocal(url.hostname)) throw new MediaError('link-local addresses (cloud metadata services) are not fetched')
  refuseExecutable(lastPathSegment(url) ?? '', '')
  let response: Response
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) })
  } catch (thrown) {
    const timedOut = thrown instanceof Error && (thrown.name === 'TimeoutError' || thrown.name === 'AbortError')
    throw new MediaError(timedOut ? 'the download timed out' : 'the file could not be downloaded')
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    throw new MediaError(`the file could not be downloaded (HTTP ${response.status})`)
  }
  const contentType = contentTypeOf(response.headers.get('content-type'), url, media.kind)
  const name = fileNameOf(media, url, contentType)
  refuseExecutable(name, contentType)
  const content = await readBounded(response)
  if (content.length === 0) throw new MediaError('the file is empty')
  return { name, contentType, content }
}

const uploadOne = async (customer: CustomerSession, media: MediaRef): Promise<UploadedMedia> => {
  if (isLiveChatCdnUrl(media.url)) {
    // Already on LiveChat's CDN (an agent's file quoted back): nothing to copy.
    const url = new URL(media.url)
    return {
      ok: true,
      url: media.url,
      name: lastPathSegment(url) ?? media.kind,
      contentType: contentTypeOf(null, url, media.kind),
    }
  }
  const file = await downloadMedia(media)
  const uploaded = await customer.call((api) => api.uploadFile(file))
  return { ok: true, url: uploaded.url, name: file.name, contentType: file.contentType }
}

const reasonOf = (thrown: unknown): { reason: string; fields: LogFields } => {
  if (thrown instanceof MediaError) return { reason: thrown.message, fields: { reason: thrown.message } }
  const fields = describeError(thrown)
  return {
    reason: 'LiveChat did not accept the upload',
    fields: { ...fields, reason: fields.reason ?? 'upload failed' },
  }
}

const mapLimit = async <T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await run(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * Uploads every medium (each URL once) and says, per URL, where the agent can open it. Never throws: a medium that
 * cannot be fetched or uploaded is logged as a warning with the ids and the reason, and the caller shows its link.
 */
export const uploadMedia = async (
  customer: CustomerSession,
  media: MediaRef[],
  props: { log: Log; fields: LogFields }
): Promise<ResolvedMedia> => {
  const unique = [...new Map(media.map((item) => [item.url, item])).values()]
  const results = await mapLimit(unique, UPLOAD_CONCURRENCY, async (item): Promise<[string, UploadedMedia]> => {
    try {
      return [item.url, await uploadOne(customer, item)]
    } catch (thrown) {
      const { reason, fields } = reasonOf(thrown)
      props.log.warn(`Could not attach the ${item.kind} in LiveChat; the agent gets its link instead`, {
        ...props.fields,
        ...fields,
      })
      return [item.url, { ok: false, reason }]
    }
  })
  return new Map(results)
}
