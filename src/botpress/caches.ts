import { TtlCache } from './ttl-cache'
import { User } from './types'

/**
 * The process-wide caches of the hot paths (sessions and customers have theirs in src/session, src/customer). Each
 * holds a fact Botpress state or tags hold too, so a miss only costs the read it saves:
 * - `agentUsers`: the Botpress user of a LiveChat agent; only its id is relied on, dropped on a 404.
 * - `settledAgents`: an agent already announced in a session; it stays announced, so the entry never turns false.
 * - `foreignChats`: chats whose customer is no end user of this bot; a chat never changes its customer.
 * - `groupStatuses`: getAvailability's answer for 30 s; availability is a hint, and a change shows within 30 s.
 */
export const MINUTE = 60_000

export type GroupAvailability = 'online' | 'queue' | 'offline'

export const caches = {
  agentUsers: new TtlCache<User>({ maxEntries: 1_000, ttlMs: 60 * MINUTE }),
  settledAgents: new TtlCache<true>({ maxEntries: 10_000, ttlMs: 60 * MINUTE }),
  foreignChats: new TtlCache<true>({ maxEntries: 5_000, ttlMs: 60 * MINUTE }),
  groupStatuses: new TtlCache<GroupAvailability>({ maxEntries: 1_000, ttlMs: 30_000 }),
}

/** `botId/part/part`: the bot id keeps installations in one process apart; ids hold no `/`, so keys never collide. */
export const cacheKey = (botId: string, ...parts: string[]): string => [botId, ...parts].join('/')
