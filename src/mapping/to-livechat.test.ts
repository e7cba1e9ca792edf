import { describe, expect, it } from 'vitest'
import { MAX_TEXT_BYTES } from './split-text'
import { OutgoingMessage, buildOpeningEvents, renderMessage, toCustomerMessages, toSystemMessages } from './to-livechat'

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
      expected: '[Location: Office] https://www.google.com/maps/search/?api=1&query=45.5,-73.6',
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
  it('sends the Botpress message id as custom_id', () => {
    expect(toCustomerMessages('hi', 'msg-1')).toEqual([{ type: 'message', text: 'hi', custom_id: 'msg-1' }])
  })

  it('splits a long text and keeps each custom_id unique', () => {
    const events = toCustomerMessages('a '.repeat(MAX_TEXT_BYTES), 'msg-1')
    expect(events.map((event) => event.custom_id)).toEqual(['msg-1', 'msg-1#2'])
  })

  it('never sends an empty text, which LiveChat refuses', () => {
    expect(toCustomerMessages('  ')).toEqual([{ type: 'message', text: '(empty message)', custom_id: undefined }])
  })

  it('marks notices with our own system message type', () => {
    expect(toSystemMessages('( The user has ended the session. )', 'botpress.notice', 'm')).toEqual([
      {
        type: 'system_message',
        system_message_type: 'botpress.notice',
        text: '( The user has ended the session. )',
        custom_id: 'm',
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
