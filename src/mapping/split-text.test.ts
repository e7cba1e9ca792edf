import { describe, expect, it } from 'vitest'
import { MAX_TEXT_BYTES, splitText } from './split-text'

const bytes = (text: string) => Buffer.byteLength(text, 'utf8')

describe('splitText', () => {
  it('keeps a short text whole', () => {
    expect(splitText('hello')).toEqual(['hello'])
  })

  it('keeps an empty text as one empty part', () => {
    expect(splitText('')).toEqual([''])
  })

  it('splits a text above 16 KB into parts of at most 16 KB that join back to the original', () => {
    const text = 'word '.repeat(10_000)
    const parts = splitText(text)
    expect(parts.length).toBeGreaterThan(1)
    expect(parts.every((part) => bytes(part) <= MAX_TEXT_BYTES)).toBe(true)
    expect(parts.join('')).toBe(text)
  })

  it('cuts on a line break or a space rather than inside a word', () => {
    expect(splitText('aaaa bbbb\ncccc', 10)).toEqual(['aaaa bbbb\n', 'cccc'])
    expect(splitText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb ', 'cccc'])
  })

  it('cuts a text without spaces at the byte limit', () => {
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij'])
  })

  it('never cuts inside a multi-byte character or a surrogate pair', () => {
    const text = '😁'.repeat(10) + 'é'.repeat(10)
    const parts = splitText(text, 9)
    expect(parts.every((part) => bytes(part) <= 9)).toBe(true)
    expect(parts.join('')).toBe(text)
    expect(parts.every((part) => !part.includes('\uFFFD') && Buffer.from(part, 'utf8').toString('utf8') === part)).toBe(
      true
    )
  })
})
