import { RuntimeError } from '@botpress/sdk'
import { Deadline, handlerDeadline } from '../botpress/deadline'
import { describeError, toRuntimeError } from '../botpress/errors'
import { Clients, createLiveChat } from '../botpress/livechat-client'
import { createLog } from '../botpress/log'
import { unlessNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'
import { prepareCustomer } from '../customer/prepare'
import { Customer } from '../customer/state'
import { CustomerClient, getCustomerClientOn, readKnownCustomer, rememberCustomer } from '../customer/token'
import { buildTranscript } from '../delivery/transcript'
import { applySessionFields, tagSessionThread } from '../handover/context'
import { readHistory } from '../handover/history'
import { OpenedChat, openCustomerChat, prepareOpening, sendOpeningRest } from '../handover/open-chat'
import { rememberSession } from '../session/cache'
import { findSession, getOrCreateSession } from '../session/conversation'
import { markSessionStopped } from '../session/states'
import * as bp from '.botpress'

type StartHitl = bp.IntegrationProps['actions']['startHitl']

type SessionProps = Clients & {
  input: Parameters<StartHitl>[0]['input']
  botpressUserId: string
  livechatGroupId: number
  deadline: Deadline
}

/** The customer createUser prepared (process cache, else state); prepared here only when createUser could not. */
const customerOf = async (props: SessionProps): Promise<Customer> => {
  const stored = await readKnownCustomer(props)
  if (stored) return stored
  const found = await unlessNotFound(props.client.getUser({ id: props.botpressUserId }))
  if (!found) {
    throw new RuntimeError(
      `Cannot start HITL: the end user ${props.botpressUserId} does not exist (call createUser first)`
    )
  }
  return prepareCustomer({ ...props, user: found.user, known: { customer: undefined } })
}

const OPENED_MESSAGES: Record<OpenedChat['how'], string> = {
  started: 'Started a LiveChat chat for the HITL session',
  resumed: 'Resumed the customer’s LiveChat chat for the HITL session',
  restarted: 'Closed the thread an earlier session had left open, and resumed the customer’s chat for this session',
}

/**
 * An earlier session left its thread open: it is marked stopped before its thread closes, so that the
 * chat_deactivated that follows emits no hitlStopped, which the plugin would apply to the end user's new session.
 */
const endEarlierSession = async (client: Client, livechatChatId: string, livechatThreadId: string) => {
  const earlier = await findSession(client, livechatChatId, livechatThreadId)
  if (earlier) await markSessionStopped(client, earlier.botpressConversationId)
}

/** The transcript, then the chat opened with its first events; `rest` is what follows once the session exists. */
const openHandover = async (props: SessionProps & { customer: CustomerClient }) => {
  const { client, customer, log, botpressUserId, input } = props
  const history = readHistory(input.messageHistory)
  if (history.unreadable > 0) {
    log.warn('Left out history entries that are not Botpress messages', { botpressUserId, count: history.unreadable })
  }
  // Media are uploaded before the chat opens: file events must point to LiveChat's CDN.
  const openingEvents = await buildTranscript({
    customer,
    log,
    botpressUserId,
    title: input.title,
    description: input.description,
    messageHistory: history.entries,
    deadline: props.deadline,
  })
  const { initial, rest } = prepareOpening(openingEvents)
  const opened = await openCustomerChat({
    customer,
    log,
    livechatGroupId: props.livechatGroupId,
    initial,
    endEarlierSession: (chatId, threadId) => endEarlierSession(client, chatId, threadId),
  })
  return { opened, rest }
}

/**
 * The critical path, each step needing the one before: the customer (no read when warm), the chat with the first
 * events (one LiveChat call), then the session's conversation beside the customer state that remembers the chat.
 * The conversation comes before the rest of the transcript, so that an agent who writes at once finds the session.
 */
const openSession = async (props: SessionProps) => {
  const { ctx, client, lc, log, input, botpressUserId, livechatGroupId, deadline } = props
  const known = await customerOf(props)
  // A renewed token is written once below, together with the chat id; and again if it changes after that. A failed
  // hand-over still keeps it: its cookies keep this end user the same LiveChat customer.
  const customer = await getCustomerClientOn(props, known)
  const keep = (activeChatId?: string) => customer.save(activeChatId).catch(() => undefined)
  const context = await applySessionFields({ hitlSession: input.hitlSession, customer, log, ctx, botpressUserId })
  const { opened, rest } = await openHandover({ ...props, customer }).catch(async (thrown: unknown) => {
    await keep()
    throw thrown
  })
  const { livechatChatId, livechatThreadId, how } = opened
  const [session] = await Promise.all([
    getOrCreateSession(client, {
      livechatChatId,
      livechatThreadId,
      customerUserId: botpressUserId,
      livechatCustomerId: customer.current().customerId,
    }),
    customer.save(livechatChatId),
    tagSessionThread({ lc, log, tags: context.tags, opened }),
  ])
  // So that this session's next messages, webhooks and stopHitl read nothing in a warm process.
  rememberSession(ctx.botId, session)
  rememberCustomer(ctx, botpressUserId, { ...customer.current(), activeChatId: livechatChatId })
  await sendOpeningRest({ customer, livechatChatId, rest, log, deadline }).finally(() => keep(livechatChatId))
  const { botpressConversationId } = session
  log.info(OPENED_MESSAGES[how], {
    botpressConversationId,
    botpressUserId,
    livechatChatId,
    livechatThreadId,
    livechatGroupId,
  })
  return { conversationId: botpressConversationId }
}

export const startHitl: StartHitl = async ({ ctx, client, logger, input }) => {
  const log = createLog(logger)
  const deadline = handlerDeadline()
  const { lc, configuration } = createLiveChat(ctx, log)
  const botpressUserId = input.userId
  const livechatGroupId = input.hitlSession?.groupId ?? configuration.groupId
  try {
    return await openSession({ ctx, client, lc, log, input, botpressUserId, livechatGroupId, deadline })
  } catch (thrown) {
    log.error('Could not start the HITL session', { botpressUserId, livechatGroupId, ...describeError(thrown) })
    throw toRuntimeError(thrown, 'Could not open a LiveChat chat for the HITL session')
  }
}
