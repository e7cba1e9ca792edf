import { randomUUID } from 'node:crypto'
import { Deadline } from '../botpress/deadline'
import { Log } from '../botpress/log'
import { CustomerApi, CustomerClient } from '../customer/token'
import { sendInTime } from '../delivery/send-in-time'
import { withSystemMessageFallback } from '../delivery/system-messages'
import { isChatGone, isChatInactive, isLimitReached, isLiveChatApiError } from '../livechat'
import { CustomerEvent } from '../mapping/events'

export type OpenedChat = {
  livechatChatId: string
  livechatThreadId: string
  /** resumed: the customer's closed chat, new thread; restarted: its thread was still open, closed first. */
  how: 'started' | 'resumed' | 'restarted'
}

type Props = {
  customer: CustomerClient
  log: Log
  livechatGroupId: number
  /** The first opening events, carried by `start_chat` / `resume_chat` (see prepareOpening). */
  initial: CustomerEvent[]
  /** Ends quietly the session whose thread is still open, before it is closed (its close must not stop the new one). */
  endEarlierSession: (livechatChatId: string, livechatThreadId: string) => Promise<void>
}

/**
 * How much of the opening rides with `start_chat`; the rest follows with `send_event`. LiveChat documents no limit on
 * `chat.thread.events`, but a whole long transcript in one request risks its size limits and timeouts.
 */
const MAX_INITIAL_EVENTS = 50
const MAX_INITIAL_BYTES = 256 * 1024

/**
 * The opening events named for this hand-over, then split into what `start_chat` carries (never nothing) and the rest.
 * A `custom_id` per event (`<hand-over>`, `<hand-over>#2`, ...) lets the LiveChat client tell, after a lost answer,
 * whether it was applied (src/livechat/applied.ts); new per call, so that a retried startHitl never takes a failed
 * one's thread for its own.
 */
export const prepareOpening = (opening: CustomerEvent[]) => {
  const handoverId = `bp-hitl-${randomUUID()}`
  const events = opening.map((event, index) => ({
    ...event,
    custom_id: index === 0 ? handoverId : `${handoverId}#${index + 1}`,
  }))
  let bytes = 0
  let count = 0
  for (const event of events) {
    bytes += Buffer.byteLength(JSON.stringify(event), 'utf8')
    if (count > 0 && (count >= MAX_INITIAL_EVENTS || bytes > MAX_INITIAL_BYTES)) break
    count++
  }
  return { initial: events.slice(0, count), rest: events.slice(count) }
}

const warnFallback = (log: Log) => () =>
  log.warn('LiveChat refused system messages from the customer: bot lines were sent as labelled messages')

/** The opening events that did not ride with `start_chat`, in order; past the deadline, the rest as one notice. */
export const sendOpeningRest = async (props: {
  customer: CustomerClient
  livechatChatId: string
  rest: CustomerEvent[]
  log: Log
  deadline: Deadline
}) => {
  const { customer, livechatChatId, log } = props
  await sendInTime({
    events: props.rest,
    deadline: props.deadline,
    what: 'the conversation so far',
    send: (event) =>
      withSystemMessageFallback(
        [event],
        ([one]) => customer.call((api) => api.sendEvent({ chat_id: livechatChatId, event: one ?? event })),
        warnFallback(log)
      ),
    onLeftOut: (count) =>
      log.warn('Out of time: the rest of the transcript went as one notice', { livechatChatId, count }),
  })
}

/** LiveChat says the customer can no longer use this chat (archived away, other license): the caller starts anew. */
const isGoneChat = (thrown: unknown, log: Log, livechatChatId: string): boolean => {
  if (!isLiveChatApiError(thrown) || !isChatGone(thrown)) return false
  log.debug('The customer’s previous LiveChat chat is gone; starting a new one', {
    livechatChatId,
    errorType: thrown.type,
  })
  return true
}

