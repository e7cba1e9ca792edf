/**
 * What the rest of the integration may use of LiveChat; everything else in src/livechat is its own business. The
 * error questions (errors.ts) and the webhook schemas (webhooks.ts) are public whole.
 */
export { LiveChatClient } from './client'
export { isLiveChatCdnUrl } from './endpoints'
export * from './errors'
export { MAX_ATTEMPTS, REQUEST_TIMEOUT_MS } from './retry'
export type {
  FileEvent,
  LiveChatEvent,
  OutgoingEvent,
  RichMessageButton,
  RichMessageElement,
  RichMessageEvent,
} from './chat'
export type { Group, GroupStatus, RegisteredWebhook, SessionFields } from './web-apis'
export * from './webhooks'
