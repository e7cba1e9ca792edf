import { writeSession } from '../../botpress/session-state'
import { ChatDeactivatedWebhook } from '../../livechat'
import { findBridgedChat } from '../bridged-chat'
import { WebhookContext } from '../types'

/**
 * The chat was closed in LiveChat (agent, customer or router): `hitlStopped`, once per thread. LiveChat redelivers
 * and may reorder, so the thread is checked against the session's current one (a late delivery for an earlier thread
 * must not end a new session) and remembered once announced.
 */
export const handleChatDeactivated = async (
  context: WebhookContext,
  webhook: ChatDeactivatedWebhook
): Promise<void> => {
  const { client, log } = context
  const { chat_id: livechatChatId, thread_id: livechatThreadId } = webhook.payload
  const bridged = await findBridgedChat(context, livechatChatId)
  if (!bridged) {
    return
  }
  const { botpressConversationId, session } = bridged
  if (livechatThreadId !== session.livechatThreadId) {
    log.debug('Ignored the deactivation of an earlier thread', { livechatChatId, livechatThreadId })
    return
  }
  if (session.stoppedThreadId === livechatThreadId) {
    log.debug('The HITL session of this thread was already stopped', { livechatChatId, livechatThreadId })
    return
  }
  await client.createEvent({ type: 'hitlStopped', payload: { conversationId: botpressConversationId } })
  await writeSession(client, botpressConversationId, { ...session, stoppedThreadId: livechatThreadId })
  log.info('The LiveChat chat was closed: HITL session stopped', {
    botpressConversationId,
    livechatChatId,
    livechatThreadId,
  })
}
