import { withSystemMessageFallback } from '../delivery/system-messages'
import { isLiveChatApiError } from '../livechat'
import { CustomerEvent } from '../mapping/to-livechat'
import { CustomerSession } from '../misc/customer-token'
import { Log } from '../misc/log'

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
  customer: CustomerSession
  log: Log
  livechatGroupId: number
  title?: string
  description?: string
  /** Title, description and history: the first events of a new thread, in order. */
  openingEvents: CustomerEvent[]
  /**
   * Called before the customer closes a thread an earlier session left open, so that the caller can end that session
   * quietly (its close must not stop the new one).
   */
  endEarlierSession: (livechatChatId: string, livechatThreadId: string) => Promise<void>
}

/**
 * How many opening events ride with `start_chat` / `resume_chat`; the rest follow with `send_event`, in order, before
 * startHitl returns. LiveChat documents no limit on `chat.thread.events`, but one request carrying a whole long
 * transcript risks its request size limits and timeouts, so the first request stays small and predictable.
 */
export const MAX_INITIAL_EVENTS = 50
const MAX_INITIAL_BYTES = 256 * 1024

/** The opening events split into what `start_chat` carries and what follows; the first batch is never empty. */
export const splitOpeningEvents = (events: CustomerEvent[]): { initial: CustomerEvent[]; rest: CustomerEvent[] } => {
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

const sendRest = async (customer: CustomerSession, livechatChatId: string, rest: CustomerEvent[], log: Log) => {
  for (const event of rest) {
    await withSystemMessageFallback(
      [event],
      ([one]) => customer.call((api) => api.sendEvent({ chat_id: livechatChatId, event: one ?? event })),
      warnFallback(log)
    )
  }
}

/** What LiveChat answers for a chat the customer can no longer use. */
const GONE_CHAT_ERRORS = ['not_found', 'missing_access', 'chat_anonymized']

/** LiveChat says the customer can no longer use this chat: logged, and the caller starts a new one. */
const isGoneChat = (thrown: unknown, log: Log, livechatChatId: string): boolean => {
  if (!isLiveChatApiError(thrown) || !GONE_CHAT_ERRORS.includes(thrown.type)) return false
  log.debug('The customer’s previous LiveChat chat is gone; starting a new one', {
    livechatChatId,
    errorType: thrown.type,
  })
  return true
}

/** The customer's chat as LiveChat sees it now, or undefined when it is gone (archived away, other license). */
const findCustomerChat = async ({ customer, log }: Props) => {
  const livechatChatId = customer.identity().activeChatId
  if (!livechatChatId) return undefined
  try {
    const chat = await customer.call((api) => api.getChat({ chat_id: livechatChatId }))
    return { livechatChatId, thread: chat.thread ?? undefined }
  } catch (thrown) {
    if (isGoneChat(thrown, log, livechatChatId)) return undefined
    throw thrown
  }
}

/**
 * Opens the LiveChat chat for this hand-over, as the customer (Customer Chat API), routed to the group.
 *
 * Why the customer API: `start_chat` with `chat.access.group_ids` and `continuous: true` lets LiveChat's router queue
 * the chat in the group whether or not an agent is free. The old integration started the chat as an agent and then
 * transferred it, which needs a spare agent, fails when none is available, and fires transfer webhooks while the
 * HITL plugin has not yet marked the session active (they get dropped).
 *
 * LiveChat allows one chat per customer, and the same end user is the same customer across sessions, so:
 * - no chat yet: `start_chat` with the opening events;
 * - the chat exists but its thread is closed: `resume_chat` (same chat, so the agent sees the customer's history),
 *   tried first without reading the chat (see resumeKnownChat);
 * - its thread is still open (an earlier session that stopHitl could not close): that session is ended, the customer
 *   closes the thread and resumes the chat. One HITL session is always one thread and one conversation, so nothing
 *   the earlier session announced or stopped leaks into the new one, on any copy of the integration.
 */
export const openCustomerChat = async (props: Props): Promise<OpenedChat> => {
  const { customer, livechatGroupId } = props
  const access = { group_ids: [livechatGroupId] }
  const { initial, rest } = splitOpeningEvents(props.openingEvents)
  const knownChatId = customer.identity().activeChatId
  const existing = knownChatId ? await resumeKnownChat(props, knownChatId, access, initial) : undefined

  if (!existing) {
    const started = await withSystemMessageFallback(
      initial,
      (events) =>
        customer.call((api) => api.startChat({ chat: { access, thread: { events } }, active: true, continuous: true })),
      warnFallback(props.log)
    )
    await sendRest(customer, started.chat_id, rest, props.log)
    return { livechatChatId: started.chat_id, livechatThreadId: started.thread_id, how: 'started' }
  }

  await sendRest(customer, existing.livechatChatId, rest, props.log)
  return existing
}

const resume = (props: Props, livechatChatId: string, access: { group_ids: number[] }, initial: CustomerEvent[]) =>
  withSystemMessageFallback(
    initial,
    (events) =>
      props.customer.call((api) =>
        api.resumeChat({ chat: { id: livechatChatId, access, thread: { events } }, active: true, continuous: true })
      ),
    warnFallback(props.log)
  )

/**
 * Resumes the customer's chat without reading it first: a HITL session ends by closing the chat, so a closed thread is
 * the common case, and reading first would put one more round trip on startHitl's critical path. Only when LiveChat
 * refuses is the chat read, to tell a thread still open (closed, then resumed) from a chat that is gone (undefined:
 * the caller starts a new one) and from any other refusal (thrown as LiveChat gave it).
 */
const resumeKnownChat = async (
  props: Props,
  livechatChatId: string,
  access: { group_ids: number[] },
  initial: CustomerEvent[]
): Promise<OpenedChat | undefined> => {
  const { customer, log } = props
  try {
    const resumed = await resume(props, livechatChatId, access, initial)
    return { livechatChatId, livechatThreadId: resumed.thread_id, how: 'resumed' }
  } catch (thrown) {
    if (!isLiveChatApiError(thrown)) throw thrown
    if (isGoneChat(thrown, log, livechatChatId)) return undefined
    const existing = await findCustomerChat(props)
    if (!existing) return undefined
    if (!existing.thread?.active) throw thrown
    await props.endEarlierSession(livechatChatId, existing.thread.id)
    log.info('The customer’s LiveChat chat was still open from an earlier session: closing it to start anew', {
      livechatChatId,
      livechatThreadId: existing.thread.id,
    })
    await customer.call((api) => api.deactivateChat({ id: livechatChatId }))
    const resumed = await resume(props, livechatChatId, access, initial)
    return { livechatChatId, livechatThreadId: resumed.thread_id, how: 'restarted' }
  }
}
