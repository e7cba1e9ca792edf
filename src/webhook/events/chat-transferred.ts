import { ChatTransferredWebhook } from '../../livechat'
import { resolveAgentUser } from '../agent'
import { announceAgent } from '../announce'
import { findWebhookSession } from '../find-session'
import { WebhookContext } from '../types'

/** A transfer to an agent is an assignment; one to a group only queues the chat (no plugin event), so is logged. */
export const handleChatTransferred = async (
  context: WebhookContext,
  webhook: ChatTransferredWebhook
): Promise<void> => {
  const { log } = context
  const { chat_id: livechatChatId, thread_id: livechatThreadId, transferred_to: transferredTo } = webhook.payload
  const livechatAgentIds = transferredTo.agent_ids ?? []
  if (!livechatAgentIds.length) {
    log.debug('A LiveChat chat was transferred to a group', { livechatChatId, count: transferredTo.group_ids?.length })
    return
  }
  const session = await findWebhookSession(context, livechatChatId, livechatThreadId)
  if (!session) return
  for (const livechatAgentId of livechatAgentIds) {
    const agentUser = await resolveAgentUser(context, { livechatAgentId, livechatChatId })
    await announceAgent(context, session, { livechatAgentId, agentUser, kind: 'transfer' })
  }
}
