import { describe, expect, it } from 'vitest'
import { NEUTRAL_TYPE, declaredType, settleContentType, sniffMedia } from './content-type'

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))))

const FORMATS = {
  png: bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR'),
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'),
  gif: bytes('GIF89a', [1, 0, 1, 0]),
  webp: bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '),
  bmp: bytes('BM', [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]),
  id3: bytes('ID3', [4, 0, 0]),
  mpegFrame: bytes([0xff, 0xfb, 0x90, 0x64]),
  ogg: bytes('OggS', [0, 2]),
  wav: bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '),
  mp4: bytes([0, 0, 0, 0x18], 'ftypmp42', [0, 0, 0, 0]),
  mov: bytes([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 0, 0]),
  m4a: bytes([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]),
  webm: bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm'),
  mkv: bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88], 'matroska'),
  html: bytes('<!DOCTYPE html><script>alert(1)</script>'),
  svg: bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  pdf: bytes('%PDF-1.7\n'),
  text: bytes('hello'),
}

describe('sniffMedia', () => {
  it.each([
    ['png', { image: 'image/png' }],
    ['jpeg', { image: 'image/jpeg' }],
    ['gif', { image: 'image/gif' }],
    ['webp', { image: 'image/webp' }],
    ['bmp', { image: 'image/bmp' }],
    ['id3', { audio: 'audio/mpeg' }],
    ['mpegFrame', { audio: 'audio/mpeg' }],
    ['ogg', { audio: 'audio/ogg', video: 'video/ogg' }],
    ['wav', { audio: 'audio/wav' }],
    ['mp4', { video: 'video/mp4', audio: 'audio/mp4' }],
    ['mov', { video: 'video/quicktime' }],
    ['m4a', { audio: 'audio/mp4' }],
    ['webm', { video: 'video/webm', audio: 'audio/webm' }],
    ['mkv', { video: 'video/x-matroska', audio: 'audio/x-matroska' }],
    ['html', {}],
    ['svg', {}],
    ['pdf', {}],
    ['text', {}],
  ] as const)('%s', (format, expected) => {
    expect(sniffMedia(FORMATS[format])).toEqual(expected)
  })

  it('reads nothing past a short buffer', () => {
    expect(sniffMedia(Buffer.from('BM'))).toEqual({})
    expect(sniffMedia(Buffer.alloc(0))).toEqual({})
  })
})

describe('settleContentType', () => {
  it.each([
    // What the bytes show wins over the declared type of the same family.
    ['image/png', 'a.png', 'png', 'image/png'],
    ['image/png', 'a.png', 'jpeg', 'image/jpeg'],
    ['audio/mpeg', 'a.mp3', 'id3', 'audio/mpeg'],
    ['audio/mp4', 'a.m4a', 'mp4', 'audio/mp4'],
    ['video/mp4', 'a.mp4', 'mp4', 'video/mp4'],
    ['video/webm', 'a.webm', 'webm', 'video/webm'],
    ['audio/ogg', 'a.ogg', 'ogg', 'audio/ogg'],
    // A claim the bytes contradict goes up as a plain download.
    ['image/png', 'a.png', 'html', NEUTRAL_TYPE],
    ['image/jpeg', 'a.jpg', 'pdf', NEUTRAL_TYPE],
    ['image/png', 'a.png', 'mp4', NEUTRAL_TYPE],
    ['video/mp4', 'a.mp4', 'png', NEUTRAL_TYPE],
    ['audio/mpeg', 'a.mp3', 'text', NEUTRAL_TYPE],
    // Scriptable types and names never keep their type, whatever the bytes.
    ['image/svg+xml', 'a.svg', 'svg', NEUTRAL_TYPE],
    ['text/html', 'a.html', 'html', NEUTRAL_TYPE],
    ['application/xhtml+xml', 'a', 'html', NEUTRAL_TYPE],
    ['text/xml', 'a', 'text', NEUTRAL_TYPE],
    ['application/javascript', 'a', 'text', NEUTRAL_TYPE],
    ['text/plain', 'a.html', 'text', NEUTRAL_TYPE],
    ['text/plain', 'a.svg', 'text', NEUTRAL_TYPE],
    // Markup under another type is neutralised; other documents keep their type.
    ['text/plain', 'a.txt', 'html', NEUTRAL_TYPE],
    ['application/pdf', 'a.pdf', 'svg', NEUTRAL_TYPE],
    ['application/pdf', 'a.pdf', 'pdf', 'application/pdf'],
    ['text/plain', 'a.txt', 'text', 'text/plain'],
  ] as const)('%s named %s with %s bytes: %s', (declared, name, format, expected) => {
    expect(settleContentType(declared, name, FORMATS[format])).toBe(expected)
  })

  it.each([
    ['Windows PE', bytes('MZ', [0x90, 0])],
    ['ELF', bytes([0x7f], 'ELF', [2, 1])],
    ['Mach-O', bytes([0xcf, 0xfa, 0xed, 0xfe])],
    ['script', bytes('#!/bin/sh\nrm -rf /')],
  ])('refuses an executable (%s) whatever it claims to be', (_label, content) => {
    expect(() => settleContentType('image/png', 'a.png', content)).toThrow('LiveChat does not accept executable files')
    expect(() => settleContentType('application/pdf', 'a.pdf', content)).toThrow('executable')
  })
})

describe('declaredType', () => {
  it('takes the header, else the extension, else the kind', () => {
    expect(declaredType('Image/PNG; charset=binary', 'a.jpg', 'image')).toBe('image/png')
    expect(declaredType('application/octet-stream', 'a.jpg', 'image')).toBe('image/jpeg')
    expect(declaredType(undefined, 'content', 'video')).toBe('video/mp4')
    expect(declaredType(undefined, 'content', 'file')).toBe(NEUTRAL_TYPE)
  })
})
