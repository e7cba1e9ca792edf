import { withSessionLock } from '../../botpress/session-lock'
import { readSession, writeSession } from '../../botpress/session-state'
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
  // Decided again under the session lease: a redelivery handled by another served copy at the same moment must find
  // the thread already stopped.
  const stopped = await withSessionLock(client, botpressConversationId, async () => {
    const fresh = await readSession(client, botpressConversationId)
    if (!fresh || fresh.livechatThreadId !== livechatThreadId || fresh.stoppedThreadId === livechatThreadId) {
      return false
    }
    await client.createEvent({ type: 'hitlStopped', payload: { conversationId: botpressConversationId } })
    await writeSession(client, botpressConversationId, { ...fresh, stoppedThreadId: livechatThreadId })
    return true
  })
  if (!stopped) {
    return
  }
  log.info('The LiveChat chat was closed: HITL session stopped', {
    botpressConversationId,
    livechatChatId,
    livechatThreadId,
  })
}
