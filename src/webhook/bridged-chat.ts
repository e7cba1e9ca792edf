import { findHitlConversation } from '../botpress/conversations'
import { readSession } from '../botpress/session-state'
import { Session } from '../botpress/types'
import { HitlChatFacts, cacheKey, caches } from '../misc/caches'
import { WebhookContext } from './types'

export type BridgedChat = { botpressConversationId: string; session: Session }

const chatKey = ({ ctx }: WebhookContext, livechatChatId: string) => cacheKey(ctx.botId, 'chat', livechatChatId)

/** After Botpress answered 404 for the chat's conversation: the next webhook looks it up again. */
export const forgetHitlChat = (context: WebhookContext, livechatChatId: string): void => {
  caches.hitlChats.delete(chatKey(context, livechatChatId))
}

/**
 * What never changes about a bridged chat (its conversation, end user and LiveChat customer): from the process cache
 * (no call), else from Botpress, and then `session` is the session just read. undefined means "not ours" (a website
 * chat on the same license, or a chat whose conversation or session startHitl has not written yet). Chats that are
 * not ours are never cached: the conversation of a chat startHitl is opening appears a moment after its first events.
 */
export const findHitlChat = async (
  context: WebhookContext,
  livechatChatId: string
): Promise<(HitlChatFacts & { session?: Session }) | undefined> => {
  const { client, log } = context
  const known = caches.hitlChats.get(chatKey(context, livechatChatId))
  if (known) {
    return known
  }
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
  const facts: HitlChatFacts = {
    botpressConversationId: conversation.id,
    customerUserId: session.customerUserId,
    livechatCustomerId: session.livechatCustomerId,
  }
  caches.hitlChats.set(chatKey(context, livechatChatId), facts)
  return { ...facts, session }
}

/**
 * The Botpress side of a LiveChat chat, when startHitl opened it, with its session as Botpress holds it now (the
 * session changes with every HITL session and assignment, so it is never cached). undefined means "not ours": the
 * caller acknowledges and ignores.
 */
export const findBridgedChat = async (
  context: WebhookContext,
  livechatChatId: string
): Promise<BridgedChat | undefined> => {
  const chat = await findHitlChat(context, livechatChatId)
  if (!chat) {
    return undefined
  }
  const session = chat.session ?? (await readSession(context.client, chat.botpressConversationId))
  if (!session) {
    forgetHitlChat(context, livechatChatId)
    context.log.debug('Ignored a LiveChat webhook: the conversation has no HITL session', {
      livechatChatId,
      botpressConversationId: chat.botpressConversationId,
    })
    return undefined
  }
  return { botpressConversationId: chat.botpressConversationId, session }
}
