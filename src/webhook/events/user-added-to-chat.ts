import { UserAddedToChatWebhook } from '../../livechat'
import { resolveAgentUser } from '../agent'
import { announceAgent, isAgentSettled, markAgentSettled } from '../announce'
import { findWebhookSession } from '../find-session'
import { WebhookContext } from '../types'

/** An agent joined or was added: `hitlAssigned` with their Botpress user, named and pictured from the webhook. */
export const handleUserAddedToChat = async (
  context: WebhookContext,
  webhook: UserAddedToChatWebhook
): Promise<void> => {
  const { log } = context
  const { chat_id: livechatChatId, thread_id: livechatThreadId, user } = webhook.payload
  const userType = webhook.payload.user_type ?? user.type
  if (userType !== 'agent') {
    log.debug('Ignored a customer added to a LiveChat chat', { livechatChatId })
    return
  }
  if (user.visibility === 'agents') {
    // Added privately (a supervisor watching): the customer does not see them, so they do not take the chat.
    log.debug('Ignored an agent added with agents-only visibility', { livechatChatId, livechatAgentId: user.id })
    return
  }
  const session = await findWebhookSession(context, livechatChatId, livechatThreadId)
  if (!session) return
  const agentUser = await resolveAgentUser(context, {
    livechatAgentId: user.id,
    livechatChatId,
    profile: { name: user.name, avatar: user.avatar },
  })
  // Already announced (seen here, or named by the tag, which may lag but only names announced agents): no lease.
  if (!isAgentSettled(context, session, user.id) && session.holderAgentId !== user.id) {
    await announceAgent(context, session, { livechatAgentId: user.id, agentUser, kind: 'join' })
  }
  markAgentSettled(context, session, user.id)
}
