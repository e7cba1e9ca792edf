import { describe, expect, it } from 'vitest'
import { fileToMessage, renderRichMessage, richMessageToMessage, toBotpressMessage } from './to-botpress'

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

describe('richMessageToMessage', () => {
  const button = (type: string, text: string, value: string) => ({ type, text, value, postback_id: 'p', user_ids: [] })

  it('maps one card with url and message buttons to a Botpress card', () => {
    expect(
      richMessageToMessage({
        template_id: 'cards',
        elements: [
          {
            title: 'Return label',
            subtitle: 'Print it',
            image: { url: 'https://cdn.livechat-files.com/a.png' },
            buttons: [button('url', 'Open', 'https://x.test'), button('message', 'Thanks', 'thanks')],
          },
        ],
      })
    ).toEqual({
      type: 'card',
      payload: {
        title: 'Return label',
        subtitle: 'Print it',
        imageUrl: 'https://cdn.livechat-files.com/a.png',
        actions: [
          { action: 'url', label: 'Open', value: 'https://x.test' },
          { action: 'say', label: 'Thanks', value: 'Thanks' },
        ],
      },
    })
  })

  it('maps several cards to a carousel and quick replies to a choice', () => {
    const cards = richMessageToMessage({ template_id: 'cards', elements: [{ title: 'a' }, { title: 'b' }] })
    expect(cards).toMatchObject({ type: 'carousel', payload: { items: [{ title: 'a' }, { title: 'b' }] } })
    const choice = richMessageToMessage({
      template_id: 'quick_replies',
      elements: [{ title: 'OS?', buttons: [button('message', 'Linux', 'l')] }],
    })
    expect(choice).toEqual({ type: 'choice', payload: { text: 'OS?', options: [{ label: 'Linux', value: 'Linux' }] } })
  })

  it('falls back to readable text when a button has no Botpress twin (phone)', () => {
    const event = {
      id: 'e1',
      created_at: '2024-01-01T00:00:00.000000Z',
      type: 'rich_message' as const,
      template_id: 'cards',
      elements: [{ title: 'Call us', buttons: [button('phone', 'Call', '123')] }],
    }
    expect(richMessageToMessage(event)).toBeUndefined()
    expect(toBotpressMessage(event)).toEqual({ type: 'text', payload: { text: 'Call us\n• Call: 123' } })
  })

  it('never turns a system message into agent speech', () => {
    expect(
      toBotpressMessage({
        id: 'e2',
        created_at: '2024-01-01T00:00:00.000000Z',
        type: 'system_message',
        system_message_type: 'manual_archived_agent',
        text: 'x',
      })
    ).toBeUndefined()
  })
})
