import { FileEvent, LiveChatEvent, RichMessageEvent } from '../livechat'

/**
 * LiveChat agent events as Botpress messages of the types the HITL plugin forwards to the end user
 * (text, image, audio, video, file). Rich messages are rendered as text until the rich-content issue maps them.
 */
export type IncomingMessage =
  | { type: 'text'; payload: { text: string } }
  | { type: 'image'; payload: { imageUrl: string } }
  | { type: 'audio'; payload: { audioUrl: string } }
  | { type: 'video'; payload: { videoUrl: string } }
  | { type: 'file'; payload: { fileUrl: string; title?: string } }

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
          button.type === 'url' && button.value
            ? `• ${button.text ?? button.value}: ${button.value}`
            : `• ${button.text ?? ''}`
        ),
      ]
        .filter((line) => line && line !== '• ')
        .join('\n')
    )
    .filter(Boolean)
    .join('\n\n')

/** undefined for events that are not something an agent said to the customer (forms, custom events, unknown types). */
export const toBotpressMessage = (event: LiveChatEvent): IncomingMessage | undefined => {
  switch (event.type) {
    case 'message':
      return { type: 'text', payload: { text: event.text } }
    case 'file':
      return fileToMessage(event)
    case 'rich_message': {
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
