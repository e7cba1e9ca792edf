import { Deadline } from '../botpress/deadline'
import { describeError } from '../botpress/errors'
import { Log, LogFields } from '../botpress/log'
import { CustomerClient } from '../customer/token'
import { isLiveChatCdnUrl } from '../livechat'
import { MediaRef, ResolvedMedia, UploadedMedia } from '../mapping/text'
import { declaredType, extensionForType, extensionOf, refuseExecutable, settleContentType } from './content-type'
import { MediaError } from './media-error'
import { DownloadPolicy, defaultPolicy, parseUrl, safeDownload } from './safe-download'

/** LiveChat refuses files above 10 MB (customer-chat-api, Upload File): refused here before any byte is sent. */
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024
const DOWNLOAD_TIMEOUT_MS = 15_000
/** Uploads at once: enough to keep a transcript quick, few enough not to hit LiveChat's rate limits. */
const UPLOAD_CONCURRENCY = 4

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
  const extension = (fromUrl && extensionOf(fromUrl)) ?? extensionForType(contentType)
  return extension ? `${base}.${extension}` : base
}

type DownloadedMedia = { name: string; contentType: string; content: Buffer }

/** Downloads a medium for upload (safe-download.ts) and settles its type from its bytes. Throws a MediaError. */
export const downloadMedia = async (
  media: MediaRef,
  policy: DownloadPolicy = defaultPolicy({ timeoutMs: DOWNLOAD_TIMEOUT_MS, maxBytes: MAX_MEDIA_BYTES })
): Promise<DownloadedMedia> => {
  const url = parseUrl(media.url)
  const path = lastPathSegment(url) ?? ''
  refuseExecutable(path, '')
  const download = await safeDownload(media.url, policy)
  const declared = declaredType(download.contentType, path, media.kind)
  const name = fileNameOf(media, url, declared)
  refuseExecutable(name, declared)
  if (download.content.length === 0) throw new MediaError('the file is empty')
  return { name, contentType: settleContentType(declared, name, download.content), content: download.content }
}

const uploadOne = async (customer: CustomerClient, media: MediaRef, deadline: Deadline): Promise<UploadedMedia> => {
  if (isLiveChatCdnUrl(media.url)) {
    // Already on LiveChat's CDN (an agent's file quoted back): nothing to copy.
    const path = lastPathSegment(new URL(media.url))
    return {
      ok: true,
      url: media.url,
      name: path ?? media.kind,
      contentType: declaredType(undefined, path ?? '', media.kind),
    }
  }
  // No download runs past the deadline.
  const timeoutMs = Math.max(1, Math.min(DOWNLOAD_TIMEOUT_MS, deadline.remainingMs()))
  const file = await downloadMedia(media, defaultPolicy({ timeoutMs, maxBytes: MAX_MEDIA_BYTES }))
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

const OUT_OF_TIME: UploadedMedia = { ok: false, reason: 'no time was left to upload it' }

/**
 * Uploads every medium (each URL once) onto LiveChat's CDN and says, per URL, where the agent can open it. Never
 * throws: a medium that cannot be fetched or uploaded, or is left when the deadline passes, is logged and shows as
 * its link.
 */
export const uploadMedia = async (
  customer: CustomerClient,
  media: MediaRef[],
  props: { log: Log; fields: LogFields; deadline: Deadline }
): Promise<ResolvedMedia> => {
  const unique = [...new Map(media.map((item) => [item.url, item])).values()]
  const results = await mapLimit(unique, UPLOAD_CONCURRENCY, async (item): Promise<[string, UploadedMedia]> => {
    if (props.deadline.expired()) return [item.url, OUT_OF_TIME]
    try {
      return [item.url, await uploadOne(customer, item, props.deadline)]
    } catch (thrown) {
      const { reason, fields } = reasonOf(thrown)
      props.log.warn(`Could not attach the ${item.kind} in LiveChat; the agent gets its link instead`, {
        ...props.fields,
        ...fields,
      })
      return [item.url, { ok: false, reason }]
    }
  })
  const late = results.filter(([, result]) => result === OUT_OF_TIME).length
  if (late > 0) {
    props.log.warn('Out of time: media not uploaded to LiveChat; the agent gets their links instead', {
      ...props.fields,
      count: late,
    })
  }
  return new Map(results)
}
