import { TtlCache } from './ttl-cache'
import { User } from './types'

/**
 * The process-wide caches of the hot paths (bot message -> LiveChat, agent message -> Botpress). Each holds a fact
 * that the Botpress states and tags hold too, so a miss only costs the read it saves; keys start with the bot id, so
 * installations in one process never share an entry. The session and customer caches live with their modules
 * (src/session/cache.ts, src/customer/token.ts). What makes each of these safe to keep:
 *
 * - `agentUsers`: the Botpress user standing for a LiveChat agent. Only its id is relied on; dropped on a 404.
 * - `settledAgents`: "this agent needs no hitlAssigned in this session" (announced there). A session is one thread, and
 *   an agent once announced in it stays announced, so the entry cannot turn false.
 * - `foreignChats`: LiveChat chats whose customer is not one of this bot's end users (a website visitor). A chat never
 *   changes its customer, so the entry cannot turn false; it only spares the LiveChat read that found it out.
 * - `groupStatuses`: what getAvailability answered for a group, for 30 seconds. Availability is a hint, not a promise:
 *   a flow asking twice in a row costs LiveChat one call, and a change shows within half a minute.
 */
export const MINUTE = 60_000

export type GroupAvailability = 'online' | 'queue' | 'offline'

export const caches = {
  agentUsers: new TtlCache<User>({ maxEntries: 1_000, ttlMs: 60 * MINUTE }),
  settledAgents: new TtlCache<true>({ maxEntries: 10_000, ttlMs: 60 * MINUTE }),
  foreignChats: new TtlCache<true>({ maxEntries: 5_000, ttlMs: 60 * MINUTE }),
  groupStatuses: new TtlCache<GroupAvailability>({ maxEntries: 1_000, ttlMs: 30_000 }),
}

/** `botId/part/part`: ids from Botpress and LiveChat hold no `/`, so two different keys never collide. */
export const cacheKey = (botId: string, ...parts: string[]): string => [botId, ...parts].join('/')
