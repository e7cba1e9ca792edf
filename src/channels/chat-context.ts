import { RuntimeError } from '@botpress/sdk'
import { createLiveChat } from '../botpress/livechat-client'
import { Log } from '../botpress/log'
import { CustomerClient, getCustomerClient } from '../customer/token'
import { isChatGone, isChatInactive } from '../livechat'
import { forgetSession } from '../session/cache'
import { Session, sessionOf } from '../session/conversation'
import { lookUpSession } from '../session/look-up'
import { HitlMessageProps } from './types'

type ChatContext = { livechatChatId: string; customerUserId: string; customer: CustomerClient }

type Props = Pick<HitlMessageProps, 'ctx' | 'client' | 'conversation'> & { log: Log }

const notStartedError = (botpressConversationId: string) =>
  new RuntimeError(
    `Conversation ${botpressConversationId} has no LiveChat chat: only conversations returned by startHitl can be used`
  )

/**
 * The session of the conversation a message is sent in. The runtime sends the conversation with its tags, which name
 * it all; should they be missing from what it sent, the conversation is read once (and cached).
 */
const sessionOfMessage = async ({ ctx, client, conversation }: Props): Promise<Session> => {
  const sent = sessionOf(conversation)
  if (sent) return sent
  const lookup = await lookUpSession(ctx, client, conversation.id)
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
  const session = await sessionOfMessage(props)
  const { lc } = createLiveChat(ctx, log)
  const customer = await getCustomerClient({ client, ctx, lc, log, botpressUserId: session.customerUserId })
  return {
    livechatChatId: session.livechatChatId,
    customerUserId: session.customerUserId,
    customer: {
      current: customer.current,
      call: async (run) => {
        try {
          return await customer.call(run)
        } catch (thrown) {
          // The chat is not what this process believed: the next message reads Botpress again.
          if (isChatGone(thrown) || isChatInactive(thrown)) {
            forgetSession(ctx.botId, session)
          }
          throw thrown
        }
      },
    },
  }
}
