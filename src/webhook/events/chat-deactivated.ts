import { ChatDeactivatedWebhook } from '../../livechat'
import { withSessionLease } from '../../session/lease'
import { isSessionStopped, markSessionStopped, unmarkSessionStopped } from '../../session/states'
import { findWebhookSession } from '../find-session'
import { emitRemembered } from '../remembered-event'
import { WebhookContext } from '../types'

/**
 * The chat was closed in LiveChat: `hitlStopped`, once per session (the thread names it, so a late delivery finds its
 * own, stopped session). LiveChat redelivers and stopHitl marks its own close beforehand, so the mark is checked and
 * set (before the event: see emitRemembered) under the lease.
 */
export const handleChatDeactivated = async (
  context: WebhookContext,
  webhook: ChatDeactivatedWebhook
): Promise<void> => {
  const { client, log } = context
  const { chat_id: livechatChatId, thread_id: livechatThreadId } = webhook.payload
  const session = await findWebhookSession(context, livechatChatId, livechatThreadId)
  if (!session) return
  const { botpressConversationId } = session
  const fields = { botpressConversationId, livechatChatId, livechatThreadId }
  if (await isSessionStopped(client, botpressConversationId)) {
    log.debug('The HITL session of this thread was already stopped', fields)
    return
  }
  const stopped = await withSessionLease(client, botpressConversationId, context.deadline, async (held) => {
    if (await isSessionStopped(held, botpressConversationId)) return false
    await markSessionStopped(held, botpressConversationId)
    await emitRemembered({
      emit: () => held.createEvent({ type: 'hitlStopped', payload: { conversationId: botpressConversationId } }),
      forget: () => unmarkSessionStopped(held, botpressConversationId),
      log,
      fields,
    })
    return true
  })
  if (stopped) log.info('The LiveChat chat was closed: HITL session stopped', fields)
}
