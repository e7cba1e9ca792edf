import { RuntimeError } from '@botpress/sdk'
import { readSession } from '../botpress/session-state'
import { isLiveChatApiError } from '../livechat'
import { cacheKey, caches } from '../misc/caches'
import { CustomerSession, openCustomerSession } from '../misc/customer-token'
import { createLiveChat } from '../misc/livechat-client'
import { Log } from '../misc/log'
import { HitlMessageProps } from './types'

export type ChatContext = { livechatChatId: string; customerUserId: string; customer: CustomerSession }

type Props = Pick<HitlMessageProps, 'ctx' | 'client' | 'conversation'> & { log: Log }

/** LiveChat answers that show the chat is not what this process believed: the next message reads the states again. */
const STALE_CHAT_ERRORS = ['not_found', 'missing_access', 'chat_inactive', 'chat_anonymized']

/**
 * The end user whose customer writes into this chat. startHitl (or an earlier message) leaves it in the process cache,
 * so a warm process reads no state; otherwise it comes from the session state, which also proves that startHitl ran.
 */
const customerUserIdOf = async ({ ctx, client, conversation }: Props, livechatChatId: string): Promise<string> => {
  const key = cacheKey(ctx.botId, 'chat', livechatChatId)
  const known = caches.hitlChats.get(key)
  if (known?.botpressConversationId === conversation.id) {
    return known.customerUserId
  }
  const session = await readSession(client, conversation.id)
  if (!session) {
    throw new RuntimeError(`Conversation ${conversation.id} has no HITL session: start it with startHitl first`)
  }
  caches.hitlChats.set(key, {
    botpressConversationId: conversation.id,
    customerUserId: session.customerUserId,
    livechatCustomerId: session.livechatCustomerId,
  })
  return session.customerUserId
}

/**
 * The runtime sends the conversation with its tags; should they be missing from what it sent, the session state that
 * startHitl wrote names the chat too.
 */
const chatIdFromSession = async ({ client, conversation }: Props): Promise<string> => {
  const session = await readSession(client, conversation.id)
  if (!session) {
    throw new RuntimeError(
      `Conversation ${conversation.id} has no LiveChat chat: only conversations returned by startHitl can be used`
    )
  }
  return session.livechatChatId
}

/**
 * Everything a channel handler needs to write into the LiveChat chat as its customer: the chat id (conversation tag
 * `id`, sent with the message, so never read), the end user, and the customer's token, renewed when due. Each missing
 * piece is a RuntimeError naming it, so a message is never sent to `undefined` nor silently lost.
 */
export const resolveChatContext = async (props: Props): Promise<ChatContext> => {
  const { ctx, client, conversation, log } = props
  const livechatChatId = conversation.tags?.id ?? (await chatIdFromSession(props))
  const customerUserId = await customerUserIdOf(props, livechatChatId)
  const { lc } = createLiveChat(ctx, log)
  const customer = await openCustomerSession({ client, ctx, lc, log, botpressUserId: customerUserId })
  return {
    livechatChatId,
    customerUserId,
    customer: {
      identity: customer.identity,
      call: async (run) => {
        try {
          return await customer.call(run)
        } catch (thrown) {
          if (isLiveChatApiError(thrown) && STALE_CHAT_ERRORS.includes(thrown.type)) {
            caches.hitlChats.delete(cacheKey(ctx.botId, 'chat', livechatChatId))
          }
          throw thrown
        }
      },
    },
  }
}
