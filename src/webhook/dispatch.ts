import { LiveChatWebhook } from '../livechat'
import { handleChatDeactivated } from './events/chat-deactivated'
import { handleChatTransferred } from './events/chat-transferred'
import { handleIncomingEvent } from './events/incoming-event'
import { handleUserAddedToChat } from './events/user-added-to-chat'
import { WebhookContext } from './types'

/** One case per webhook action the LiveChat client knows; a new one does not compile until it is routed here. */
export const dispatchWebhook = async (context: WebhookContext, webhook: LiveChatWebhook): Promise<void> => {
  switch (webhook.action) {
    case 'incoming_event':
      return handleIncomingEvent(context, webhook)
    case 'user_added_to_chat':
      return handleUserAddedToChat(context, webhook)
    case 'chat_transferred':
      return handleChatTransferred(context, webhook)
    case 'chat_deactivated':
      return handleChatDeactivated(context, webhook)
    case 'user_removed_from_chat':
    case 'incoming_chat':
      // The plugin has no "unassigned" event, and startHitl already knows the chats it opens.
      context.log.debug('Nothing to do for this LiveChat webhook', { webhookAction: webhook.action })
      return
    default:
      return webhook satisfies never
  }
}
