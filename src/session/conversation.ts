import { Client } from '../botpress/types'

/**
 * One HITL session as its `hitl` conversation's tags hold it: the LiveChat chat and thread it is bridged to, the end
 * user and their LiveChat customer. None of it changes during the session (a new session is a new thread, hence a new
 * conversation), so any copy of the integration can trust it and cache it.
 */
export type Session = {
  botpressConversationId: string
  livechatChatId: string
  livechatThreadId: string
  customerUserId: string
  livechatCustomerId: string
}

type Tags = Record<string, string | undefined>
type TaggedConversation = { id: string; channel: string; createdAt: string; tags: Tags }

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

/**
 * The conversation of one LiveChat thread, created with all its tags in one call; a get-or-create, so that a startHitl
 * retried after it failed at this very step finds the conversation it created.
 */
export const getOrCreateSession = async (
  client: Client,
  session: Omit<Session, 'botpressConversationId'>
): Promise<Session> => {
  const { conversation } = await client.getOrCreateConversation({ channel: 'hitl', tags: tagsOf(session) })
  return { ...session, botpressConversationId: conversation.id }
}

/** The HITL conversation and, as a hint, the agent its `agentId` tag says holds the chat (may lag behind). */
export type FoundSession = Session & { holderAgentId?: string }

const found = (conversation: TaggedConversation): FoundSession | undefined => {
  const session = sessionOf(conversation)
  return session && { ...session, ...(conversation.tags.agentId && { holderAgentId: conversation.tags.agentId }) }
}

/**
 * The conversation bridged to a LiveChat thread, if startHitl opened it: a lookup, never a get-or-create, because
 * chats that did not start from Botpress (website visitors on the same license) must not become conversations.
 * Without a thread id (a webhook that omits it), the chat's newest session is the one meant.
 */
export const findSession = async (
  client: Client,
  livechatChatId: string,
  livechatThreadId: string | undefined
): Promise<FoundSession | undefined> => {
  const tags = livechatThreadId ? { thread: livechatThreadId } : { id: livechatChatId }
  const { conversations } = await client.listConversations({ tags })
  const candidates = conversations
    .map((conversation) => ({ conversation, session: found(conversation) }))
    // Checked again here: a runtime that ignored the tag filter must not bridge another chat's or thread's session.
    .filter(
      ({ session }) =>
        session?.livechatChatId === livechatChatId &&
        (!livechatThreadId || session.livechatThreadId === livechatThreadId)
    )
    .sort((a, b) => b.conversation.createdAt.localeCompare(a.conversation.createdAt))
  return candidates[0]?.session
}

/**
 * Records on the conversation which agent holds the chat now, so that a copy that never saw the chat learns it from
 * the same lookup that finds the conversation. The other tags are sent again in case a runtime replaces tags.
 */
export const tagHolderAgent = async (client: Client, session: Session, livechatAgentId: string): Promise<void> => {
  await client.updateConversation({
    id: session.botpressConversationId,
    tags: { ...tagsOf(session), agentId: livechatAgentId },
  })
}
