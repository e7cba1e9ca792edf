import { splitText } from './split-text'
import * as bp from '.botpress'

/**
 * Botpress messages as LiveChat customer events.
 *
 * For now every type is rendered as readable text (media as their URL), so nothing a bot or end user sends is ever
 * dropped; the rich-content issue replaces the media and card renderings with file and rich_message events here,
 * and nowhere else.
 */

type Messages = bp.channels.hitl.Messages
export type OutgoingMessage = { [K in keyof Messages]: { type: K; payload: Messages[K] } }[keyof Messages]
type BlocItem = Messages['bloc']['items'][number]

/** Our own `system_message_type`s: LiveChat lets apps define theirs, and a system message never shows as typed by the customer. */
export const SYSTEM_MESSAGE_TYPES = {
  botMessage: 'botpress.bot_message',
  notice: 'botpress.notice',
} as const

export type CustomerEvent =
  | { type: 'message'; text: string; custom_id?: string }
  | { type: 'system_message'; system_message_type: string; text: string; custom_id?: string }

const DEFAULT_TITLE = 'Conversation handed over by the bot'
const EMPTY_TEXT = '(empty message)'

const mapsUrl = (latitude: number, longitude: number) =>
  `https://www.google.com/maps/search/?api=1&query=${latitude},${longitude}`

const renderLocation = (payload: Messages['location']): string => {
  const label = [payload.title, payload.address].filter(Boolean).join(', ')
  return `[Location${label ? `: ${label}` : ''}] ${mapsUrl(payload.latitude, payload.longitude)}`
}

const renderCard = (card: Messages['card']): string =>
  [
    card.title,
    card.subtitle,
    card.imageUrl && `[Image] ${card.imageUrl}`,
    ...card.actions.map((action) =>
      action.action === 'url' ? `• ${action.label}: ${action.value}` : `• ${action.label}`
    ),
  ]
    .filter(Boolean)
    .join('\n')

const renderOptions = (text: string, options: { label: string }[]): string =>
  [text, ...options.map((option) => `• ${option.label}`)].filter(Boolean).join('\n')

const renderBlocItem = (item: BlocItem): string => {
  switch (item.type) {
    case 'text':
    case 'markdown':
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
    case 'location':
      return renderMessage(item)
    default:
      // A new bloc item type in a later SDK must be handled here before it compiles.
      return item satisfies never
  }
}

/** A readable text for any Botpress message type, in the order its parts appear. */
export const renderMessage = (message: OutgoingMessage): string => {
  switch (message.type) {
    case 'text':
      return message.payload.text
    case 'markdown':
      return message.payload.markdown
    case 'image':
      return `[Image] ${message.payload.imageUrl}`
    case 'audio':
      return `[Audio] ${message.payload.audioUrl}`
    case 'video':
      return `[Video] ${message.payload.videoUrl}`
    case 'file':
      return `[File${message.payload.title ? `: ${message.payload.title}` : ''}] ${message.payload.fileUrl}`
    case 'location':
      return renderLocation(message.payload)
    case 'card':
      return renderCard(message.payload)
    case 'carousel':
      return message.payload.items.map(renderCard).join('\n\n')
    case 'dropdown':
    case 'choice':
      return renderOptions(message.payload.text, message.payload.options)
    case 'bloc':
      return message.payload.items.map(renderBlocItem).join('\n')
    default:
      return message satisfies never
  }
}

const nonEmpty = (text: string): string => (text.trim() ? text : EMPTY_TEXT)

/**
 * `custom_id` is the Botpress message id so that LiveChat echoes it back; parts of a split text get `#2`, `#3`, ...
 * so that each stays unique.
 */
const partId = (customId: string | undefined, index: number): string | undefined =>
  customId && index > 0 ? `${customId}#${index + 1}` : customId

/** What the end user wrote, as customer `message` events (several when the text is above LiveChat's 16 KB). */
export const toCustomerMessages = (text: string, customId?: string): CustomerEvent[] =>
  splitText(nonEmpty(text)).map((part, index) => ({ type: 'message', text: part, custom_id: partId(customId, index) }))

/** Text the customer did not type (bot messages, plugin notices), as system messages of our own type. */
export const toSystemMessages = (
  text: string,
  systemMessageType: (typeof SYSTEM_MESSAGE_TYPES)[keyof typeof SYSTEM_MESSAGE_TYPES],
  customId?: string
): CustomerEvent[] =>
  splitText(nonEmpty(text)).map((part, index) => ({
    type: 'system_message',
    system_message_type: systemMessageType,
    text: part,
    custom_id: partId(customId, index),
  }))

export const renderOpening = (title?: string, description?: string): string => {
  const heading = title?.trim() || DEFAULT_TITLE
  return description?.trim() ? `${heading}\n\n${description.trim()}` : heading
}

type HistoryEntry = bp.actions.startHitl.input.Input['messageHistory'][number]

/**
 * The events a new thread opens with: the title and description first (the agent reads them as the subject), then the
 * conversation so far in order. End-user entries become customer messages; bot entries become system messages
 * prefixed "Bot:", so the agent never mistakes them for something the customer typed.
 */
export const buildOpeningEvents = (props: {
  title?: string
  description?: string
  messageHistory: HistoryEntry[]
}): CustomerEvent[] => [
  ...toCustomerMessages(renderOpening(props.title, props.description)),
  ...props.messageHistory.flatMap((entry): CustomerEvent[] => {
    const text = renderMessage(entry)
    return entry.source.type === 'user'
      ? toCustomerMessages(text)
      : toSystemMessages(`Bot: ${text}`, SYSTEM_MESSAGE_TYPES.botMessage)
  }),
]
