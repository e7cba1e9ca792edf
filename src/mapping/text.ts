import * as bp from '.botpress'

/** Any Botpress message as readable text: the fallback for whatever LiveChat cannot show as it is. */
type Messages = bp.channels.hitl.Messages
export type OutgoingMessage = { [K in keyof Messages]: { type: K; payload: Messages[K] } }[keyof Messages]
export type Card = Messages['card']
export type Option = Messages['choice']['options'][number]

export type MediaKind = 'image' | 'audio' | 'video' | 'file'
/** A medium to upload: a message's image/audio/video/file, or a card's image. */
export type MediaRef = { kind: MediaKind; url: string; title?: string }
/** What uploading a medium gave: the CDN copy, or why there is none (a sentence without the URL: it may be signed). */
export type UploadedMedia = { ok: true; url: string; name: string; contentType: string } | { ok: false; reason: string }
/** Upload results by source URL. A URL missing from it counts as not uploaded. */
export type ResolvedMedia = ReadonlyMap<string, UploadedMedia>

const MEDIA_LABELS: Record<MediaKind, string> = { image: 'Image', audio: 'Audio', video: 'Video', file: 'File' }
const mapsUrl = (latitude: number, longitude: number) =>
  `https://www.google.com/maps/search/?api=1&query=${latitude},${longitude}`

const renderLocation = (payload: Messages['location']): string => {
  const label = [payload.title, payload.address].filter(Boolean).join(', ')
  return `[Location${label ? `: ${label}` : ''}] ${payload.latitude}, ${payload.longitude} ${mapsUrl(payload.latitude, payload.longitude)}`
}

export const renderMedia = (media: MediaRef): string =>
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
      return message.payload.items.map(renderMessage).join('\n')
    default:
      return message satisfies never
  }
}

type MediaMessage = Extract<OutgoingMessage, { type: MediaKind }>

export const mediaOf = (message: MediaMessage): MediaRef => {
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
