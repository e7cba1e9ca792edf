import { describeError, toRuntimeError } from '../botpress/errors'
import { LiveChat, createLiveChat } from '../botpress/livechat-client'
import { Log, createLog } from '../botpress/log'
import { isChatGone, isChatInactive, isMissingScope, isRefusedForGood, isTokenProblem } from '../livechat'
import { Session } from '../session/conversation'
import { requireSession } from '../session/look-up'
import { markSessionStopped } from '../session/states'
import * as bp from '.botpress'

/**
 * Whether a refused `deactivate_chat` means the chat was already closed. LiveChat answers `chat_inactive`, but does
 * not document it for this method, so another refusal is checked by reading the chat: no active thread, goal reached.
 */
export const isAlreadyClosed = async (
  agent: Pick<LiveChat['agent'], 'getChat'>,
  livechatChatId: string,
  thrown: unknown
): Promise<boolean> => {
  if (isChatInactive(thrown)) return true
  // Refusals about the token, the scope or the chat's access stand as they are.
  if (!isRefusedForGood(thrown) || isTokenProblem(thrown) || isMissingScope(thrown) || isChatGone(thrown)) return false
  const chat = await agent.getChat({ chat_id: livechatChatId }).catch(() => undefined)
  return chat !== undefined && chat.thread?.active !== true
}

/**
 * Where the session's thread stands: `deactivate_chat` closes whatever thread is open, and one customer keeps one chat
 * across sessions, so a later thread belongs to a later session, which a late stopHitl must not touch.
 */
export const standingOf = (
  chat: { thread?: { id: string; active?: boolean } | null },
  livechatThreadId: string
): 'open' | 'closed' | 'superseded' => {
  if (chat.thread && chat.thread.id !== livechatThreadId) return 'superseded'
  return chat.thread?.active === true ? 'open' : 'closed'
}

const closeChat = async (lc: LiveChat, session: Session, log: Log) => {
  const { botpressConversationId, livechatChatId } = session
  try {
    // ignore_requester_presence: the token's agent is not a user of the chat.
    await lc.agent.deactivateChat({ id: livechatChatId, ignore_requester_presence: true })
    log.info('Closed the LiveChat chat of the HITL session', { botpressConversationId, livechatChatId })
  } catch (thrown) {
    if (!(await isAlreadyClosed(lc.agent, livechatChatId, thrown))) {
      log.error('Could not close the LiveChat chat', {
        botpressConversationId,
        livechatChatId,
        ...describeError(thrown),
      })
      throw toRuntimeError(thrown, 'Could not close the LiveChat chat')
    }
    log.info('The LiveChat chat of the HITL session was already closed', { botpressConversationId, livechatChatId })
  }
}

/**
 * Closes this session's LiveChat thread (no hitlStopped: the plugin has ended the session already); a chat that moved
 * on to a later thread is left alone. Left open: `deactivate_chat` has no thread parameter, so a thread resumed by the
 * next startHitl between `get_chat` and the close would be closed; LiveChat offers no thread-conditional close.
 */
export const stopHitl: bp.IntegrationProps['actions']['stopHitl'] = async ({ ctx, client, logger, input }) => {
  const log = createLog(logger)
  const botpressConversationId = input.conversationId
  const session = await requireSession(ctx, client, botpressConversationId, {
    conversation: `Cannot stop HITL: there is no HITL conversation ${botpressConversationId}`,
    tags: `Cannot stop HITL: conversation ${botpressConversationId} is not a LiveChat HITL conversation (no LiveChat chat ID)`,
  }).catch((thrown) => {
    throw toRuntimeError(thrown, 'Could not stop the HITL session')
  })
  const { livechatChatId, livechatThreadId } = session
  const { lc } = createLiveChat(ctx, log)

  // Recorded BEFORE closing: LiveChat fires chat_deactivated while answering deactivate_chat, and that webhook must
  // find the session stopped. Safe even if closing fails: the session is over.
  const [, livechatChat] = await Promise.all([
    markSessionStopped(client, botpressConversationId).catch((thrown) => {
      log.warn('Could not record the stopped session', { botpressConversationId, ...describeError(thrown) })
    }),
    lc.agent.getChat({ chat_id: livechatChatId }).catch((thrown) => {
      log.error('Could not read the LiveChat chat to close', {
        botpressConversationId,
        livechatChatId,
        ...describeError(thrown),
      })
      throw toRuntimeError(thrown, 'Could not close the LiveChat chat')
    }),
  ])
  const standing = standingOf(livechatChat, livechatThreadId)
  if (standing === 'open') await closeChat(lc, session, log)
  else
    log.info(
      standing === 'superseded'
        ? 'The LiveChat chat has moved on to a later session: nothing of it closed for this earlier one'
        : 'The LiveChat thread of the HITL session was already closed',
      { botpressConversationId, livechatChatId, livechatThreadId }
    )
  return {}
}
