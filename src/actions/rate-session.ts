import { RuntimeError } from '@botpress/sdk'
import { describeError, toRuntimeError } from '../botpress/errors'
import { LiveChat, createLiveChat } from '../botpress/livechat-client'
import { Log, createLog } from '../botpress/log'
import { Client } from '../botpress/types'
import { isSameCustomer } from '../customer/prepare'
import { writeCustomer } from '../customer/state'
import { getCustomerClientOn, readKnownCustomer, rememberCustomer } from '../customer/token'
import { Session } from '../session/conversation'
import { lookUpSession } from '../session/look-up'
import * as bp from '.botpress'

type RateSession = bp.IntegrationProps['actions']['rateSession']

/**
 * LiveChat documents no length for `rating.comment`: bounded here so that what the agent and the reports show stays a
 * comment, and a longer one fails with its length instead of being cut.
 */
const MAX_COMMENT_LENGTH = 1_000

/** The session of the conversation, or an error saying it is none of this integration's. */
const sessionToRate = async (ctx: bp.Context, client: Client, conversationId: string): Promise<Session> => {
  const lookup = await lookUpSession(ctx, client, conversationId)
  if ('found' in lookup) return lookup.found
  throw new RuntimeError(
    lookup.missing === 'conversation'
      ? `Cannot rate: there is no conversation ${conversationId}`
      : `Cannot rate: conversation ${conversationId} is not a LiveChat HITL session of this integration`
  )
}

/** The rating is the customer's to write ("rw for Customers", "r for Agents"): as the session's own customer. */
const customerOfSession = async (props: {
  client: Client
  ctx: bp.Context
  lc: LiveChat
  log: Log
  session: Session
}) => {
  const { client, ctx, session } = props
  const botpressUserId = session.customerUserId
  const stored = await readKnownCustomer({ ...props, botpressUserId })
  if (stored?.customerId !== session.livechatCustomerId) {
    // A customer LiveChat replaced since (lost cookies) cannot write on the old customer's thread.
    throw new RuntimeError('Cannot rate: the end user is no longer the LiveChat customer of this session')
  }
  const customer = await getCustomerClientOn({ ...props, botpressUserId }, stored)
  return {
    customer,
    persist: async () => {
      const identity = customer.current()
      if (isSameCustomer(stored, identity)) return
      await writeCustomer(client, botpressUserId, identity)
      rememberCustomer(ctx, botpressUserId, identity)
    },
  }
}

/**
 * The end user's rating of a HITL session, written where LiveChat keeps it: the `rating` properties (score 1 good, 0
 * bad; comment) of the session's own thread, with the customer's token (Customer Chat API update_thread_properties),
 * also once the chat is closed. A new rating replaces the previous one, comment included (an absent comment is
 * written empty).
 */
export const rateSession: RateSession = async ({ ctx, client, logger, input }) => {
  const log = createLog(logger)
  const { conversationId, comment = '' } = input
  if (comment.length > MAX_COMMENT_LENGTH) {
    throw new RuntimeError(
      `Cannot rate: the comment has ${comment.length} characters, at most ${MAX_COMMENT_LENGTH} are kept. Nothing was written.`
    )
  }
  const { lc } = createLiveChat(ctx, log)
  try {
    const session = await sessionToRate(ctx, client, conversationId)
    const { customer, persist } = await customerOfSession({ client, ctx, lc, log, session })
    const rating = { score: input.score === 'good' ? 1 : 0, comment }
    await customer
      .call((api) =>
        api.updateThreadProperties({
          chat_id: session.livechatChatId,
          thread_id: session.livechatThreadId,
          properties: { rating },
        })
      )
      .finally(() => persist().catch(() => undefined))
    log.info('Wrote the end user’s rating on the LiveChat chat', {
      botpressConversationId: conversationId,
      livechatChatId: session.livechatChatId,
      livechatThreadId: session.livechatThreadId,
      reason: `rated ${input.score}`,
    })
    return {}
  } catch (thrown) {
    log.warn('Could not rate the HITL session', { botpressConversationId: conversationId, ...describeError(thrown) })
    throw toRuntimeError(thrown, 'Could not write the rating on the LiveChat chat')
  }
}
