import { randomUUID } from 'node:crypto'

/**
 * Files the Botpress side puts in messages (the end user's photo, the bot's PDF): kept in memory and served by the
 * console server at `/media/<id>/<name>` on 127.0.0.1, where `bp serve` fetches them as it would from any CDN. The
 * name is the URL's last segment, so LiveChat shows it as the file name.
 */

export type StoredMedia = { name: string; contentType: string; content: Buffer }

/** LiveChat refuses more anyway; the console only needs room for a photo or a document. */
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024
const MAX_FILES = 200

export class MediaStore {
  private readonly _files = new Map<string, StoredMedia>()
  private _baseUrl = ''

  /** Set once the console server listens. */
  public set baseUrl(url: string) {
    this._baseUrl = url.replace(/\/+$/, '')
  }

  /** Stores a file and returns the URL it is served at. */
  public put(file: StoredMedia): string {
    if (!this._baseUrl) throw new Error('The media store has no URL yet')
    if (file.content.length > MAX_MEDIA_BYTES) throw new Error('The file is larger than 10 MB')
    const name =
      file.name
        .replace(/[\\/\r\n]/g, '_')
        .trim()
        .slice(0, 200) || 'file'
    const id = randomUUID().slice(0, 8)
    this._files.set(`${id}/${name}`, { ...file, name })
    // The oldest go first: a long session of uploads does not grow the memory without bound.
    for (const key of this._files.keys()) {
      if (this._files.size <= MAX_FILES) break
      this._files.delete(key)
    }
    return `${this._baseUrl}/media/${id}/${encodeURIComponent(name)}`
  }

  /** The file behind a `/media/<id>/<name>` path, if any. */
  public get(pathname: string): StoredMedia | undefined {
    const match = /^\/media\/([0-9a-f]{8})\/([^/]+)$/.exec(pathname)
    if (!match) return undefined
    try {
      return this._files.get(`${match[1]}/${decodeURIComponent(match[2] ?? '')}`)
    } catch {
      return undefined
    }
  }
}
