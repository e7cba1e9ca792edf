import { describe, expect, it } from 'vitest'
import { buildOpeningEvents } from '../delivery/transcript'
import { toCustomerEvents, toCustomerMessages, toSystemMessages } from './events'
import { MAX_MEDIA_PER_MESSAGE, mediaToUpload, toParts } from './parts'
import { MAX_TEXT_BYTES } from './split-text'
import { OutgoingMessage, ResolvedMedia, renderMessage } from './text'

describe('renderMessage', () => {
  it.each<{ description: string; message: OutgoingMessage; expected: string }>([
    { description: 'text as is', message: { type: 'text', payload: { text: 'hi' } }, expected: 'hi' },
    {
      description: 'markdown as is',
      message: { type: 'markdown', payload: { markdown: '**hi**' } },
      expected: '**hi**',
    },
    {
      description: 'an image as its URL',
      message: { type: 'image', payload: { imageUrl: 'https://x.test/a.png' } },
      expected: '[Image] https://x.test/a.png',
    },
    {
      description: 'a file with its title',
      message: { type: 'file', payload: { fileUrl: 'https://x.test/a.pdf', title: 'Invoice' } },
      expected: '[File: Invoice] https://x.test/a.pdf',
    },
    {
      description: 'a location as a map link',
      message: { type: 'location', payload: { latitude: 45.5, longitude: -73.6, title: 'Office' } },
      expected: '[Location: Office] 45.5, -73.6 https://www.google.com/maps/search/?api=1&query=45.5,-73.6',
    },
    {
      description: 'a choice with its options',
      message: {
        type: 'choice',
        payload: {
          text: 'Pick one',
          options: [
            { label: 'Yes', value: 'y' },
            { label: 'No', value: 'n' },
          ],
        },
      },
      expected: 'Pick one\n• Yes\n• No',
    },
    {
      description: 'a card with title, image and actions',
      message: {
        type: 'card',
        payload: {
          title: 'Shoes',
          subtitle: 'Size 42',
          imageUrl: 'https://x.test/s.png',
          actions: [
            { action: 'url', label: 'Buy', value: 'https://shop.test' },
            { action: 'postback', label: 'More', value: 'more' },
          ],
        },
      },
      expected: 'Shoes\nSize 42\n[Image] https://x.test/s.png\n• Buy: https://shop.test\n• More',
    },
    {
      description: 'a bloc item by item, in order',
      message: {
        type: 'bloc',
        payload: {
          items: [
            { type: 'text', payload: { text: 'Here:' } },
            { type: 'image', payload: { imageUrl: 'https://x.test/a.png' } },
            { type: 'audio', payload: { audioUrl: 'https://x.test/a.mp3' } },
          ],
        },
      },
      expected: 'Here:\n[Image] https://x.test/a.png\n[Audio] https://x.test/a.mp3',
    },
  ])('renders $description', ({ message, expected }) => {
    expect(renderMessage(message)).toBe(expected)
  })
})

describe('toCustomerMessages and toSystemMessages', () => {
  const asCustomer = (text: string) =>
    toCustomerEvents(
      { type: 'text', payload: { text } },
      { author: 'customer', resolved: new Map(), customId: 'msg-1' }
    )

  it('sends the Botpress message id as custom_id', () => {
    expect(asCustomer('hi')).toEqual([{ type: 'message', text: 'hi', custom_id: 'msg-1' }])
  })

  it('splits a long text and keeps each custom_id unique', () => {
    const events = asCustomer('a '.repeat(MAX_TEXT_BYTES))
    expect(events.map((event) => event.custom_id)).toEqual(['msg-1', 'msg-1#2'])
  })

  it('never sends an empty text, which LiveChat refuses', () => {
    expect(toCustomerMessages('  ')).toEqual([{ type: 'message', text: '(empty message)', custom_id: undefined }])
  })

  it('marks notices with our own system message type', () => {
    expect(toSystemMessages('( The user has ended the session. )', 'botpress.notice')).toEqual([
      {
        type: 'system_message',
        system_message_type: 'botpress.notice',
        text: '( The user has ended the session. )',
      },
    ])
  })
})

