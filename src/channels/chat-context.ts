import { createLiveChat } from '../botpress/livechat-client'
import { Log } from '../botpress/log'
import { CustomerClient, getCustomerClient } from '../customer/token'
import { isChatGone, isChatInactive } from '../livechat'
import { forgetSession } from '../session/cache'
import { Session, sessionOf } from '../session/conversation'
import { requireSession } from '../session/look-up'
import * as bp from '.botpress'

type HitlHandlers = bp.IntegrationProps['channels']['hitl']['messages']
/** Any `hitl` handler's props. Not `bp.AnyMessageProps`: its simplified `client` no longer matches `bp.Client`. */
export type HitlMessageProps = { [K in keyof HitlHandlers]: Parameters<HitlHandlers[K]>[0] }[keyof HitlHandlers]

type ChatContext = { livechatChatId: string; customerUserId: string; customer: CustomerClient }

type Props = Pick<HitlMessageProps, 'ctx' | 'client' | 'conversation'> & { log: Log }

/** The session from the conversation's tags, sent with the message; read once (and cached) if they are missing. */
const sessionOfMessage = async ({ ctx, client, conversation }: Props): Promise<Session> => {
  const missing = `Conversation ${conversation.id} has no LiveChat chat: only conversations returned by startHitl can be used`
  return (
    sessionOf(conversation) ?? requireSession(ctx, client, conversation.id, { conversation: missing, tags: missing })
  )
}

/**
 * What a channel handler needs to write into the chat as its customer: the chat, the end user and the customer's
 * token (renewed when due). Each missing piece is a RuntimeError naming it, never a message sent to `undefined`.
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