/** The customer's open chat, which LiveChat names only by refusing a second one (`limit_reached`). */
const findOpenChat = async ({ customer }: Props) => {
  const { chats_summary: chats } = await customer.call((api) => api.listChats({}))
  const open = chats.find((chat) => chat.active && chat.last_thread_id)
  return open?.last_thread_id ? { livechatChatId: open.id, livechatThreadId: open.last_thread_id } : undefined
}

/**
 * Opens the hand-over's chat as the customer, routed to the group: `start_chat` with `continuous: true` queues it
 * whether or not an agent is free (an agent's transfer would need a free one, and its webhooks would come before the
 * plugin marks the session active). One open chat per customer, one customer per end user: a known chat is resumed
 * (the agent sees the history); a thread still open (on refusal, or `limit_reached`) is closed first.
 */
export const openCustomerChat = async (props: Props): Promise<OpenedChat> => {
  const knownChatId = props.customer.current().activeChatId
  const resumed = knownChatId ? await resumeKnownChat(props, knownChatId) : undefined
  return resumed ?? startNewChat(props)
}

type OpeningRequest = Parameters<CustomerApi['startChat']>[0]

/** `start_chat` or `resume_chat`, carrying the opening and routed to the group. */
const openWith = <T>(props: Props, open: (api: CustomerApi, request: OpeningRequest) => Promise<T>): Promise<T> =>
  withSystemMessageFallback(
    props.initial,
    (events) =>
      props.customer.call((api) =>
        open(api, {
          chat: { access: { group_ids: [props.livechatGroupId] }, thread: { events } },
          active: true,
          continuous: true,
        })
      ),
    warnFallback(props.log)
  )

const startNewChat = async (props: Props): Promise<OpenedChat> => {
  try {
    const started = await openWith(props, (api, request) => api.startChat(request))
    return { livechatChatId: started.chat_id, livechatThreadId: started.thread_id, how: 'started' }
  } catch (thrown) {
    const open = isLimitReached(thrown) ? await findOpenChat(props) : undefined
    if (!open) throw thrown
    return restart(props, open.livechatChatId, open.livechatThreadId)
  }
}

const resume = (props: Props, livechatChatId: string) =>
  openWith(props, (api, { chat, ...request }) => api.resumeChat({ ...request, chat: { ...chat, id: livechatChatId } }))

/** Ends the open thread's session quietly, closes it (already closed: a close whose answer was lost), resumes. */
const restart = async (props: Props, livechatChatId: string, livechatThreadId: string): Promise<OpenedChat> => {
  await props.endEarlierSession(livechatChatId, livechatThreadId)
  props.log.info('The customer’s LiveChat chat was still open from an earlier session: closing it to start anew', {
    livechatChatId,
    livechatThreadId,
  })
  await props.customer
    .call((api) => api.deactivateChat({ id: livechatChatId }))
    .catch((thrown: unknown) => {
      if (!isChatInactive(thrown)) throw thrown
    })
  const resumed = await resume(props, livechatChatId)
  return { livechatChatId, livechatThreadId: resumed.thread_id, how: 'restarted' }
}

/**
 * Resumes the customer's chat without reading it first (a closed thread is the common case, and a read would add a
 * round trip). On a refusal the chat is read: a thread still open is restarted, a chat gone is undefined (the caller
 * starts a new one), anything else is thrown as LiveChat gave it.
 */
const resumeKnownChat = async (props: Props, livechatChatId: string): Promise<OpenedChat | undefined> => {
  try {
    const resumed = await resume(props, livechatChatId)
    return { livechatChatId, livechatThreadId: resumed.thread_id, how: 'resumed' }
  } catch (thrown) {
    if (!isLiveChatApiError(thrown)) throw thrown
    if (isGoneChat(thrown, props.log, livechatChatId)) return undefined
    const chat = await props.customer
      .call((api) => api.getChat({ chat_id: livechatChatId }))
      .catch((readError: unknown) => {
        if (isGoneChat(readError, props.log, livechatChatId)) return undefined
        throw readError
      })
    if (!chat) return undefined
    if (!chat.thread?.active) throw thrown
    return restart(props, livechatChatId, chat.thread.id)
  }
}