describe('buildOpeningEvents', () => {
  it('opens with the title and description, then the history in order, bot lines as system messages', () => {
    const events = buildOpeningEvents({
      title: 'Order problem',
      description: 'My parcel never arrived',
      messageHistory: [
        { source: { type: 'user', userId: 'u1' }, type: 'text', payload: { text: 'Where is my parcel?' } },
        { source: { type: 'bot' }, type: 'text', payload: { text: 'Let me check.' } },
      ],
    })
    expect(events).toEqual([
      { type: 'message', text: 'Order problem\n\nMy parcel never arrived', custom_id: undefined },
      { type: 'message', text: 'Where is my parcel?', custom_id: undefined },
      {
        type: 'system_message',
        system_message_type: 'botpress.bot_message',
        text: 'Bot: Let me check.',
        custom_id: undefined,
      },
    ])
  })

  it('uses a default title when none is given', () => {
    expect(buildOpeningEvents({ messageHistory: [] })).toEqual([
      { type: 'message', text: 'Conversation handed over by the bot', custom_id: undefined },
    ])
  })
})

const CDN = 'https://cdn.livechat-files.com/api/file/lc/att/1/abc'
const uploaded = (url: string, name: string, contentType: string): ResolvedMedia =>
  new Map([[url, { ok: true, url: `${CDN}/${name}`, name, contentType }]])

describe('toCustomerEvents', () => {
  it('sends an uploaded medium of the end user as a customer file event', () => {
    const message: OutgoingMessage = { type: 'image', payload: { imageUrl: 'https://x.test/a.png', userId: 'u1' } }
    const resolved = uploaded('https://x.test/a.png', 'a.png', 'image/png')
    expect(toCustomerEvents(message, { author: 'customer', resolved, customId: 'm1' })).toEqual([
      { type: 'file', url: `${CDN}/a.png`, custom_id: 'm1' },
    ])
  })

  it('names the bot before a file it sent, and shows the link when the upload failed', () => {
    const message: OutgoingMessage = { type: 'file', payload: { fileUrl: 'https://x.test/a.pdf', title: 'Invoice' } }
    const failed: ResolvedMedia = new Map([['https://x.test/a.pdf', { ok: false, reason: 'HTTP 404' }]])
    expect(
      toCustomerEvents(message, { author: 'bot', resolved: uploaded('https://x.test/a.pdf', 'a.pdf', 'x') })
    ).toMatchObject([
      { type: 'system_message', text: 'Bot sent a file (a.pdf):' },
      { type: 'file', url: `${CDN}/a.pdf` },
    ])
    expect(toCustomerEvents(message, { author: 'bot', resolved: failed })).toMatchObject([
      { type: 'system_message', text: 'Bot: [File: Invoice] https://x.test/a.pdf' },
    ])
  })

  it('renders a card as a cards rich message with url and message buttons, image from the CDN only', () => {
    const card = {
      title: 'Shoes',
      subtitle: 'Size 42',
      imageUrl: 'https://x.test/s.png',
      actions: [
        { action: 'url' as const, label: 'Buy', value: 'https://shop.test' },
        { action: 'postback' as const, label: 'More', value: 'more' },
      ],
    }
    const message: OutgoingMessage = { type: 'card', payload: card }
    const [rich] = toCustomerEvents(message, {
      author: 'customer',
      resolved: uploaded('https://x.test/s.png', 's.png', 'image/png'),
    })
    expect(rich).toEqual({
      type: 'rich_message',
      template_id: 'cards',
      custom_id: undefined,
      elements: [
        {
          title: 'Shoes',
          subtitle: 'Size 42',
          image: { url: `${CDN}/s.png`, name: 's.png', content_type: 'image/png' },
          buttons: [
            { type: 'url', text: 'Buy', value: 'https://shop.test', postback_id: 'url_0', user_ids: [], target: 'new' },
            { type: 'message', text: 'More', value: 'more', postback_id: 'postback_1', user_ids: [] },
          ],
        },
      ],
    })
    const [withoutImage] = toCustomerEvents(message, { author: 'customer', resolved: new Map() })
    expect(withoutImage).toMatchObject({ elements: [{ subtitle: 'Size 42\n[Image] https://x.test/s.png' }] })
    expect(withoutImage).not.toHaveProperty('elements.0.image')
  })

  it('falls back to text beyond LiveChat’s 10 cards and 13 buttons', () => {
    const card = { title: 'c', actions: [] }
    expect(toParts({ type: 'carousel', payload: { items: Array(10).fill(card) } })[0]?.kind).toBe('cards')
    expect(toParts({ type: 'carousel', payload: { items: Array(11).fill(card) } })[0]?.kind).toBe('text')
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `o${i}`, value: `${i}` }))
    expect(toParts({ type: 'choice', payload: { text: 'Pick', options: options(13) } })[0]?.kind).toBe('quickReplies')
    expect(toParts({ type: 'dropdown', payload: { text: 'Pick', options: options(14) } })[0]?.kind).toBe('text')
  })

  it('renders a choice as quick replies', () => {
    const message: OutgoingMessage = {
      type: 'choice',
      payload: { text: 'Pick one', options: [{ label: 'Yes', value: 'y' }] },
    }
    expect(toCustomerEvents(message, { author: 'notice', resolved: new Map(), customId: 'm' })).toEqual([
      { type: 'system_message', system_message_type: 'botpress.notice', text: 'Bot sent choices:', custom_id: 'm' },
      {
        type: 'rich_message',
        template_id: 'quick_replies',
        custom_id: 'm#2',
        elements: [
          {
            title: 'Pick one',
            buttons: [{ type: 'message', text: 'Yes', value: 'y', postback_id: 'option_0', user_ids: [] }],
          },
        ],
      },
    ])
  })

  it('sends a bloc item by item: text as text, media as files, in order', () => {
    const message: OutgoingMessage = {
      type: 'bloc',
      payload: {
        items: [
          { type: 'text', payload: { text: 'Here:' } },
          { type: 'image', payload: { imageUrl: 'https://x.test/a.png' } },
          { type: 'location', payload: { latitude: 1, longitude: 2 } },
        ],
        userId: 'u1',
      },
    }
    expect(mediaToUpload(toParts(message))).toEqual([{ kind: 'image', url: 'https://x.test/a.png' }])
    const events = toCustomerEvents(message, {
      author: 'customer',
      resolved: uploaded('https://x.test/a.png', 'a.png', 'image/png'),
      customId: 'm',
    })
    expect(events.map((event) => [event.type, event.custom_id])).toEqual([
      ['message', 'm'],
      ['file', 'm#2'],
      ['message', 'm#3'],
    ])
  })
})

