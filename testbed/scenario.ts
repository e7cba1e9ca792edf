import type { Message } from '../emulators/botpress/types'
import { chatOf } from './helpers'
import type { TestBed } from './test-bed'

/** One HITL session opened the way a bot opens it: createUser, then startHitl. */
export type OpenedSession = { endUserId: string; conversationId: string; livechatChatId: string }

export const openSession = async (bed: TestBed, name: string, email: string): Promise<OpenedSession> => {
  const inst = bed.installation
  const { userId: endUserId } = await inst.runAction('createUser', { name, email })
  const { conversationId } = await inst.runAction('startHitl', { userId: endUserId, title: name, messageHistory: [] })
  const livechatChatId = bed.botpress.db.findConversation(conversationId)?.tags.id
  if (!livechatChatId) throw new Error(`startHitl left conversation ${conversationId} without a LiveChat chat id`)
  return { endUserId, conversationId, livechatChatId }
}

/** What the HITL plugin does with a line the end user typed: re-posts it on the hitl channel with `userId`. */
export const sendAsEndUser = (bed: TestBed, session: OpenedSession, text: string) =>
  bed.installation.sendMessage({
    conversationId: session.conversationId,
    userId: bed.installation.botUserId,
    type: 'text',
    payload: { text, userId: session.endUserId },
  })

/** Texts the LiveChat customer wrote in the chat, every thread. */
export const customerTexts = (bed: TestBed, livechatChatId: string): string[] => {
  const chat = chatOf(bed.livechat, livechatChatId)
  return chat.threads.flatMap((thread) =>
    thread.events.flatMap((event) =>
      event.author_id === chat.customer_id && event.type === 'message' && typeof event.text === 'string'
        ? [event.text]
        : []
    )
  )
}

/** Botpress messages written by LiveChat agents (users tagged with an agent id) in a conversation. */
export const agentMessages = (bed: TestBed, conversationId: string): Message[] => {
  const agentUserIds = new Set(bed.botpress.db.users.filter((user) => user.tags.agentId).map((user) => user.id))
  return bed.botpress.db.messages.filter((m) => m.conversationId === conversationId && agentUserIds.has(m.userId))
}

export const agentTexts = (bed: TestBed, conversationId: string): string[] =>
  agentMessages(bed, conversationId).map((m) => String((m.payload as { text?: unknown }).text))

/** LiveChat's deliveries of the incoming_event webhook that carried one event, every attempt, in order. */
export const deliveriesOfEvent = (bed: TestBed, livechatEventId: string) =>
  bed.livechat.deliveries.filter(
    (d) =>
      d.action === 'incoming_event' && (d.body.payload as { event?: { id?: string } }).event?.id === livechatEventId
  )

/** Integration events (`hitlAssigned`, `hitlStopped`) emitted for a conversation. */
export const eventsOf = (bed: TestBed, type: string, conversationId: string) =>
  bed.botpress.db.events.filter(
    (event) =>
      event.type.endsWith(type) && (event.payload as { conversationId?: string }).conversationId === conversationId
  )

/** How often each value occurs: `{ a: 1, b: 2 }`. */
export const tally = (values: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}

/** The current thread of a bridged chat, as LiveChat holds it. */
export const currentThreadId = (bed: TestBed, livechatChatId: string): string => {
  const thread = chatOf(bed.livechat, livechatChatId).threads.at(-1)
  if (!thread) throw new Error(`Chat ${livechatChatId} has no thread`)
  return thread.id
}

/** A license webhook body as LiveChat delivers it (management/webhooks), for this installation's secret and license. */
export const webhookBody = (bed: TestBed, action: string, payload: Record<string, unknown>) =>
  JSON.stringify({
    webhook_id: `wh_${action}`,
    secret_key: bed.installation.configuration.webhookSecret,
    action,
    organization_id: bed.livechat.seed.organizationId,
    payload,
    additional_data: {},
  })

export const agentJoined = (bed: TestBed, chat: { chatId: string; threadId: string }, agentId: string) => {
  const agent = bed.livechat.seed.agents.find((candidate) => candidate.id === agentId)
  return webhookBody(bed, 'user_added_to_chat', {
    chat_id: chat.chatId,
    thread_id: chat.threadId,
    user: { id: agentId, type: 'agent', name: agent?.name, avatar: agent?.avatar, visibility: 'all', present: true },
    user_type: 'agent',
    reason: 'manual',
    requester_id: agentId,
  })
}

export const agentWrote = (
  bed: TestBed,
  chat: { chatId: string; threadId: string },
  agentId: string,
  eventId: string,
  text: string
) =>
  webhookBody(bed, 'incoming_event', {
    chat_id: chat.chatId,
    thread_id: chat.threadId,
    event: {
      id: eventId,
      created_at: new Date().toISOString(),
      visibility: 'all',
      type: 'message',
      text,
      author_id: agentId,
    },
  })

export const chatClosed = (bed: TestBed, chat: { chatId: string; threadId: string }, agentId: string) =>
  webhookBody(bed, 'chat_deactivated', { chat_id: chat.chatId, thread_id: chat.threadId, user_id: agentId })

/**
 * Everything the integration could have created or changed in the Botpress emulator: compare two of these to prove
 * that a request wrote nothing.
 */
export const botpressFootprint = (bed: TestBed) => {
  const { db } = bed.botpress
  return {
    users: db.users.length,
    conversations: db.conversations.length,
    messages: db.messages.length,
    events: db.events.length,
    states: db.states.length,
    writeCalls: bed.botpress.calls.filter((call) => call.method !== 'GET').length,
  }
}
