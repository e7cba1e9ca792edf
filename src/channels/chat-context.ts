import { RuntimeError } from '@botpress/sdk'
import { HitlChat, hitlChatOf } from '../botpress/hitl-conversation'
import { lookUpHitlChat } from '../botpress/known-hitl-chat'
import { isChatGone, isChatInactive } from '../livechat'
import { forgetHitlChat } from '../misc/caches'
import { CustomerSession, openCustomerSession } from '../misc/customer-token'
import { createLiveChat } from '../misc/livechat-client'
import { Log } from '../misc/log'
import { HitlMessageProps } from './types'

export type ChatContext = { livechatChatId: string; customerUserId: string; customer: CustomerSession }

type Props = Pick<HitlMessageProps, 'ctx' | 'client' | 'conversation'> & { log: Log }

const notStartedError = (botpressConversationId: string) =>
  new RuntimeError(
    `Conversation ${botpressConversationId} has no LiveChat chat: only conversations returned by startHitl can be used`
  )

/**
 * The session of the conversation a message is sent in. The runtime sends the conversation with its tags, which name
 * it all; should they be missing from what it sent, the conversation is read once (and cached).
 */
const hitlChatOfMessage = async ({ ctx, client, conversation }: Props): Promise<HitlChat> => {
  const sent = hitlChatOf(conversation)
  if (sent) return sent
  const lookup = await lookUpHitlChat(ctx, client, conversation.id)
  if ('found' in lookup) return lookup.found
  throw notStartedError(conversation.id)
}

/**
 * Everything a channel handler needs to write into the LiveChat chat as its customer: the chat and the end user (the
 * conversation's tags, sent with the message, so never read), and the customer's token, from the process cache or the
 * end user's state, renewed when due. Each missing piece is a RuntimeError naming it, so a message is never sent to
 * `undefined` nor silently lost.
 */
export const resolveChatContext = async (props: Props): Promise<ChatContext> => {
  const { ctx, client, log } = props
  const chat = await hitlChatOfMessage(props)
  const { lc } = createLiveChat(ctx, log)
  const customer = await openCustomerSession({ client, ctx, lc, log, botpressUserId: chat.customerUserId })
  return {
    livechatChatId: chat.livechatChatId,
    customerUserId: chat.customerUserId,
    customer: {
      identity: customer.identity,
      call: async (run) => {
        try {
          return await customer.call(run)
        } catch (thrown) {
          // The chat is not what this process believed: the next message reads Botpress again.
          if (isChatGone(thrown) || isChatInactive(thrown)) {
            forgetHitlChat(ctx.botId, chat)
          }
          throw thrown
        }
      },
    },
  }
}
