/** LiveChat refuses a message `text` above 16 KB of raw UTF-8 ("to send more, split text into several messages"). */
export const MAX_TEXT_BYTES = 16 * 1024

/** Largest UTF-16 index that keeps `text.slice(0, index)` within `maxBytes`, never inside a surrogate pair. */
const fitIndex = (text: string, maxBytes: number): number => {
  let bytes = 0
  let index = 0
  for (const char of text) {
    bytes += Buffer.byteLength(char, 'utf8')
    if (bytes > maxBytes) break
    index += char.length
  }
  return index
}

/** Prefer a line break, then a space, in the second half of the chunk, so words and lines stay whole. */
const breakIndex = (text: string, limit: number): number => {
  const window = text.slice(0, limit)
  for (const separator of ['\n', ' ']) {
    const at = window.lastIndexOf(separator)
    if (at >= limit / 2) return at + 1
  }
  return limit
}

/** Parts of at most `maxBytes` UTF-8 bytes each; joined back together they give `text` again. */
export const splitText = (text: string, maxBytes: number = MAX_TEXT_BYTES): string[] => {
  const parts: string[] = []
  let rest = text
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    const limit = fitIndex(rest, maxBytes)
    // 0 only with maxBytes < 4 and an emoji: take one code point rather than loop forever.
    const cut = limit === 0 ? ((rest.codePointAt(0) ?? 0) > 0xffff ? 2 : 1) : breakIndex(rest, limit)
    parts.push(rest.slice(0, cut))
    rest = rest.slice(cut)
  }
  parts.push(rest)
  return parts
}
