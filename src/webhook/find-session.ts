import { rememberSession, sessionCache, threadKey } from '../session/cache'
import { FoundSession, findSession } from '../session/conversation'
import { refuseWhileOpening } from './opening-chat'
import { WebhookContext } from './types'

/**
 * The HITL session a webhook is about: from the process cache (no call) when this process opened or saw the thread,
 * else one lookup of the conversation by its thread tag, which also names the agent holding the chat. undefined means
 * "not ours" (a website chat on the same license, an earlier thread that never got a session). A thread whose
 * conversation startHitl has not created yet is ours all the same: that throws SessionNotReady, and LiveChat delivers
 * again (src/webhook/opening-chat.ts). Misses are never cached: the conversation appears a moment later.
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
