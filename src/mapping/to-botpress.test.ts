import { describe, expect, it } from 'vitest'
import { fileToMessage, renderRichMessage } from './to-botpress'

describe('fileToMessage', () => {
  const url = 'https://cdn.livechat-files.com/api/file/lc/att/1/a/x'

  it.each([
    ['image/png', { type: 'image', payload: { imageUrl: url } }],
    ['audio/mpeg', { type: 'audio', payload: { audioUrl: url } }],
    ['video/mp4', { type: 'video', payload: { videoUrl: url } }],
    ['application/pdf', { type: 'file', payload: { fileUrl: url, title: 'invoice.pdf' } }],
  ])('maps %s by its content type', (contentType, expected) => {
    expect(fileToMessage({ url, name: 'invoice.pdf', content_type: contentType })).toEqual(expected)
  })

  it('falls back to a file without a content type', () => {
    expect(fileToMessage({ url })).toEqual({ type: 'file', payload: { fileUrl: url } })
  })
})

describe('renderRichMessage', () => {
  it('renders cards as readable text, buttons as a list', () => {
    expect(
      renderRichMessage({
        elements: [
          {
            title: 'Lorem ipsum',
            subtitle: 'Dolor sit amet',
            image: { url: 'https://example.com/a.png' },
            buttons: [
              { text: 'yes', postback_id: 'action_yes' },
              { text: 'Docs', type: 'url', value: 'https://example.com' },
            ],
          },
          { title: 'Second' },
        ],
      })
    ).toBe(
      'Lorem ipsum\nDolor sit amet\n[Image] https://example.com/a.png\n• yes\n• Docs: https://example.com\n\nSecond'
    )
  })
})
