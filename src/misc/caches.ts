import { CustomerIdentity, User } from '../botpress/types'
import { TtlCache } from './ttl-cache'

/**
 * The process-wide caches of the hot paths (bot message -> LiveChat, agent message -> Botpress). Each holds a fact
 * that the Botpress states and tags hold too, so a miss only costs the read it saves; keys start with the bot id, so
 * installations in one process never share an entry. What makes each safe to keep:
 *
 * - `hitlChats`: a LiveChat chat belongs to one customer, hence one end user, and startHitl bridges it to one
 *   conversation for good. Dropped when Botpress answers 404 for that conversation.
 * - `customerIdentities`: the end user's customer token. Another instance may renew it meanwhile; LiveChat then
 *   refuses ours (401) and the entry is dropped before renewing. Never kept past the token's expiry. Holds secrets:
 *   memory only, never logged.
 * - `agentUsers`: the Botpress user standing for a LiveChat agent. Only its id is relied on; dropped on a 404.
 * - `settledAgents`: "this agent needs no hitlAssigned in this thread" (already announced, or the thread is no longer
 *   the session's). Both only ever become true within a thread, so the entry cannot turn false.
 * - `redirectUris`: the redirect URI LiveChat accepted for an installation when it refused the default one; learnt
 *   after one refusal, so that the next tokens skip it. Dropped when LiveChat refuses it too.
 */
export type HitlChatFacts = {
  botpressConversationId: string
  customerUserId: string
  livechatCustomerId: string
}

const MINUTE = 60_000

export const caches = {
  hitlChats: new TtlCache<HitlChatFacts>({ maxEntries: 5_000, ttlMs: 60 * MINUTE }),
  customerIdentities: new TtlCache<CustomerIdentity>({ maxEntries: 5_000, ttlMs: 60 * MINUTE }),
  agentUsers: new TtlCache<User>({ maxEntries: 1_000, ttlMs: 60 * MINUTE }),
  settledAgents: new TtlCache<true>({ maxEntries: 10_000, ttlMs: 60 * MINUTE }),
  redirectUris: new TtlCache<string>({ maxEntries: 1_000, ttlMs: 60 * MINUTE }),
}

/** `botId/part/part`: ids from Botpress and LiveChat hold no `/`, so two different keys never collide. */
export const cacheKey = (botId: string, ...parts: string[]): string => [botId, ...parts].join('/')
