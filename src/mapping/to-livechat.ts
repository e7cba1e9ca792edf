import { splitText } from './split-text'
import * as bp from '.botpress'

/**
 * Botpress messages as LiveChat customer events. Pure: media are uploaded elsewhere (src/delivery/) and handed in as
 * a {@link ResolvedMedia} lookup, so the same rendering serves the channel and the startHitl transcript.
 *
 * Rules from LiveChat's v3.6 docs (customer-chat-api/data-structures, extending-chat-widget/rich-messages):
 * - `message.text` at most 16 KB (split);
 * - `file.url` must point to the LiveChat CDN, so every medium is uploaded first; a failure leaves a link instead;
 * - `rich_message`: templates `cards` (cards and carousels) and `quick_replies`, at most 10 elements and 13 buttons
 *   per element, every button with `text`, `type`, `value`, `postback_id` and `user_ids`.
 */

type Messages = bp.channels.hitl.Messages
export type OutgoingMessage = { [K in keyof Messages]: { type: K; payload: Messages[K] } }[keyof Messages]
type BlocItem = Messages['bloc']['items'][number]
type Card = Messages['card']
type Option = Messages['choice']['options'][number]

/** Our own `system_message_type`s: LiveChat lets apps define theirs, and a system message never shows as typed by the customer. */
export const SYSTEM_MESSAGE_TYPES = {
  botMessage: 'botpress.bot_message',
  notice: 'botpress.notice',
} as const
type SystemMessageType = (typeof SYSTEM_MESSAGE_TYPES)[keyof typeof SYSTEM_MESSAGE_TYPES]

export const MAX_RICH_ELEMENTS = 10
export const MAX_RICH_BUTTONS = 13

export type RichButton = {
  type: 'url' | 'message'
  text: string
  value: string
  postback_id: string
  user_ids: string[]
  target?: 'new'
}
export type RichElement = {
  title?: string
  subtitle?: string
  image?: { url: string; name?: string; content_type?: string }
  buttons?: RichButton[]
}

export type CustomerEvent =
  | { type: 'message'; text: string; custom_id?: string }
  | { type: 'system_message'; system_message_type: string; text: string; custom_id?: string }
  | { type: 'file'; url: string; custom_id?: string }
  | { type: 'rich_message'; template_id: 'cards' | 'quick_replies'; elements: RichElement[]; custom_id?: string }

export type MediaKind = 'image' | 'audio' | 'video' | 'file'
/** A medium to upload: a message's image/audio/video/file, or a card's image. */
export type MediaRef = { kind: MediaKind; url: string; title?: string }
/** What uploading a medium gave: the CDN copy, or why there is none (a sentence without the URL: it may be signed). */
export type UploadedMedia = { ok: true; url: string; name: string; contentType: string } | { ok: false; reason: string }
/** Upload results by source URL. A URL missing from it counts as not uploaded. */
export type ResolvedMedia = ReadonlyMap<string, UploadedMedia>

/**
 * Who the agent must see as the author.
 * - `customer`: what the end user wrote, as the customer's own events;
 * - `bot`: the bot's words (transcript), as system messages prefixed "Bot:";
 * - `notice`: a live message from the bot or the HITL plugin, as a system message as is.
 * Files and rich messages can only be customer events, so for `bot` and `notice` a system message names the bot first.
 */
export type Author = 'customer' | 'bot' | 'notice'

/** One thing to show the agent; a Botpress message is one part, or several for a bloc. */
export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'media'; media: MediaRef }
  | { kind: 'cards'; cards: Card[]; carousel: boolean }
  | { kind: 'quickReplies'; text: string; options: Option[] }

const DEFAULT_TITLE = 'Conversation handed over by the bot'
const EMPTY_TEXT = '(empty message)'
const MEDIA_LABELS: Record<MediaKind, string> = { image: 'Image', audio: 'Audio', video: 'Video', file: 'File' }
const MEDIA_NOUNS: Record<MediaKind, string> = {
  image: 'an image',
  audio: 'an audio file',
  video: 'a video',
  file: 'a file',
}

const mapsUrl = (latitude: number, longitude: number) =>
  `https://www.google.com/maps/search/?api=1&query=${latitude},${longitude}`

const renderLocation = (payload: Messages['location']): string => {
  const label = [payload.title, payload.address].filter(Boolean).join(', ')
  return `[Location${label ? `: ${label}` : ''}] ${payload.latitude}, ${payload.longitude} ${mapsUrl(payload.latitude, payload.longitude)}`
}

const renderMedia = (media: MediaRef): string =>
  `[${MEDIA_LABELS[media.kind]}${media.title ? `: ${media.title}` : ''}] ${media.url}`

const renderCard = (card: Card): string =>
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

