import { Client } from '../botpress/types'

/**
 * One HITL session as its `hitl` conversation's tags hold it. None of it changes during the session (a new session is
 * a new thread, hence a new conversation), so any copy can trust it and cache it.
 */
export type Session = {
  botpressConversationId: string
  livechatChatId: string
  livechatThreadId: string
  customerUserId: string
  livechatCustomerId: string
}

type Tags = Record<string, string | undefined>

const tagsOf = (session: Omit<Session, 'botpressConversationId'>) => ({
  id: session.livechatChatId,
  thread: session.livechatThreadId,
  userId: session.customerUserId,
  customerId: session.livechatCustomerId,
})

/** The session a conversation's tags describe, or undefined when it is not one startHitl opened (tags missing). */
export const sessionOf = (conversation: { id: string; channel?: string; tags?: Tags }): Session | undefined => {
  const { tags = {}, channel } = conversation
  if (channel !== undefined && channel !== 'hitl') return undefined
  const { id, thread, userId, customerId } = tags
  if (!id || !thread || !userId || !customerId) return undefined
  return {
    botpressConversationId: conversation.id,
    livechatChatId: id,
    livechatThreadId: thread,
    customerUserId: userId,
    livechatCustomerId: customerId,
  }
}

/** The conversation of one LiveChat thread: a get-or-create, so that a retried startHitl finds the one it created. */
export const getOrCreateSession = async (
  client: Client,
  session: Omit<Session, 'botpressConversationId'>
): Promise<Session> => {
  const { conversation } = await client.getOrCreateConversation({ channel: 'hitl', tags: tagsOf(session) })
  return { ...session, botpressConversationId: conversation.id }
}

/** The session and, as a hint that may lag behind, the agent its `agentId` tag says holds the chat. */
export type FoundSession = Session & { holderAgentId?: string }

/**
 * The session of a LiveChat thread, if startHitl opened it: never a get-or-create, since chats that did not start from
 * Botpress must not become conversations. Without a thread id, the chat's newest session is the one meant.
 */
export const findSession = async (
  client: Client,
  livechatChatId: string,
  livechatThreadId: string | undefined
): Promise<FoundSession | undefined> => {
  const tags = livechatThreadId ? { thread: livechatThreadId } : { id: livechatChatId }
  const { conversations } = await client.listConversations({ tags })
  const newest = conversations
    .map((conversation) => ({ conversation, session: sessionOf(conversation) }))
    // Checked again: a runtime that ignored the tag filter must not bridge another chat's or thread's session.
    .filter(
      ({ session }) =>
        session?.livechatChatId === livechatChatId &&
        (!livechatThreadId || session.livechatThreadId === livechatThreadId)
    )
    .sort((a, b) => b.conversation.createdAt.localeCompare(a.conversation.createdAt))[0]
  const holderAgentId = newest?.conversation.tags.agentId
  return newest?.session && { ...newest.session, ...(holderAgentId && { holderAgentId }) }
}

/** Records which agent holds the chat now; the other tags are sent again in case a runtime replaces tags. */
export const tagHolderAgent = async (client: Client, session: Session, livechatAgentId: string): Promise<void> => {
  await client.updateConversation({
    id: session.botpressConversationId,
    tags: { ...tagsOf(session), agentId: livechatAgentId },
  })
}
