import type { MediaKind } from '../mapping/text'
import { MediaError } from './media-error'

/**
 * The type a medium is uploaded with. The declared type is a claim: an image, audio or video must show it in its first
 * bytes, else it goes up as a plain download, like types a browser would run scripts from. LiveChat refuses
 * executables (customer-chat-api, Upload File), so those are refused here: the agent gets the link.
 */
export const NEUTRAL_TYPE = 'application/octet-stream'

const EXECUTABLE_EXTENSIONS =
  /\.(exe|msi|bat|cmd|com|scr|pif|vbs|vbe|js|jse|wsf|ps1|sh|jar|apk|app|dmg|dll|bin|run|deb|rpm)$/i
const EXECUTABLE_TYPES =
  /(x-msdownload|x-msdos-program|x-executable|x-sh|x-dosexec|x-msi|java-archive|vnd\.android\.package-archive|x-apple-diskimage)/i
/** Windows PE (MZ), ELF, Mach-O (both byte orders, 32/64 bits, universal), scripts with a `#!` line. */
const EXECUTABLE_MAGIC = /^(MZ|\x7fELF|\xfe\xed\xfa[\xce\xcf]|[\xce\xcf]\xfa\xed\xfe|\xca\xfe\xba\xbe|#!)/
const SCRIPTABLE_TYPES =
  /^(text\/html|text\/xml|application\/xml|[a-z]+\/[\w.-]+\+xml|(text|application)\/(x-)?(java|ecma)script|application\/x-shockwave-flash)$/
const SCRIPTABLE_EXTENSIONS = /\.(html?|xhtml|shtml|svgz?|xml|xsl|mjs|swf)$/i

const TYPES_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
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
  file: NEUTRAL_TYPE,
}

export const extensionOf = (name: string): string | undefined => /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase()

export const extensionForType = (contentType: string): string | undefined =>
  Object.entries(TYPES_BY_EXTENSION).find(([, type]) => type === contentType)?.[0]

/** What the medium claims to be: the header's type, else its name's extension, else the kind's usual type. */
export const declaredType = (header: string | undefined, name: string, kind: MediaKind): string => {
  const declared = header?.split(';')[0]?.trim().toLowerCase()
  if (declared && declared !== NEUTRAL_TYPE && declared !== 'binary/octet-stream') return declared
  const extension = extensionOf(name)
  return (extension && TYPES_BY_EXTENSION[extension]) || DEFAULT_TYPES[kind]
}

const executable = () => new MediaError('LiveChat does not accept executable files')

export const refuseExecutable = (name: string, contentType: string): void => {
  if (EXECUTABLE_EXTENSIONS.test(name) || EXECUTABLE_TYPES.test(contentType)) throw executable()
}

type Family = Exclude<MediaKind, 'file'>
type Sniffed = Partial<Record<Family, string>>

const ascii = (content: Buffer, start: number, end: number): string => content.subarray(start, end).toString('latin1')

/** The ISO media brands (`ftyp` box): QuickTime, audio-only MPEG-4, else MPEG-4 video or audio. */
const sniffFtyp = (content: Buffer): Sniffed => {
  const brand = ascii(content, 8, 12)
  if (brand === 'qt  ') return { video: 'video/quicktime' }
  if (brand === 'M4A ' || brand === 'M4B ') return { audio: 'audio/mp4' }
  return { video: 'video/mp4', audio: 'audio/mp4' }
}

const sniffRiff = (content: Buffer): Sniffed => {
  const form = ascii(content, 8, 12)
  if (form === 'WEBP') return { image: 'image/webp' }
  if (form === 'WAVE') return { audio: 'audio/wav' }
  return {}
}

/** Matroska and WebM share the EBML header; the doctype says which. */
const sniffEbml = (content: Buffer): Sniffed =>
  ascii(content, 0, 64).includes('webm')
    ? { video: 'video/webm', audio: 'audio/webm' }
    : { video: 'video/x-matroska', audio: 'audio/x-matroska' }

/** The image, audio or video format the first bytes show, by family; empty when they show none. */
export const sniffMedia = (content: Buffer): Sniffed => {
  const head = ascii(content, 0, 12)
  if (head.startsWith('\x89PNG\r\n\x1a\n')) return { image: 'image/png' }
  if (head.startsWith('\xff\xd8\xff')) return { image: 'image/jpeg' }
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return { image: 'image/gif' }
  if (head.startsWith('BM') && content.length >= 14 && content.readUInt32LE(6) === 0) return { image: 'image/bmp' }
  if (head.startsWith('RIFF')) return sniffRiff(content)
  if (head.startsWith('ID3') || (content[0] === 0xff && ((content[1] ?? 0) & 0xe0) === 0xe0)) {
    return { audio: 'audio/mpeg' }
  }
  if (head.startsWith('OggS')) return { audio: 'audio/ogg', video: 'video/ogg' }
  if (head.startsWith('fLaC')) return { audio: 'audio/flac' }
  if (head.slice(4, 8) === 'ftyp') return sniffFtyp(content)
  if (head.startsWith('\x1a\x45\xdf\xa3')) return sniffEbml(content)
  return {}
}

/** Markup a browser would render (HTML, SVG, XML), whatever it is called. */
const looksLikeMarkup = (content: Buffer): boolean => /^(\xef\xbb\xbf)?\s*</.test(ascii(content, 0, 256))

/** The format the bytes show for a declared image, audio or video; neutral for what a browser could run scripts from. */
export const settleContentType = (declared: string, name: string, content: Buffer): string => {
  const head = ascii(content, 0, 4)
  if (EXECUTABLE_MAGIC.test(head)) throw executable()
  if (SCRIPTABLE_TYPES.test(declared) || SCRIPTABLE_EXTENSIONS.test(name)) return NEUTRAL_TYPE
  const family = declared.split('/')[0]
  if (family === 'image' || family === 'audio' || family === 'video') return sniffMedia(content)[family] ?? NEUTRAL_TYPE
  return looksLikeMarkup(content) ? NEUTRAL_TYPE : declared
}
