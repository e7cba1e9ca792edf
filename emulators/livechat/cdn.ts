import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { fail } from './errors'
import { imageSize } from './events'
import type { UploadedPart } from './http'
import type { Store, StoredFile } from './store'

// upload_file (Agent and Customer Chat API, v3.6): max 10 MB, executables forbidden, returns a CDN URL. The
// emulator is its own CDN: `${url}/cdn/api/file/lc/att/<n>/<hash>/<name>` mirrors the docs' sample URL.

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
const EXECUTABLE_EXTENSIONS = /\.(exe|msi|bat|cmd|com|scr|pif|vbs|ps1|sh|jar|apk|app|dmg|dll|bin|run)$/i
const EXECUTABLE_TYPES =
  /(x-msdownload|x-msdos-program|x-executable|x-sh|x-dosexec|java-archive|vnd\.android\.package-archive)/i
const PREFIX = '/cdn/api/file/lc/att/'

export class Cdn {
  public baseUrl = ''

  public constructor(private readonly _store: Store) {}

  public upload(part: UploadedPart | undefined): { url: string } {
    if (!part) return fail('validation', '`file` is required')
    if (part.content.length > MAX_UPLOAD_BYTES) return fail('entity_too_large')
    if (EXECUTABLE_EXTENSIONS.test(part.name) || EXECUTABLE_TYPES.test(part.contentType)) {
      return fail('validation', 'Executable files are forbidden')
    }
    const id = randomBytes(16).toString('hex')
    const size = part.contentType.startsWith('image/') ? imageSize(part.content) : undefined
    const file: StoredFile = { id, name: part.name, contentType: part.contentType, content: part.content, ...size }
    this._store.files.set(id, file)
    return { url: `${this.baseUrl}${PREFIX}8948324/${id}/${encodeURIComponent(part.name)}` }
  }

  public findFile = (url: string): StoredFile | undefined => {
    if (!url.startsWith(`${this.baseUrl}${PREFIX}`)) return undefined
    return this._byPath(new URL(url).pathname)
  }

  /** Serves GET /cdn/...; answers true when the path was a CDN path. */
  public serve(pathname: string, res: ServerResponse): boolean {
    if (!pathname.startsWith(PREFIX)) return false
    const file = this._byPath(pathname)
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
      return true
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.content.length) })
    res.end(file.content)
    return true
  }

  private _byPath(pathname: string): StoredFile | undefined {
    const id = pathname.slice(PREFIX.length).split('/')[1]
    return id ? this._store.files.get(id) : undefined
  }
}
