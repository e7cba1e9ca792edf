import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Base64 of a 10 MB file (LiveChat's upload limit) plus the JSON around it. */
const MAX_BODY_BYTES = 15 * 1024 * 1024

export class HttpError extends Error {
  public constructor(
    public readonly status: number,
    message: string
  ) {
    super(message)
  }
}

export const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(text)
}

export const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The request body is too large')
    chunks.push(buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON')
  }
}

/** Listens on 127.0.0.1 only; a taken port falls back to one the OS picks, so a second sandbox still starts. */
export const listenLoopback = async (server: Server, port: number): Promise<number> => {
  const attempt = (p: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err)
      server.once('error', onError)
      server.listen(p, '127.0.0.1', () => {
        server.off('error', onError)
        resolve()
      })
    })
  try {
    await attempt(port)
  } catch (thrown) {
    const code = thrown instanceof Error && 'code' in thrown ? thrown.code : undefined
    if (code !== 'EADDRINUSE' || port === 0) throw thrown
    await attempt(0)
  }
  return (server.address() as AddressInfo).port
}
