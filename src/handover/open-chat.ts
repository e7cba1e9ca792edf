import { randomUUID } from 'node:crypto'
import { Deadline } from '../botpress/deadline'
import { Log } from '../botpress/log'
import { CustomerClient } from '../customer/token'
import { sendInTime } from '../delivery/send-in-time'
import { withSystemMessageFallback } from '../delivery/system-messages'
import { isChatGone, isChatInactive, isLimitReached, isLiveChatApiError } from '../livechat'
import { CustomerEvent } from '../mapping/events'

export type OpenedChat = {
  livechatChatId: string
  livechatThreadId: string
  /**
   * started: a new chat; resumed: the customer's archived chat, new thread; restarted: its thread was still open (an
   * earlier session that was never closed), so it was closed first and the chat resumed with a new thread.
   */
  how: 'started' | 'resumed' | 'restarted'
}

type Props = {
  customer: CustomerClient
  log: Log
  livechatGroupId: number
  /** What `start_chat` / `resume_chat` carries: the first opening events (see {@link prepareOpening}). */
  initial: CustomerEvent[]
  /**
   * Called before the customer closes a thread an earlier session (or an earlier startHitl that failed halfway) left
   * open, so that the caller can end that session quietly (its close must not stop the new one).
   */
  endEarlierSession: (livechatChatId: string, livechatThreadId: string) => Promise<void>
}

/**
 * How many opening events ride with `start_chat` / `resume_chat`; the rest follow with `send_event`, in order, before
 * startHitl returns. LiveChat documents no limit on `chat.thread.events`, but one request carrying a whole long
 * transcript risks its request size limits and timeouts, so the first request stays small and predictable.
 */
const MAX_INITIAL_EVENTS = 50
const MAX_INITIAL_BYTES = 256 * 1024

/** The opening events split into what `start_chat` carries and what follows; the first batch is never empty. */
const splitOpeningEvents = (events: CustomerEvent[]): { initial: CustomerEvent[]; rest: CustomerEvent[] } => {
  let bytes = 0
  let count = 0
  for (const event of events) {
    bytes += Buffer.byteLength(JSON.stringify(event), 'utf8')
    if (count > 0 && (count >= MAX_INITIAL_EVENTS || bytes > MAX_INITIAL_BYTES)) break
    count++
  }
  return { initial: events.slice(0, count), rest: events.slice(count) }
}

/**
 * The opening events named for this hand-over, then split. A `custom_id` per event (`<hand-over>`, `<hand-over>#2`,
 * ...) is what lets the LiveChat client tell, after an answer that was lost, whether the chat was opened or a line
 * was sent (src/livechat/applied.ts), so that none is sent twice. New for each call, so that a retried startHitl never
 * takes the thread of a failed one for its own.
 */
export const prepareOpening = (events: CustomerEvent[], handoverId = `bp-hitl-${randomUUID()}`) =>
  splitOpeningEvents(
    events.map((event, index) => ({ ...event, custom_id: index === 0 ? handoverId : `${handoverId}#${index + 1}` }))
  )

const warnFallback = (log: Log) => () =>
  log.warn('LiveChat refused system messages from the customer: bot lines were sent as labelled messages')

/**
 * The opening events that did not ride with `start_chat`, in order; past the deadline, what is left goes as one
 * notice (src/delivery/send-in-time.ts).
 */
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

/** LiveChat says the customer can no longer use this chat: logged, and the caller starts a new one. */
const isGoneChat = (thrown: unknown, log: Log, livechatChatId: string): boolean => {
  if (!isLiveChatApiError(thrown) || !isChatGone(thrown)) return false
  log.debug('The customer’s previous LiveChat chat is gone; starting a new one', {
    livechatChatId,
    errorType: thrown.type,
  })
  return true
}

/** The customer's chat as LiveChat sees it now, or undefined when it is gone (archived away, other license). */
const findCustomerChat = async ({ customer, log }: Props, livechatChatId: string) => {
  try {
    const chat = await customer.call((api) => api.getChat({ chat_id: livechatChatId }))
    return { livechatChatId, thread: chat.thread ?? undefined }
  } catch (thrown) {
    if (isGoneChat(thrown, log, livechatChatId)) return undefined
    throw thrown
  }
}

