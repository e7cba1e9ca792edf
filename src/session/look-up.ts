import { RuntimeError } from '@botpress/sdk'
import { unlessNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'
import { conversationKey, rememberSession, sessionCache } from './cache'
import { Session, sessionOf } from './conversation'
import * as bp from '.botpress'

type Missing = 'conversation' | 'tags'

/**
 * The session of a conversation given by id: from the process cache, else read once from its tags and cached.
 * `missing` says what the caller words as the error: no such conversation, or one startHitl did not open.
 */
export const lookUpSession = async (
  ctx: bp.Context,
  client: Client,
  botpressConversationId: string
): Promise<{ found: Session } | { missing: Missing }> => {
  const known = sessionCache.get(conversationKey(ctx.botId, botpressConversationId))
  if (known) return { found: known }
  const answer = await unlessNotFound(client.getConversation({ id: botpressConversationId }))
  if (!answer) return { missing: 'conversation' }
  const session = sessionOf(answer.conversation)
  if (!session) return { missing: 'tags' }
  rememberSession(ctx.botId, session)
  return { found: session }
}

/** The session of a conversation, or a RuntimeError with the caller's words for what is missing. */
export const requireSession = async (
  ctx: bp.Context,
  client: Client,
  botpressConversationId: string,
  errors: Record<Missing, string>
): Promise<Session> => {
  const lookup = await lookUpSession(ctx, client, botpressConversationId)
  if ('found' in lookup) return lookup.found
  throw new RuntimeError(errors[lookup.missing])
}
