import type { Chat } from './chat'
import type { ListChatsResponse } from './web-apis'

/**
 * Whether a Customer Chat API write whose answer was lost was applied, found by the `custom_id` of its (first) event.
 * Each returns the answer LiveChat would have given, rebuilt from what it holds, or undefined when the write is not
 * there and may be sent again.
 */
type Reader = {
  getChat(request: { chat_id: string }): Promise<Chat>
  listChats(request: object): Promise<ListChatsResponse>
}

const eventIn = (chat: Chat, customId: string) => chat.thread?.events?.find((event) => event.custom_id === customId)

/** `send_event`: the event in the chat's current thread (or its last one, where `attach_to_last_thread` puts it). */
export const findSentEvent = async (reader: Reader, chatId: string, customId: string) => {
  const event = eventIn(await reader.getChat({ chat_id: chatId }), customId)
  return event && { event_id: event.id }
}

/** `resume_chat`: the chat's open thread, when it opens with this event. */
export const findResumedThread = async (reader: Reader, chatId: string, customId: string) => {
  const chat = await reader.getChat({ chat_id: chatId })
  return chat.thread?.active && eventIn(chat, customId) ? { thread_id: chat.thread.id } : undefined
}

/** `start_chat`: the customer's open chat whose thread opens with this event (LiveChat allows one open chat). */
export const findStartedChat = async (reader: Reader, customId: string) => {
  const { chats_summary: chats } = await reader.listChats({})
  for (const summary of chats.filter((candidate) => candidate.active)) {
    const chat = await reader.getChat({ chat_id: summary.id })
    if (chat.thread?.active && eventIn(chat, customId)) return { chat_id: chat.id, thread_id: chat.thread.id }
  }
  return undefined
}
