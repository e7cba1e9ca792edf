import { UserAddedToChatWebhook } from '../../livechat'
import { announceAgent, markAgentSettled, resolveAgentUser } from '../agent'
import { findBridgedChat } from '../bridged-chat'
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
  const bridged = await findBridgedChat(context, livechatChatId)
  if (!bridged) {
    return
  }
  if (livechatThreadId && livechatThreadId !== bridged.session.livechatThreadId) {
    log.debug('Ignored an agent added to an earlier thread', { livechatChatId, livechatThreadId })
    return
  }
  if (user.visibility === 'agents') {
    // Added privately (a supervisor watching): the customer does not see them, so they do not take the chat.
    log.debug('Ignored an agent added with agents-only visibility', { livechatChatId, livechatAgentId: user.id })
    return
  }
  const agentUser = await resolveAgentUser(context, {
    livechatAgentId: user.id,
    livechatChatId,
    profile: { name: user.name, avatar: user.avatar },
  })
  await announceAgent(context, bridged, { livechatAgentId: user.id, agentUser, kind: 'join' })
  // The agent's messages in this thread then need no session read in this process.
  markAgentSettled(context, { livechatChatId, livechatThreadId: bridged.session.livechatThreadId, agentId: user.id })
}
