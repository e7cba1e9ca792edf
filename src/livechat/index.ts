/** What the rest of the integration may use of LiveChat; everything else in src/livechat is its own business. */
export { LiveChatClient } from './client'
export { isLiveChatCdnUrl } from './endpoints'
export {
  LiveChatApiError,
  isChatGone,
  isChatInactive,
  isExpiredCustomerToken,
  isLimitReached,
  isLiveChatApiError,
  isLiveChatNotFound,
  isMissingScope,
  isNoLicense,
  isRedirectUriRefusal,
  isRefusedForGood,
  isRefusedInput,
  isTokenProblem,
  isTransient,
  isUnknownClient,
  isUnknownOrganization,
} from './errors'
export { MAX_ATTEMPTS, REQUEST_TIMEOUT_MS } from './retry'
export type {
  FileEvent,
  LiveChatEvent,
  OutgoingEvent,
  RichMessageButton,
  RichMessageElement,
  RichMessageEvent,
} from './chat'
export type { Group, GroupStatus, RegisteredWebhook } from './web-apis'
export {
  type ChatDeactivatedWebhook,
  type ChatTransferredWebhook,
  type IncomingEventWebhook,
  type UserAddedToChatWebhook,
  type WebhookEnvelope,
  chatDeactivatedWebhookSchema,
  chatTransferredWebhookSchema,
  incomingEventWebhookSchema,
  userAddedToChatWebhookSchema,
  webhookEnvelopeSchema,
} from './webhooks'
