import { findHitlConversation } from '../botpress/conversations'
import { readSession } from '../botpress/session-state'
import { Session } from '../botpress/types'
import { WebhookContext } from './types'

export type BridgedChat = { botpressConversationId: string; session: Session }

/**
 * The Botpress side of a LiveChat chat, when startHitl opened it. undefined means "not ours" (a website chat on the
 * same license, or a chat from before the conversation was created): the caller acknowledges and ignores.
 */
export const findBridgedChat = async (
  { client, log }: WebhookContext,
  livechatChatId: string
): Promise<BridgedChat | undefined> => {
  const conversation = await findHitlConversation(client, livechatChatId)
  if (!conversation) {
    log.debug('Ignored a LiveChat webhook for a chat not opened by startHitl', { livechatChatId })
    return undefined
  }
  const session = await readSession(client, conversation.id)
  if (!session) {
    log.debug('Ignored a LiveChat webhook: the conversation has no HITL session yet', {
      livechatChatId,
      botpressConversationId: conversation.id,
    })
    return undefined
  }
  return { botpressConversationId: conversation.id, session }
}
