import { RuntimeError } from '@botpress/sdk'
import { unlessNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'
import { conversationKey, rememberSession, sessionCache } from './cache'
import { Session, sessionOf } from './conversation'
import * as bp from '.botpress'

/**
 * The session of a conversation given by id: from the process cache, else read once from its tags and cached. A
 * RuntimeError in the caller's words when there is no such conversation (`conversation`) or startHitl did not open it.
 */
export const requireSession = async (
  ctx: bp.Context,
  client: Client,
  botpressConversationId: string,
  errors: { conversation: string; tags: string }
): Promise<Session> => {
  const known = sessionCache.get(conversationKey(ctx.botId, botpressConversationId))
  if (known) return known
  const answer = await unlessNotFound(client.getConversation({ id: botpressConversationId }))
  if (!answer) throw new RuntimeError(errors.conversation)
  const session = sessionOf(answer.conversation)
  if (!session) throw new RuntimeError(errors.tags)
  rememberSession(ctx.botId, session)
  return session
}
