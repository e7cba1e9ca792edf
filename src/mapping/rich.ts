import type { RichMessageButton, RichMessageElement } from '../livechat'
import type { Card, Option, ResolvedMedia } from './text'

/**
 * Cards, carousels and choices as LiveChat rich messages (templates `cards`, `quick_replies`): at most 10 elements and
 * 13 buttons each (platform.text.com/docs/extending-chat-widget/rich-messages).
 */
const MAX_RICH_ELEMENTS = 10
const MAX_RICH_BUTTONS = 13

export const fitsCards = (cards: Card[]): boolean =>
  cards.length > 0 &&
  cards.length <= MAX_RICH_ELEMENTS &&
  cards.every((card) => card.actions.length <= MAX_RICH_BUTTONS)

export const fitsQuickReplies = (options: Option[]): boolean => options.length > 0 && options.length <= MAX_RICH_BUTTONS

const button = (props: Omit<RichMessageButton, 'user_ids'>): RichMessageButton => ({ ...props, user_ids: [] })

const cardButton = (action: Card['actions'][number], index: number): RichMessageButton =>
  action.action === 'url'
    ? button({ type: 'url', text: action.label, value: action.value, postback_id: `url_${index}`, target: 'new' })
    : // Postback and say both answer in the chat: LiveChat's `message` button (it sends its text when clicked).
      button({ type: 'message', text: action.label, value: action.value, postback_id: `${action.action}_${index}` })

/** A card image goes in only from the LiveChat CDN; one that could not be uploaded joins the subtitle as its link. */
export const cardElement = (card: Card, resolved: ResolvedMedia): RichMessageElement => {
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

export const quickRepliesElement = (text: string, options: Option[]): RichMessageElement => ({
  ...(text.trim() && { title: text }),
  buttons: options.map((option, index) =>
    button({ type: 'message', text: option.label, value: option.value, postback_id: `option_${index}` })
  ),
})
