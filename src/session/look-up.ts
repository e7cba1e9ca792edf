import { isNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'
import { conversationKey, rememberSession, sessionCache } from './cache'
import { Session, sessionOf } from './conversation'
import * as bp from '.botpress'

type SessionLookup = { found: Session } | { missing: 'conversation' | 'tags' }

/**
 * The session of a conversation given by id (stopHitl, a message whose conversation came without tags): from the
 * process cache, else read once from the conversation's tags and cached. `missing` says what the caller words as the
 * error: no such conversation, or one startHitl did not open.
 */
export const lookUpSession = async (
  ctx: bp.Context,
  client: Client,
  botpressConversationId: string
): Promise<SessionLookup> => {
  const known = sessionCache.get(conversationKey(ctx.botId, botpressConversationId))
  if (known) return { found: known }
  const conversation = await client.getConversation({ id: botpressConversationId }).then(
    (answer) => answer.conversation,
    (thrown: unknown) => {
      if (isNotFound(thrown)) return undefined
      throw thrown
    }
  )
  if (!conversation) return { missing: 'conversation' }
  const session = sessionOf(conversation)
  if (!session) return { missing: 'tags' }
  rememberSession(ctx.botId, session)
  return { found: session }
}
