import { RuntimeError } from '@botpress/sdk'
import { describeError, toRuntimeError } from '../botpress/errors'
import { Clients, createLiveChat } from '../botpress/livechat-client'
import { createLog } from '../botpress/log'
import { getCustomerClientOn, readKnownCustomer } from '../customer/token'
import { Session } from '../session/conversation'
import { requireSession } from '../session/look-up'
import * as bp from '.botpress'

/** LiveChat documents no length for `rating.comment`: a longer one fails with its length instead of being cut. */
const MAX_COMMENT_LENGTH = 1_000

/** The rating is the customer's to write ("rw for Customers", "r for Agents"): as the session's own customer. */
const customerOfSession = async (props: Clients & { session: Session }) => {
  const botpressUserId = props.session.customerUserId
  const stored = await readKnownCustomer({ ...props, botpressUserId })
  if (stored?.customerId !== props.session.livechatCustomerId) {
    // A customer LiveChat replaced since (lost cookies) cannot write on the old customer's thread.
    throw new RuntimeError('Cannot rate: the end user is no longer the LiveChat customer of this session')
  }
  return getCustomerClientOn({ ...props, botpressUserId }, stored)
}

/**
 * The end user's rating of a session, where LiveChat keeps it: the `rating` properties (score 1 good, 0 bad; comment)
 * of its thread, as the customer (update_thread_properties), also once closed. A new rating replaces the previous
 * one, comment included.
 */
export const rateSession: bp.IntegrationProps['actions']['rateSession'] = async ({ ctx, client, logger, input }) => {
  const log = createLog(logger)
  const { conversationId, comment = '' } = input
  if (comment.length > MAX_COMMENT_LENGTH) {
    throw new RuntimeError(
      `Cannot rate: the comment has ${comment.length} characters, at most ${MAX_COMMENT_LENGTH} are kept. Nothing was written.`
    )
  }
  const { lc } = createLiveChat(ctx, log)
  try {
    const session = await requireSession(ctx, client, conversationId, {
      conversation: `Cannot rate: there is no conversation ${conversationId}`,
      tags: `Cannot rate: conversation ${conversationId} is not a LiveChat HITL session of this integration`,
    })
    const { livechatChatId, livechatThreadId } = session
    const customer = await customerOfSession({ client, ctx, lc, log, session })
    const rating = { score: input.score === 'good' ? 1 : 0, comment }
    await customer
      .call((api) =>
        api.updateThreadProperties({ chat_id: livechatChatId, thread_id: livechatThreadId, properties: { rating } })
      )
      .finally(() => customer.save().catch(() => undefined))
    log.info('Wrote the end user’s rating on the LiveChat chat', {
      botpressConversationId: conversationId,
      livechatChatId,
      livechatThreadId,
      reason: `rated ${input.score}`,
    })
    return {}
  } catch (thrown) {
    log.warn('Could not rate the HITL session', { botpressConversationId: conversationId, ...describeError(thrown) })
    throw toRuntimeError(thrown, 'Could not write the rating on the LiveChat chat')
  }
}
