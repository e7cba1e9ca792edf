import { cacheKey, caches } from '../botpress/caches'
import { BOT_ID_FIELD } from '../customer/prepare'
import { isChatGone } from '../livechat'
import { rememberSession, sessionCache, threadKey } from '../session/cache'
import { FoundSession, findSession } from '../session/conversation'
import { WebhookContext } from './types'

/**
 * A webhook for a chat this bot opened whose session startHitl has not created yet (an agent who answers at once, a
 * lost `start_chat` answer). Answered 500: LiveChat retries up to 3 times within about a minute
 * (platform.text.com/docs/management/webhooks).
 */
export class SessionNotReady extends Error {
  public override readonly name = 'SessionNotReady'
}

/**
 * The HITL session of a webhook: cached when this process saw the thread, else looked up by its thread tag (which also
 * names the holder). undefined means not ours (a website chat, an earlier thread without a session); misses are never
 * cached, as the conversation may appear a moment later.
 */
export const findWebhookSession = async (
  context: WebhookContext,
  livechatChatId: string,
  livechatThreadId: string | undefined
): Promise<FoundSession | undefined> => {
  const { client, ctx, log } = context
  if (livechatThreadId) {
    const known = sessionCache.get(threadKey(ctx.botId, livechatThreadId))
    if (known?.livechatChatId === livechatChatId) return known
  }
  const session = await findSession(client, livechatChatId, livechatThreadId)
  if (!session) {
    await refuseWhileOpening(context, livechatChatId, livechatThreadId)
    log.debug('Ignored a LiveChat webhook for a chat not opened by startHitl', { livechatChatId, livechatThreadId })
    return undefined
  }
  const { holderAgentId: _hint, ...facts } = session
  rememberSession(ctx.botId, facts)
  return session
}

/**
 * Throws SessionNotReady when the chat is this bot's and the webhook is about its current thread. One `get_chat` (the
 * customer's session fields and the current thread), spared for chats already known as foreign.
 */
const refuseWhileOpening = async (
  context: WebhookContext,
  livechatChatId: string,
  livechatThreadId: string | undefined
): Promise<void> => {
  const key = cacheKey(context.ctx.botId, 'foreign', livechatChatId)
  if (caches.foreignChats.get(key)) return
  const chat = await context
    .liveChat()
    .agent.getChat({ chat_id: livechatChatId })
    .catch((thrown: unknown) => {
      if (isChatGone(thrown)) return undefined // our agent token cannot see it: not one of ours
      throw thrown
    })
  const ours = chat?.users?.some(
    (user) =>
      user.type === 'customer' && user.session_fields?.some((field) => field[BOT_ID_FIELD] === context.ctx.botId)
  )
  if (!ours) {
    caches.foreignChats.set(key, true)
    return
  }
  if (livechatThreadId && chat?.thread?.id !== livechatThreadId) return
  throw new SessionNotReady('A LiveChat chat this bot opened has no HITL session yet; LiveChat will deliver again')
}
