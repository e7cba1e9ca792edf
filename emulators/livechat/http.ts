import type { IncomingMessage, ServerResponse } from 'node:http'
import { LiveChatError } from './errors'

// Small request/response helpers shared by every route.

/** Bodies above this are refused while reading; upload_file's own 10 MB rule is checked on the parsed file. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024

export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new LiveChatError('entity_too_large'))
        req.resume()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })

export const parseJsonBody = (raw: Buffer): unknown => {
  if (raw.length === 0) return {}
  try {
    return JSON.parse(raw.toString('utf8')) as unknown
  } catch {
    throw new LiveChatError('validation', 'Invalid JSON body')
  }
}

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(text)
}

export type UploadedPart = { name: string; contentType: string; content: Buffer }

/** Parses a multipart/form-data body with the platform's own parser (undici's Request.formData). */
export const parseMultipartFile = async (raw: Buffer, contentType: string): Promise<UploadedPart | undefined> => {
  const form = await new Request('http://local/upload', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  })
    .formData()
    .catch(() => {
      throw new LiveChatError('validation', 'Invalid multipart body')
    })
  const file = form.get('file')
  if (!file || typeof file === 'string') return undefined
  return {
    name: file.name || 'file',
    contentType: file.type || 'application/octet-stream',
    content: Buffer.from(await file.arrayBuffer()),
  }
}

/** Any key that smells like a credential is replaced before a body is recorded (lc.calls holds no secrets). */
export const redact = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(redact)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        /token|secret|password|authorization|cookie/i.test(k) ? '[redacted]' : redact(v),
      ])
    )
  }
  return value
}
