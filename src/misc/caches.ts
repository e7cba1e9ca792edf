import { HitlChat } from '../botpress/hitl-conversation'
import { CustomerIdentity, User } from '../botpress/types'
import { TtlCache } from './ttl-cache'

/**
 * The process-wide caches of the hot paths (bot message -> LiveChat, agent message -> Botpress). Each holds a fact
 * that the Botpress states and tags hold too, so a miss only costs the read it saves; keys start with the bot id, so
 * installations in one process never share an entry. What makes each safe to keep:
 *
 * - `hitlChats`: a HITL session (conversation <-> LiveChat chat and thread, end user, customer), keyed by its thread
 *   and by its conversation. None of it changes during the session. Dropped when Botpress answers 404 for it.
 * - `customerIdentities`: the end user's customer token. Another instance may renew it meanwhile; LiveChat then
 *   refuses ours (401) and the entry is dropped before renewing. Never kept past the token's expiry. Holds secrets:
 *   memory only, never logged.
 * - `agentUsers`: the Botpress user standing for a LiveChat agent. Only its id is relied on; dropped on a 404.
 * - `settledAgents`: "this agent needs no hitlAssigned in this session" (announced there). A session is one thread, and
 *   an agent once announced in it stays announced, so the entry cannot turn false.
 * - `foreignChats`: LiveChat chats whose customer is not one of this bot's end users (a website visitor). A chat never
 *   changes its customer, so the entry cannot turn false; it only spares the LiveChat read that found it out.
 * - `groupStatuses`: what getAvailability answered for a group, for 30 seconds. Availability is a hint, not a promise:
 *   a flow asking twice in a row costs LiveChat one call, and a change shows within half a minute.
 */
const MINUTE = 60_000

export type GroupAvailability = 'online' | 'queue' | 'offline'

export const caches = {
  hitlChats: new TtlCache<HitlChat>({ maxEntries: 5_000, ttlMs: 60 * MINUTE }),
  customerIdentities: new TtlCache<CustomerIdentity>({ maxEntries: 5_000, ttlMs: 60 * MINUTE }),
  agentUsers: new TtlCache<User>({ maxEntries: 1_000, ttlMs: 60 * MINUTE }),
  settledAgents: new TtlCache<true>({ maxEntries: 10_000, ttlMs: 60 * MINUTE }),
  foreignChats: new TtlCache<true>({ maxEntries: 5_000, ttlMs: 60 * MINUTE }),
  groupStatuses: new TtlCache<GroupAvailability>({ maxEntries: 1_000, ttlMs: 30_000 }),
}

/** `botId/part/part`: ids from Botpress and LiveChat hold no `/`, so two different keys never collide. */
export const cacheKey = (botId: string, ...parts: string[]): string => [botId, ...parts].join('/')

/** The cache keys of a HITL session: by its LiveChat thread (webhooks) and by its conversation (actions, messages). */
export const threadKey = (botId: string, livechatThreadId: string) => cacheKey(botId, 'thread', livechatThreadId)
export const conversationKey = (botId: string, botpressConversationId: string) =>
  cacheKey(botId, 'conversation', botpressConversationId)

export const rememberHitlChat = (botId: string, chat: HitlChat): void => {
  caches.hitlChats.set(threadKey(botId, chat.livechatThreadId), chat)
  caches.hitlChats.set(conversationKey(botId, chat.botpressConversationId), chat)
}

export const forgetHitlChat = (botId: string, chat: Pick<HitlChat, 'livechatThreadId' | 'botpressConversationId'>) => {
  caches.hitlChats.delete(threadKey(botId, chat.livechatThreadId))
  caches.hitlChats.delete(conversationKey(botId, chat.botpressConversationId))
}