/** A readable text for any Botpress message type, in the order its parts appear: the fallback for everything. */
export const renderMessage = (message: OutgoingMessage): string => {
  switch (message.type) {
    case 'text':
      return message.payload.text
    case 'markdown':
      return message.payload.markdown
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      return renderMedia(mediaOf(message))
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

type MediaMessage = Extract<OutgoingMessage, { type: MediaKind }>

const mediaOf = (message: MediaMessage): MediaRef => {
  switch (message.type) {
    case 'image':
      return { kind: 'image', url: message.payload.imageUrl }
    case 'audio':
      return { kind: 'audio', url: message.payload.audioUrl }
    case 'video':
      return { kind: 'video', url: message.payload.videoUrl }
    case 'file':
      return {
        kind: 'file',
        url: message.payload.fileUrl,
        ...(message.payload.title && { title: message.payload.title }),
      }
    default:
      return message satisfies never
  }
}

const fitsCards = (cards: Card[]): boolean =>
  cards.length > 0 &&
  cards.length <= MAX_RICH_ELEMENTS &&
  cards.every((card) => card.actions.length <= MAX_RICH_BUTTONS)

const fitsQuickReplies = (options: Option[]): boolean => options.length > 0 && options.length <= MAX_RICH_BUTTONS

/**
 * Media attached per message at most: each is a download and an upload before the message can go, and a bloc of
 * hundreds would flood the chat. The others are named, with their links, in one line where the first of them was.
 */
export const MAX_MEDIA_PER_MESSAGE = 10

type MediaPart = Extract<Part, { kind: 'media' }>

const capMedia = (parts: Part[]): Part[] => {
  const leftOut = parts.filter((part): part is MediaPart => part.kind === 'media').slice(MAX_MEDIA_PER_MESSAGE)
  const [first] = leftOut
  if (!first) return parts
  const line = [
    `${leftOut.length} more media not attached (at most ${MAX_MEDIA_PER_MESSAGE} per message):`,
    ...leftOut.map((part) => renderMedia(part.media)),
  ].join('\n')
  const dropped = new Set<Part>(leftOut)
  return parts.flatMap((part): Part[] => {
    if (part === first) return [{ kind: 'text', text: line }]
    return dropped.has(part) ? [] : [part]
  })
}

/**
 * What the agent should see, part by part. Markdown goes as is: the Agent App shows plain text, and raw markdown stays
 * readable (links visible) where stripping it would lose them. Rich content LiveChat cannot hold (more than 10 cards,
 * 13 buttons or 13 options) becomes readable text, and media past {@link MAX_MEDIA_PER_MESSAGE} one line.
 */
export const toParts = (message: OutgoingMessage): Part[] => capMedia(partsOf(message))

const partsOf = (message: OutgoingMessage): Part[] => {
  switch (message.type) {
    case 'text':
      return [{ kind: 'text', text: message.payload.text }]
    case 'markdown':
      return [{ kind: 'text', text: message.payload.markdown }]
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      return [{ kind: 'media', media: mediaOf(message) }]
    case 'location':
      return [{ kind: 'text', text: renderLocation(message.payload) }]
    case 'card':
      return fitsCards([message.payload])
        ? [{ kind: 'cards', cards: [message.payload], carousel: false }]
        : [{ kind: 'text', text: renderMessage(message) }]
    case 'carousel':
      return fitsCards(message.payload.items)
        ? [{ kind: 'cards', cards: message.payload.items, carousel: true }]
        : [{ kind: 'text', text: renderMessage(message) }]
    case 'dropdown':
    case 'choice':
      return fitsQuickReplies(message.payload.options)
        ? [{ kind: 'quickReplies', text: message.payload.text, options: message.payload.options }]
        : [{ kind: 'text', text: renderMessage(message) }]
    case 'bloc':
      return message.payload.items.flatMap((item) => partsOf(item))
    default:
      return message satisfies never
  }
}

/** Every medium the parts need on the LiveChat CDN, in order: message media and card images. */
export const mediaToUpload = (parts: Part[]): MediaRef[] =>
  parts.flatMap((part): MediaRef[] => {
    switch (part.kind) {
      case 'media':
        return [part.media]
      case 'cards':
        return part.cards.flatMap((card) => (card.imageUrl ? [{ kind: 'image', url: card.imageUrl }] : []))
      case 'text':
      case 'quickReplies':
        return []
      default:
        return part satisfies never
    }
  })

const button = (props: Omit<RichButton, 'user_ids'>): RichButton => ({ ...props, user_ids: [] })

const cardButton = (action: Card['actions'][number], index: number): RichButton =>
  action.action === 'url'
    ? button({ type: 'url', text: action.label, value: action.value, postback_id: `url_${index}`, target: 'new' })
    : // Postback and say both answer in the chat: LiveChat's `message` button (it sends its text when clicked).
      button({ type: 'message', text: action.label, value: action.value, postback_id: `${action.action}_${index}` })

/**
 * A card image goes into the rich message only from the LiveChat CDN (uploaded). The agent must still see a picture
 * that could not be uploaded, so its link joins the subtitle.
 */
const cardElement = (card: Card, resolved: ResolvedMedia): RichElement => {
  const uploaded = card.imageUrl ? resolved.get(card.imageUrl) : undefined
  const imageLink = card.imageUrl && !uploaded?.ok ? `[Image] ${card.imageUrl}` : undefined
  const subtitle = [card.subtitle, imageLink].filter(Boolean).join('\n')
  return {
    title: card.title,
    ...(subtitle && { subtitle }),
    ...(uploaded?.ok && { image: { url: uploaded.url, name: uploaded.name, content_type: uploaded.contentType } }),
    ...(card.actions.length > 0 && { buttons: card.actions.map(cardButton) }),
  }
}

const quickRepliesElement = (text: string, options: Option[]): RichElement => ({
  ...(text.trim() && { title: text }),
  buttons: options.map((option, index) =>
    button({ type: 'message', text: option.label, value: option.value, postback_id: `option_${index}` })
  ),
})

const nonEmpty = (text: string): string => (text.trim() ? text : EMPTY_TEXT)

/** What the end user wrote, as customer `message` events (several when the text is above LiveChat's 16 KB). */
export const toCustomerMessages = (text: string, customId?: string): CustomerEvent[] =>
  splitText(nonEmpty(text)).map((part, index) => ({ type: 'message', text: part, custom_id: partId(customId, index) }))

/** Text the customer did not type (bot messages, plugin notices), as system messages of our own type. */
export const toSystemMessages = (
  text: string,
  systemMessageType: SystemMessageType,
  customId?: string
): CustomerEvent[] =>
  splitText(nonEmpty(text)).map((part, index) => ({
    type: 'system_message',
    system_message_type: systemMessageType,
    text: part,
    custom_id: partId(customId, index),
  }))

/**
 * `custom_id` is the Botpress message id so that LiveChat echoes it back; the second event of a message gets `#2`,
 * the third `#3`, ... so that each stays unique.
 */
const partId = (customId: string | undefined, index: number): string | undefined =>
  customId && index > 0 ? `${customId}#${index + 1}` : customId

const systemTypeOf = (author: Exclude<Author, 'customer'>): SystemMessageType =>
  author === 'bot' ? SYSTEM_MESSAGE_TYPES.botMessage : SYSTEM_MESSAGE_TYPES.notice

/** Readable text as the author: customer message, "Bot: …" system message, or the notice as is. */
const textAs = (author: Author, text: string): CustomerEvent[] => {
  switch (author) {
    case 'customer':
      return toCustomerMessages(text)
    case 'bot':
      return toSystemMessages(`Bot: ${text}`, SYSTEM_MESSAGE_TYPES.botMessage)
    case 'notice':
      return toSystemMessages(text, SYSTEM_MESSAGE_TYPES.notice)
    default:
      return author satisfies never
  }
}

/** A file or rich message is always the customer's event; for the bot, a system message says whose it really is. */
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

export const renderOpening = (title?: string, description?: string): string => {
  const heading = title?.trim() || DEFAULT_TITLE
  return description?.trim() ? `${heading}\n\n${description.trim()}` : heading
}

export type HistoryEntry = bp.actions.startHitl.input.Input['messageHistory'][number]

/** One history entry as the agent sees it: the end user's as the customer's events, the bot's labelled as the bot's. */
export const historyEntryEvents = (entry: HistoryEntry, resolved: ResolvedMedia = new Map()): CustomerEvent[] =>
  toCustomerEvents(entry, { author: entry.source.type === 'user' ? 'customer' : 'bot', resolved })

/**
 * The events a new thread opens with: the title and description first (the agent reads them as the subject), then
 * `leftOut` (what of the history is not shown, if anything), then the history in order. End-user entries are the
 * customer's events; bot entries are system messages prefixed "Bot:" (a bot file or rich message follows its "Bot
 * sent …" line), so the agent never mistakes them for something the customer typed. Media not in `resolved` show as
 * links. Which entries to show is the caller's choice (src/delivery/transcript.ts caps it).
 */
export const buildOpeningEvents = (
  props: { title?: string; description?: string; messageHistory: HistoryEntry[]; leftOut?: string },
  resolved: ResolvedMedia = new Map()
): CustomerEvent[] => [
  ...toCustomerMessages(renderOpening(props.title, props.description)),
  ...(props.leftOut ? toSystemMessages(props.leftOut, SYSTEM_MESSAGE_TYPES.notice) : []),
  ...props.messageHistory.flatMap((entry) => historyEntryEvents(entry, resolved)),
]