describe('media per message', () => {
  const image = (i: number) => ({ type: 'image' as const, payload: { imageUrl: `https://x.test/${i}.png` } })

  it(`attaches at most ${MAX_MEDIA_PER_MESSAGE} and names the others, with their links, where the first of them was`, () => {
    const items = [
      ...Array.from({ length: 11 }, (_, i) => image(i)),
      { type: 'text' as const, payload: { text: 'Thanks' } },
      { type: 'file' as const, payload: { fileUrl: 'https://x.test/r.pdf', title: 'Report' } },
    ]
    const parts = toParts({ type: 'bloc', payload: { items } })
    expect(mediaToUpload(parts).map((media) => media.url)).toEqual(
      Array.from({ length: 10 }, (_, i) => `https://x.test/${i}.png`)
    )
    expect(parts.slice(10)).toEqual([
      {
        kind: 'text',
        text: '2 more media not attached (at most 10 per message):\n[Image] https://x.test/10.png\n[File: Report] https://x.test/r.pdf',
      },
      { kind: 'text', text: 'Thanks' },
    ])
  })

  it('leaves a message with 10 media whole', () => {
    const parts = toParts({ type: 'bloc', payload: { items: Array.from({ length: 10 }, (_, i) => image(i)) } })
    expect(parts.map((part) => part.kind)).toEqual(Array(10).fill('media'))
  })

  it('caps each transcript entry the same way', () => {
    const entry = {
      source: { type: 'bot' as const },
      type: 'bloc' as const,
      payload: { items: Array.from({ length: 12 }, (_, i) => image(i)) },
    }
    const events = buildOpeningEvents({ messageHistory: [entry] })
    expect(events.at(-1)).toMatchObject({
      type: 'system_message',
      text: expect.stringMatching(/^Bot: 2 more media not attached/),
    })
    expect(events.filter((event) => 'text' in event && event.text.includes('[Image]'))).toHaveLength(11)
  })
})