/** The customer's open chat, which LiveChat names only by refusing a second one (`limit_reached`). */
const findOpenChat = async ({ customer }: Props) => {
  const { chats_summary: chats } = await customer.call((api) => api.listChats({}))
  const open = chats.find((chat) => chat.active && chat.last_thread_id)
  return open?.last_thread_id ? { livechatChatId: open.id, livechatThreadId: open.last_thread_id } : undefined
}

/**
 * Opens the LiveChat chat for this hand-over, as the customer (Customer Chat API), routed to the group, with the
 * first opening events. The caller creates the session's conversation right after, then sends the rest.
 *
 * Why the customer API: `start_chat` with `chat.access.group_ids` and `continuous: true` lets LiveChat's router queue
 * the chat in the group whether or not an agent is free. Starting it as an agent and transferring it would need a
 * free agent, and its transfer webhooks would come before the HITL plugin marks the session active (and be dropped).
 *
 * LiveChat allows one open chat per customer, and the same end user is the same customer across sessions, so:
 * - no chat known: `start_chat`;
 * - the chat known but its thread closed: `resume_chat` (same chat, so the agent sees the customer's history),
 *   tried first without reading the chat (see resumeKnownChat);
 * - a thread still open (an earlier session that stopHitl could not close, or an earlier startHitl that failed after
 *   LiveChat opened its chat, found by LiveChat's `limit_reached` when its chat id was never stored): that session
 *   is ended quietly, the customer closes the thread and resumes the chat. One HITL session is always one thread and
 *   one conversation, so nothing the earlier session announced or stopped leaks into the new one, on any copy.
 */
export const openCustomerChat = async (props: Props): Promise<OpenedChat> => {
  const knownChatId = props.customer.current().activeChatId
  const resumed = knownChatId ? await resumeKnownChat(props, knownChatId) : undefined
  return resumed ?? startNewChat(props)
}

const startNewChat = async (props: Props): Promise<OpenedChat> => {
  const access = { group_ids: [props.livechatGroupId] }
  try {
    const started = await withSystemMessageFallback(
      props.initial,
      (events) =>
        props.customer.call((api) =>
          api.startChat({ chat: { access, thread: { events } }, active: true, continuous: true })
        ),
      warnFallback(props.log)
    )
    return { livechatChatId: started.chat_id, livechatThreadId: started.thread_id, how: 'started' }
  } catch (thrown) {
    const open = isLimitReached(thrown) ? await findOpenChat(props) : undefined
    if (!open) throw thrown
    return restart(props, open.livechatChatId, open.livechatThreadId)
  }
}

const resume = (props: Props, livechatChatId: string) =>
  withSystemMessageFallback(
    props.initial,
    (events) =>
      props.customer.call((api) =>
        api.resumeChat({
          chat: { id: livechatChatId, access: { group_ids: [props.livechatGroupId] }, thread: { events } },
          active: true,
          continuous: true,
        })
      ),
    warnFallback(props.log)
  )

/**
 * The customer's chat still has an open thread that is not this hand-over's: its session is ended quietly, the thread
 * closed (already closed counts as done: a close whose answer was lost), and the chat resumed with a new thread.
 */
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
 * Resumes the customer's chat without reading it first: a HITL session ends by closing the chat, so a closed thread is
 * the common case, and reading first would put one more round trip on startHitl's critical path. Only when LiveChat
 * refuses is the chat read, to tell a thread still open (closed, then resumed) from a chat that is gone (undefined:
 * the caller starts a new one) and from any other refusal (thrown as LiveChat gave it).
 */
const resumeKnownChat = async (props: Props, livechatChatId: string): Promise<OpenedChat | undefined> => {
  try {
    const resumed = await resume(props, livechatChatId)
    return { livechatChatId, livechatThreadId: resumed.thread_id, how: 'resumed' }
  } catch (thrown) {
    if (!isLiveChatApiError(thrown)) throw thrown
    if (isGoneChat(thrown, props.log, livechatChatId)) return undefined
    const existing = await findCustomerChat(props, livechatChatId)
    if (!existing) return undefined
    if (!existing.thread?.active) throw thrown
    return restart(props, livechatChatId, existing.thread.id)
  }
}
