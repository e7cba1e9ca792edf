import { MINUTE, cacheKey } from '../botpress/caches'
import { TtlCache } from '../botpress/ttl-cache'
import { Session } from './conversation'

/**
 * The sessions this process knows, keyed by thread (webhooks) and by conversation (actions, messages). A session
 * never changes, so a hit is as good as the tags; an entry is dropped when Botpress or LiveChat says it is gone.
 */
export const sessionCache = new TtlCache<Session>({ maxEntries: 5_000, ttlMs: 60 * MINUTE })

export const threadKey = (botId: string, livechatThreadId: string) => cacheKey(botId, 'thread', livechatThreadId)
export const conversationKey = (botId: string, botpressConversationId: string) =>
  cacheKey(botId, 'conversation', botpressConversationId)

export const rememberSession = (botId: string, session: Session): void => {
  sessionCache.set(threadKey(botId, session.livechatThreadId), session)
  sessionCache.set(conversationKey(botId, session.botpressConversationId), session)
}

export const forgetSession = (botId: string, session: Pick<Session, 'livechatThreadId' | 'botpressConversationId'>) => {
  sessionCache.delete(threadKey(botId, session.livechatThreadId))
  sessionCache.delete(conversationKey(botId, session.botpressConversationId))
}
