import { FileEvent, LiveChatEvent, RichMessageButton, RichMessageElement, RichMessageEvent } from '../livechat'
import { Card, OutgoingMessage } from './text'

/**
 * LiveChat agent events as Botpress messages: text, media by content type, and rich messages as a card, carousel or
 * choice when they map cleanly (the HITL plugin hands them on to the end user's channel), else as readable text.
 */
export type IncomingMessage = Extract<
  OutgoingMessage,
  { type: 'text' | 'image' | 'audio' | 'video' | 'file' | 'card' | 'carousel' | 'choice' }
>
type CardAction = Card['actions'][number]

/** The media type decides how the end user's channel shows the file (inline image or player, else a download). */
export const fileToMessage = (event: Pick<FileEvent, 'url' | 'name' | 'content_type'>): IncomingMessage => {
  const contentType = event.content_type?.toLowerCase() ?? ''
  if (contentType.startsWith('image/')) return { type: 'image', payload: { imageUrl: event.url } }
  if (contentType.startsWith('audio/')) return { type: 'audio', payload: { audioUrl: event.url } }
  if (contentType.startsWith('video/')) return { type: 'video', payload: { videoUrl: event.url } }
  return { type: 'file', payload: { fileUrl: event.url, ...(event.name && { title: event.name }) } }
}

export const renderRichMessage = (event: Pick<RichMessageEvent, 'elements'>): string =>
  (event.elements ?? [])
    .map((element) =>
      [
        element.title,
        element.subtitle,
        element.image?.url && `[Image] ${element.image.url}`,
        ...(element.buttons ?? []).map((button) =>
          (button.type === 'url' || button.type === 'phone') && button.value
            ? `• ${button.text ?? button.value}: ${button.value}`
            : `• ${button.text ?? ''}`
        ),
      ]
        .filter((line) => line && line !== '• ')
        .join('\n')
    )
    .filter(Boolean)
    .join('\n\n')

/**
 * A LiveChat button as a Botpress card action: `url` opens its link; `message` makes the widget send the button text
 * (extending-chat-widget/rich-messages), which is Botpress' `say`. Phone and webview buttons have no Botpress twin.
 */
const toCardAction = (button: RichMessageButton): CardAction | undefined => {
  const label = button.text?.trim()
  if (!label) return undefined
  if (button.type === 'url' && button.value) return { action: 'url', label, value: button.value }
  if (button.type === 'message' || button.type === undefined) return { action: 'say', label, value: label }
  return undefined
}

/** Every item mapped, or undefined when one of them has no Botpress twin. */
const mapAll = <T, R>(items: T[], map: (item: T) => R | undefined): R[] | undefined => {
  const mapped = items.map(map)
  return mapped.every((item): item is R => item !== undefined) ? mapped : undefined
}

const toCard = (element: RichMessageElement): Card | undefined => {
  const title = element.title?.trim()
  const actions = mapAll(element.buttons ?? [], toCardAction)
  if (!title || !actions) return undefined
  return {
    title,
    ...(element.subtitle && { subtitle: element.subtitle }),
    ...(element.image?.url && { imageUrl: element.image.url }),
    actions,
  }
}

/** A rich message as a Botpress card, carousel or choice, or undefined when one of its parts has no Botpress twin. */
export const richMessageToMessage = (
  event: Pick<RichMessageEvent, 'template_id' | 'elements'>
): IncomingMessage | undefined => {
  const elements = event.elements ?? []
  if (!elements.length) return undefined
  if (event.template_id === 'quick_replies' && elements.length === 1) {
    const [element] = elements
    const options = (element?.buttons ?? []).flatMap((button) => {
      const label = button.text?.trim()
      return label ? [{ label, value: label }] : []
    })
    return options.length ? { type: 'choice', payload: { text: element?.title ?? '', options } } : undefined
  }
  if (event.template_id !== 'cards') return undefined
  const items = mapAll(elements, toCard)
  const [first] = items ?? []
  if (!items || !first) return undefined
  return items.length === 1 ? { type: 'card', payload: first } : { type: 'carousel', payload: { items } }
}

/** undefined for what is not agent speech: system messages (LiveChat's own notes), forms, custom events. */
export const toBotpressMessage = (event: LiveChatEvent): IncomingMessage | undefined => {
  switch (event.type) {
    case 'message':
      return { type: 'text', payload: { text: event.text } }
    case 'file':
      return fileToMessage(event)
    case 'rich_message': {
      const mapped = richMessageToMessage(event)
      if (mapped) return mapped
      const text = renderRichMessage(event)
      return text ? { type: 'text', payload: { text } } : undefined
    }
    case 'system_message':
    case 'filled_form':
    case 'custom':
    case 'other':
      return undefined
    default:
      return event satisfies never
  }
}
