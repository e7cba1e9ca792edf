import { RuntimeError } from '@botpress/sdk'
import { describeError, toRuntimeError } from '../botpress/errors'
import { LiveChat, createLiveChat } from '../botpress/livechat-client'
import { Log, createLog } from '../botpress/log'
import { Client } from '../botpress/types'
import { isChatGone, isChatInactive, isMissingScope, isRefusedForGood, isTokenProblem } from '../livechat'
import { Session } from '../session/conversation'
import { lookUpSession } from '../session/look-up'
import { markSessionStopped } from '../session/states'
import * as bp from '.botpress'

type StopHitl = bp.IntegrationProps['actions']['stopHitl']

/** The session of the conversation: from the process cache when this process opened it, else its tags. */
const sessionToStop = async (ctx: bp.Context, client: Client, botpressConversationId: string): Promise<Session> => {
  const lookup = await lookUpSession(ctx, client, botpressConversationId)
  if ('found' in lookup) return lookup.found
  throw new RuntimeError(
    lookup.missing === 'conversation'
      ? `Cannot stop HITL: there is no HITL conversation ${botpressConversationId}`
      : `Cannot stop HITL: conversation ${botpressConversationId} is not a LiveChat HITL conversation (no LiveChat chat ID)`
  )
}

/**
 * Whether a refused `deactivate_chat` means the chat was already closed. LiveChat answers `chat_inactive` for that,
 * but this is not documented for deactivate_chat, so another refusal of the request is checked by reading the chat:
 * no active thread means the goal is reached and the second stopHitl must succeed.
 */
export const isAlreadyClosed = async (
  agent: Pick<LiveChat['agent'], 'getChat'>,
  livechatChatId: string,
  thrown: unknown
): Promise<boolean> => {
  if (isChatInactive(thrown)) return true
  // Refusals about the token, the scope or the chat's access stand as they are; another may mean "nothing to close".
  if (!isRefusedForGood(thrown) || isTokenProblem(thrown) || isMissingScope(thrown) || isChatGone(thrown)) return false
  const chat = await agent.getChat({ chat_id: livechatChatId }).catch(() => undefined)
  return chat !== undefined && chat.thread?.active !== true
}

/** Where this session's thread stands in its chat: LiveChat has one open thread per chat at most, the latest. */
type ThreadStanding = 'open' | 'closed' | 'superseded'

/**
 * `deactivate_chat` closes whatever thread of the chat is open, and one LiveChat customer keeps one chat across
 * sessions, so the chat's latest thread is compared with the session's before closing: a later thread belongs to a
 * later session of the same end user, which a late or repeated stopHitl must not touch.
 */
export const standingOf = (
  chat: { thread?: { id: string; active?: boolean } | null },
  livechatThreadId: string
): ThreadStanding => {
  if (chat.thread && chat.thread.id !== livechatThreadId) return 'superseded'
  return chat.thread?.active === true ? 'open' : 'closed'
}

const closeChat = async (lc: LiveChat, session: Session, log: Log) => {
  const { botpressConversationId, livechatChatId } = session
  try {
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
 * Closes the LiveChat thread of the session from the bot side (the HITL plugin calls this after it has already ended
 * the session, on `/end` or on its assignment timeout).
 *
 * - Only this session's thread: the chat is read first (one `get_chat`, beside the state write), and a chat that has
 *   moved on to a later session's thread, or whose thread is already closed, is left alone. That is success: the
 *   session is over either way, and nothing is emitted.
 * - Agent API `deactivate_chat` with `ignore_requester_presence`: the token's agent is not a user of the chat.
 * - Never emits `hitlStopped`: the plugin has already marked the session inactive. The session is recorded as
 *   stopped so that the `chat_deactivated` webhook that follows stays quiet too.
 *
 * The window that remains: `deactivate_chat` has no thread parameter, so if, between `get_chat`'s answer and LiveChat
 * applying `deactivate_chat` (one round trip; longer only while the client retries a failing LiveChat), this thread
 * closes AND the end user's next startHitl resumes the chat, that new thread is closed. Closing it needs a thread-
 * conditional close, which LiveChat does not offer.
 */
export const stopHitl: StopHitl = async ({ ctx, client, logger, input }) => {
  const log = createLog(logger)
  const botpressConversationId = input.conversationId
  const session = await sessionToStop(ctx, client, botpressConversationId).catch((thrown) => {
    throw toRuntimeError(thrown, 'Could not stop the HITL session')
  })
  const { livechatChatId, livechatThreadId } = session
  const { lc } = createLiveChat(ctx, log)

  // Recorded BEFORE closing: LiveChat fires chat_deactivated while answering deactivate_chat, and that webhook must
  // find the session already stopped. Safe even if closing fails, or nothing is closed: the session is over.
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
  if (standing === 'open') {
    await closeChat(lc, session, log)
  } else {
    log.info(
      standing === 'superseded'
        ? 'The LiveChat chat has moved on to a later session: nothing of it closed for this earlier one'
        : 'The LiveChat thread of the HITL session was already closed',
      { botpressConversationId, livechatChatId, livechatThreadId }
    )
  }
  return {}
}
