import { cacheKey, caches } from '../botpress/caches'
import { isChatGone } from '../livechat'
import { WebhookContext } from './types'

/**
 * The customer session field createUser sets to the bot's id (src/customer/prepare.ts): what marks a LiveChat
 * customer, hence its chat, as this bot's.
 */
const BOT_ID_FIELD = 'botpress_bot_id'

/**
 * A webhook for a chat this bot opened whose session is not there yet: startHitl is between LiveChat opening the
 * chat and creating its conversation (an agent who answers at once, a `start_chat` answer that was lost). Answered
 * 500 so that LiveChat delivers it again: it retries up to 3 times within about a minute (platform.text.com/docs/management/webhooks: up to 3 retries).
 */
export class SessionNotReady extends Error {
  public override readonly name = 'SessionNotReady'
}

/**
 * Called when no session matched a webhook's chat and thread. Throws {@link SessionNotReady} when the chat is this
 * bot's and the webhook is about its current thread; returns when the webhook is not ours to handle (a website chat
 * on the same license, or an earlier thread of ours that never got a session). One LiveChat read (`get_chat`: the
 * customer's session fields and the current thread), spared for chats already known as foreign.
 */
export const refuseWhileOpening = async (
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
