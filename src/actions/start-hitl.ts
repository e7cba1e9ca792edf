import { RuntimeError } from '@botpress/sdk'
import { Deadline, handlerDeadline } from '../botpress/deadline'
import { describeError, toRuntimeError } from '../botpress/errors'
import { LiveChat, createLiveChat } from '../botpress/livechat-client'
import { Log, createLog } from '../botpress/log'
import { isNotFound } from '../botpress/not-found'
import { Client, User } from '../botpress/types'
import { isSameCustomer, prepareCustomer } from '../customer/prepare'
import { Customer, writeCustomer } from '../customer/state'
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

const getEndUser = async (client: Client, botpressUserId: string): Promise<User> => {
  try {
    const { user } = await client.getUser({ id: botpressUserId })
    return user
  } catch (thrown) {
    if (isNotFound(thrown)) {
      throw new RuntimeError(`Cannot start HITL: the end user ${botpressUserId} does not exist (call createUser first)`)
    }
    throw thrown
  }
}

/**
 * The end user's LiveChat customer as createUser left it: from the process cache, else the user's state. Only when
 * createUser could not prepare it (LiveChat failed then, or the user was made some other way) is it prepared here.
 */
const customerOf = async (props: {
  client: Client
  ctx: bp.Context
  lc: LiveChat
  log: Log
  botpressUserId: string
}): Promise<Customer> => {
  const stored = await readKnownCustomer(props)
  if (stored) return stored
  const user = await getEndUser(props.client, props.botpressUserId)
  return prepareCustomer({ ...props, user, known: { customer: undefined } })
}

const logOpened = (log: Log, how: OpenedChat['how'], fields: Parameters<Log['info']>[1]) => {
  const messages = {
    started: 'Started a LiveChat chat for the HITL session',
    resumed: 'Resumed the customer’s LiveChat chat for the HITL session',
    restarted: 'Closed the thread an earlier session had left open, and resumed the customer’s chat for this session',
  }
  log.info(messages[how], fields)
}

/**
 * An earlier session left its thread open (stopHitl could not close it): that session is marked stopped before its
 * thread closes, so that the chat_deactivated that follows emits no hitlStopped, which the plugin would apply to the
 * end user's new session.
 */
const endEarlierSession = async (client: Client, livechatChatId: string, livechatThreadId: string) => {
  const earlier = await findSession(client, livechatChatId, livechatThreadId)
  if (earlier) await markSessionStopped(client, earlier.botpressConversationId)
}

/** The transcript, then the chat opened with its first events; `rest` is what follows once the session exists. */
const openHandover = async (props: SessionProps & { customer: CustomerClient }) => {
  const { client, customer, log, botpressUserId, input } = props
  // The transcript's media are uploaded before the chat opens: file events must point to LiveChat's CDN.
  const history = readHistory(input.messageHistory)
  if (history.unreadable > 0) {
    log.warn('Left out history entries that are not Botpress messages', { botpressUserId, count: history.unreadable })
  }
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
 * Writes the customer's identity when it differs from the one written last. `keep` never fails: a renewed token must
 * not be lost, whatever else fails, because its cookies keep this end user the same LiveChat customer.
 */
const identityWriter = (client: Client, botpressUserId: string, customer: CustomerClient, known: Customer) => {
  let written = known
  const write = async (identity: Customer) => {
    if (isSameCustomer(written, identity)) return
    await writeCustomer(client, botpressUserId, identity)
    written = identity
  }
  const keep = (activeChatId?: string) =>
    write({ ...customer.current(), ...(activeChatId && { activeChatId }) }).catch(() => undefined)
  return { write, keep }
}

type SessionProps = {
  ctx: bp.Context
  client: Client
  lc: LiveChat
  log: Log
  input: Parameters<StartHitl>[0]['input']
  botpressUserId: string
  livechatGroupId: number
  deadline: Deadline
}

/**
 * Opens the hand-over: the LiveChat chat (src/handover/open-chat.ts), then its conversation, then the rest of a
 * long transcript.
 *
 * Three steps on the critical path, each needing the one before: the end user's customer (one state read, none when
 * warm), the chat with the first events of the transcript (one LiveChat call), then the conversation, created with
 * the session in its tags, side by side with the customer state that remembers the chat. One conversation per
 * LiveChat thread: each HITL session gets its own, and every copy of the integration finds it from a webhook by the
 * thread id. The conversation comes before the rest of the transcript, so that an agent who writes at once finds the
 * session; a webhook that comes even earlier is answered 500 and redelivered (src/webhook/find-session.ts).
 */
const openSession = async (props: SessionProps) => {
  const { ctx, client, lc, log, input, botpressUserId, livechatGroupId, deadline } = props
  const known = await customerOf({ client, ctx, lc, log, botpressUserId })
  // A renewed token is written once below, together with the chat id; and again if it changes after that.
  const customer = await getCustomerClientOn({ client, ctx, lc, log, botpressUserId }, known)
  const identities = identityWriter(client, botpressUserId, customer, known)
  const context = await applySessionFields({ hitlSession: input.hitlSession, customer, log, ctx, botpressUserId })
  const { opened, rest } = await openHandover({ ...props, customer }).catch(async (thrown: unknown) => {
    await identities.keep()
    throw thrown
  })
  const { livechatChatId, livechatThreadId, how } = opened
  const identity = { ...customer.current(), activeChatId: livechatChatId }
  const [chat] = await Promise.all([
    getOrCreateSession(client, {
      livechatChatId,
      livechatThreadId,
      customerUserId: botpressUserId,
      livechatCustomerId: identity.customerId,
    }),
    identities.write(identity),
    tagSessionThread({ lc, log, tags: context.tags, opened }),
  ])
  // What the next messages, webhooks and stopHitl of this session need, so that a warm process reads nothing.
  rememberSession(ctx.botId, chat)
  rememberCustomer(ctx, botpressUserId, identity)
  await sendOpeningRest({ customer, livechatChatId, rest, log, deadline }).finally(() =>
    identities.keep(livechatChatId)
  )
  const { botpressConversationId } = chat
  logOpened(log, how, { botpressConversationId, botpressUserId, livechatChatId, livechatThreadId, livechatGroupId })
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
