import { fitsCards, fitsQuickReplies } from './rich'
import { Card, MediaRef, Option, OutgoingMessage, mediaOf, renderMedia, renderMessage } from './text'

/** One thing to show the agent; a Botpress message is one part, or several for a bloc. */
export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'media'; media: MediaRef }
  | { kind: 'cards'; cards: Card[]; carousel: boolean }
  | { kind: 'quickReplies'; text: string; options: Option[] }

/** Each medium is a download and an upload before the message goes; the rest go as links in one line. */
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
 * What the agent should see, part by part. Markdown goes as is (raw markdown stays readable, links visible); rich
 * content LiveChat cannot hold becomes readable text.
 */
export const toParts = (message: OutgoingMessage): Part[] => capMedia(partsOf(message))

const asText = (message: OutgoingMessage): Part[] => [{ kind: 'text', text: renderMessage(message) }]

const partsOf = (message: OutgoingMessage): Part[] => {
  switch (message.type) {
    case 'text':
    case 'markdown':
    case 'location':
      return asText(message)
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      return [{ kind: 'media', media: mediaOf(message) }]
    case 'card':
      return fitsCards([message.payload])
        ? [{ kind: 'cards', cards: [message.payload], carousel: false }]
        : asText(message)
    case 'carousel':
      return fitsCards(message.payload.items)
        ? [{ kind: 'cards', cards: message.payload.items, carousel: true }]
        : asText(message)
    case 'dropdown':
    case 'choice':
      return fitsQuickReplies(message.payload.options)
        ? [{ kind: 'quickReplies', text: message.payload.text, options: message.payload.options }]
        : asText(message)
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
