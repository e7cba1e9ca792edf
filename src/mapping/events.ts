import type { OutgoingEvent } from '../livechat'
import { Part, toParts } from './parts'
import { cardElement, quickRepliesElement } from './rich'
import { splitText } from './split-text'
import { MediaKind, OutgoingMessage, ResolvedMedia, renderMedia } from './text'

/**
 * Botpress messages as LiveChat customer events, attributed to their author; the channel and the startHitl transcript
 * share it. Media are uploaded by src/delivery/ first: `file.url` must point to the LiveChat CDN, so a medium that was
 * not uploaded goes as its link (platform.text.com/docs/messaging/customer-chat-api/data-structures).
 */

/** The documented fields only: the index signature `.passthrough()` adds would defeat narrowing (`'text' in event`). */
type Documented<T> = { [K in keyof T as string extends K ? never : K]: T[K] }
type Sent<T extends OutgoingEvent['type']> = Documented<Extract<OutgoingEvent, { type: T }>>

/** The events we send as the customer, typed from src/livechat's `outgoingEventSchema`; ours always carry a text. */
export type CustomerEvent =
  | Sent<'message'>
  | (Sent<'system_message'> & { system_message_type: string; text: string })
  | Sent<'file'>
  | Sent<'rich_message'>

/** Our own `system_message_type`s (LiveChat lets apps define theirs): never shown as typed by the customer. */
export const SYSTEM_MESSAGE_TYPES = { botMessage: 'botpress.bot_message', notice: 'botpress.notice' } as const
type SystemMessageType = (typeof SYSTEM_MESSAGE_TYPES)[keyof typeof SYSTEM_MESSAGE_TYPES]

/**
 * Who the agent sees as the author: `customer` (the end user's own events), `bot` (transcript lines, as system
 * messages prefixed "Bot:"), `notice` (a live message from the bot or the plugin, a system message as is).
 */
type Author = 'customer' | 'bot' | 'notice'

const MEDIA_NOUNS: Record<MediaKind, string> = {
  image: 'an image',
  audio: 'an audio file',
  video: 'a video',
  file: 'a file',
}

/** LiveChat refuses an empty text. */
const nonEmpty = (text: string): string => (text.trim() ? text : '(empty message)')

export const toCustomerMessages = (text: string): CustomerEvent[] =>
  splitText(nonEmpty(text)).map((part) => ({ type: 'message', text: part }))

export const toSystemMessages = (text: string, systemMessageType: SystemMessageType): CustomerEvent[] =>
  splitText(nonEmpty(text)).map((part) => ({
    type: 'system_message',
    system_message_type: systemMessageType,
    text: part,
  }))

/** `custom_id` is the Botpress message id (LiveChat echoes it back); later events of a message get `#2`, `#3`, ... */
const partId = (customId: string | undefined, index: number): string | undefined =>
  customId && index > 0 ? `${customId}#${index + 1}` : customId

const systemTypeOf = (author: Exclude<Author, 'customer'>): SystemMessageType =>
  author === 'bot' ? SYSTEM_MESSAGE_TYPES.botMessage : SYSTEM_MESSAGE_TYPES.notice

const textAs = (author: Author, text: string): CustomerEvent[] =>
  author === 'customer'
    ? toCustomerMessages(text)
    : toSystemMessages(author === 'bot' ? `Bot: ${text}` : text, systemTypeOf(author))

/** Files and rich messages can only be customer events: for the bot, a system message says whose it really is. */
const richAs = (author: Author, label: string, event: CustomerEvent): CustomerEvent[] =>
  author === 'customer' ? [event] : [...toSystemMessages(`Bot sent ${label}:`, systemTypeOf(author)), event]

const partEvents = (part: Part, author: Author, resolved: ResolvedMedia): CustomerEvent[] => {
  switch (part.kind) {
    case 'text':
      return textAs(author, part.text)
    case 'media': {
      const uploaded = resolved.get(part.media.url)
      if (!uploaded?.ok) return textAs(author, renderMedia(part.media))
      return richAs(author, `${MEDIA_NOUNS[part.media.kind]} (${uploaded.name})`, { type: 'file', url: uploaded.url })
    }
    case 'cards':
      return richAs(author, part.carousel ? 'a carousel' : 'a card', {
        type: 'rich_message',
        template_id: 'cards',
        elements: part.cards.map((card) => cardElement(card, resolved)),
      })
    case 'quickReplies':
      return richAs(author, 'choices', {
        type: 'rich_message',
        template_id: 'quick_replies',
        elements: [quickRepliesElement(part.text, part.options)],
      })
    default:
      return part satisfies never
  }
}

/** The events of one message, in order, numbered from its Botpress message id. */
export const toCustomerEvents = (
  message: OutgoingMessage,
  props: { author: Author; resolved: ResolvedMedia; customId?: string }
): CustomerEvent[] =>
  toParts(message)
    .flatMap((part) => partEvents(part, props.author, props.resolved))
    .map((event, index) => ({ ...event, custom_id: partId(props.customId, index) }))
