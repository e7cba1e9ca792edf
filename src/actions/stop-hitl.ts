import { RuntimeError } from '@botpress/sdk'
import { isNotFound } from '../botpress/not-found'
import { readSession, writeSession } from '../botpress/session-state'
import { Client } from '../botpress/types'
import { isLiveChatApiError } from '../livechat'
import { describeError, toRuntimeError } from '../misc/errors'
import { createLiveChat } from '../misc/livechat-client'
import { createLog } from '../misc/log'
import * as bp from '.botpress'

type StopHitl = bp.IntegrationProps['actions']['stopHitl']

const getLiveChatChatId = async (client: Client, botpressConversationId: string): Promise<string> => {
  try {
    const { conversation } = await client.getConversation({ id: botpressConversationId })
    const livechatChatId = conversation.tags.id
    if (conversation.channel !== 'hitl' || !livechatChatId) {
      throw new RuntimeError(
        `Cannot stop HITL: conversation ${botpressConversationId} is not a LiveChat HITL conversation (no LiveChat chat ID)`
      )
    }
    return livechatChatId
  } catch (thrown) {
    if (isNotFound(thrown)) {
      throw new RuntimeError(`Cannot stop HITL: there is no HITL conversation ${botpressConversationId}`)
    }
    throw thrown
  }
}

/**
 * Closes the LiveChat chat from the bot side (the HITL plugin calls this after it has already ended the session, on
 * `/end` or on its assignment timeout).
 *
 * - Agent API `deactivate_chat` with `ignore_requester_presence`: the token's agent is not a user of the chat.
 * - Idempotent: a chat that is already closed (`chat_inactive`) is success.
 * - Never emits `hitlStopped`: the plugin has already marked the session inactive. The thread is recorded as
 *   stopped so that the `chat_deactivated` webhook that follows stays quiet too.
 */
export const stopHitl: StopHitl = async ({ ctx, client, logger, input }) => {
  const log = createLog(logger)
  const botpressConversationId = input.conversationId
  // The session names the chat, so the conversation itself is read only to explain why there is no session.
  const session = await readSession(client, botpressConversationId).catch((thrown) => {
    throw toRuntimeError(thrown, 'Could not stop the HITL session')
  })
  const livechatChatId =
    session?.livechatChatId ??
    (await getLiveChatChatId(client, botpressConversationId).catch((thrown) => {
      throw toRuntimeError(thrown, 'Could not stop the HITL session')
    }))
  const { lc } = createLiveChat(ctx, log)

  // Recorded BEFORE closing: LiveChat fires chat_deactivated while answering deactivate_chat, and that webhook must
  // find the thread already stopped. Safe even if closing fails: the plugin has ended the session either way.
  if (session && session.stoppedThreadId !== session.livechatThreadId) {
    await writeSession(client, botpressConversationId, { ...session, stoppedThreadId: session.livechatThreadId }).catch(
      (thrown) => {
        log.warn('Could not record the stopped thread', { botpressConversationId, ...describeError(thrown) })
      }
    )
  }

  try {
    await lc.agent.deactivateChat({ id: livechatChatId, ignore_requester_presence: true })
    log.info('Closed the LiveChat chat of the HITL session', { botpressConversationId, livechatChatId })
  } catch (thrown) {
    if (!isLiveChatApiError(thrown) || thrown.type !== 'chat_inactive') {
      log.error('Could not close the LiveChat chat', {
        botpressConversationId,
        livechatChatId,
        ...describeError(thrown),
      })
      throw toRuntimeError(thrown, 'Could not close the LiveChat chat')
    }
    log.info('The LiveChat chat of the HITL session was already closed', { botpressConversationId, livechatChatId })
  }
  return {}
}
