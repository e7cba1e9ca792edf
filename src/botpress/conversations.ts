import { Client } from './types'

type ListedConversation = Awaited<ReturnType<Client['listConversations']>>['conversations'][number]

/**
 * The `hitl` conversation bridged to a LiveChat chat, if `startHitl` opened one. A lookup, never a get-or-create:
 * chats that did not start from Botpress (website visitors on the same license) must not become conversations.
 */
export const findHitlConversation = async (
  client: Client,
  livechatChatId: string
): Promise<ListedConversation | undefined> => {
  const { conversations } = await client.listConversations({ tags: { id: livechatChatId } })
  return conversations.find(
    (conversation) => conversation.channel === 'hitl' && conversation.tags.id === livechatChatId
  )
}
