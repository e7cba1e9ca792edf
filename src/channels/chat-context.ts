import { RuntimeError } from '@botpress/sdk'
import { readSession } from '../botpress/session-state'
import { Session } from '../botpress/types'
import { CustomerSession, openCustomerSession } from '../misc/customer-token'
import { createLiveChat } from '../misc/livechat-client'
import { Log } from '../misc/log'
import { HitlMessageProps } from './types'

export type ChatContext = { livechatChatId: string; session: Session; customer: CustomerSession }

type Props = Pick<HitlMessageProps, 'ctx' | 'client' | 'conversation'> & { log: Log }

/**
 * Everything a channel handler needs to write into the LiveChat chat as its customer: the chat id (conversation tag
 * `id`), the session state written by startHitl, and the customer's token, renewed when due. Each missing piece is a
 * RuntimeError naming it, so a message is never sent to `undefined` nor silently lost.
 */
export const resolveChatContext = async ({ ctx, client, conversation, log }: Props): Promise<ChatContext> => {
  const livechatChatId = conversation.tags.id
  if (!livechatChatId) {
    throw new RuntimeError(
      `Conversation ${conversation.id} has no LiveChat chat ID (tag "id"): only conversations returned by startHitl can be used`
    )
  }
  const session = await readSession(client, conversation.id)
  if (!session) {
    throw new RuntimeError(`Conversation ${conversation.id} has no HITL session: start it with startHitl first`)
  }
  const { lc } = createLiveChat(ctx, log)
  const customer = await openCustomerSession({ client, ctx, lc, log, botpressUserId: session.customerUserId })
  return { livechatChatId, session, customer }
}
