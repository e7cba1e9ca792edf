import { Deadline, handlerDeadline } from '../botpress/deadline'
import { describeError, toRuntimeError } from '../botpress/errors'
import { Log, LogFields, createLog } from '../botpress/log'
import { CustomerClient } from '../customer/token'
import { uploadMedia } from '../delivery/media'
import { sendInTime } from '../delivery/send-in-time'
import { withSystemMessageFallback } from '../delivery/system-messages'
import { CustomerEvent, toCustomerEvents } from '../mapping/events'
import { mediaToUpload, toParts } from '../mapping/parts'
import { OutgoingMessage } from '../mapping/text'
import { resolveChatContext } from './chat-context'
import { HitlMessageProps } from './types'

/** The HITL plugin re-posts what the end user wrote with `payload.userId` set to the end user; nothing else has it. */
const endUserIdOf = (message: OutgoingMessage): string | undefined =>
  'userId' in message.payload ? message.payload.userId : undefined

type Sending = {
  customer: CustomerClient
  livechatChatId: string
  fromEndUser: boolean
  log: Log
  fields: LogFields
  deadline: Deadline
}

/** The message's events in order, each one `send_event`, until the deadline; returns the LiveChat event ids. */
const sendEvents = async (sending: Sending, events: CustomerEvent[]): Promise<string[]> => {
  const { customer, livechatChatId, fromEndUser, log } = sending
  const sent = await sendInTime({
    events,
    deadline: sending.deadline,
    what: 'this message',
    send: (event) =>
      withSystemMessageFallback(
        [event],
        ([one]) =>
          customer.call((api) =>
            api.sendEvent({
              chat_id: livechatChatId,
              event: one ?? event,
              ...(!fromEndUser && { attach_to_last_thread: true }),
            })
          ),
        () => log.warn('LiveChat refused a system message from the customer: sent it as a labelled message', {})
      ),
    onLeftOut: (count) =>
      log.warn('Out of time: the rest of the message went as one notice', { ...sending.fields, count }),
  })
  return sent.map((answer) => answer.event_id)
}

/**
 * The message is in the chat by now: a failed ack only leaves the Botpress message without its LiveChat event id
 * (echoes are told apart by their author anyway), so it must not report a delivered message as failed.
 */
const ackSent = (props: HitlMessageProps, sent: { log: Log; fields: LogFields; livechatEventId: string }) =>
  props.ack({ tags: { id: sent.livechatEventId } }).catch((thrown: unknown) => {
    sent.log.warn('Sent the message to LiveChat but could not tag it with the LiveChat event id', {
      ...sent.fields,
      livechatEventId: sent.livechatEventId,
      ...describeError(thrown),
    })
  })

/**
 * One Botpress message on the `hitl` channel into the LiveChat chat (rendering: src/mapping/events.ts).
 *
 * - With `payload.userId`: the end user wrote it, so it goes as the customer's events (`message`, `file`,
 *   `rich_message`), the Botpress message id as `custom_id`, in order, text split above 16 KB.
 * - Without: a notice from the bot or the HITL plugin ("( The user has ended the session. )"). Text goes as a system
 *   message of our own type, so the agent never reads it as typed by the customer; a file or rich message follows a
 *   "Bot sent …" system message. `attach_to_last_thread` lets a late notice land in the thread that just closed.
 * - Media are uploaded to LiveChat's CDN first (file events must point there); one that cannot be fetched or
 *   uploaded reaches the agent as its link, with a warning in the bot's logs.
 * - One deadline for the whole message (src/botpress/deadline.ts): past it no upload starts (those media go as links),
 *   and the events not sent yet go as one notice that says so (src/delivery/send-in-time.ts).
 *
 * The message is acked with the first LiveChat event id (a failed ack is only a warning). Any failure to write into the
 * chat is a RuntimeError: the runtime then reports the message as failed instead of losing it silently.
 */
export const sendMessage = async (props: HitlMessageProps, message: OutgoingMessage): Promise<void> => {
  const log = createLog(props.logger)
  const deadline = handlerDeadline()
  const botpressConversationId = props.conversation.id
  const botpressMessageId = props.message.id
  const fromEndUser = endUserIdOf(message) !== undefined

  try {
    const { livechatChatId, customer } = await resolveChatContext({ ...props, log })
    const fields = { botpressConversationId, botpressMessageId, livechatChatId }
    const resolved = await uploadMedia(customer, mediaToUpload(toParts(message)), { log, fields, deadline })
    const events = toCustomerEvents(message, {
      author: fromEndUser ? 'customer' : 'notice',
      resolved,
      customId: botpressMessageId,
    })
    const eventIds = await sendEvents({ customer, livechatChatId, fromEndUser, log, fields, deadline }, events)
    const [firstEventId] = eventIds
    if (firstEventId) await ackSent(props, { log, fields, livechatEventId: firstEventId })
    log.debug(fromEndUser ? 'Sent the end user’s message to LiveChat' : 'Sent a notice to LiveChat', {
      ...fields,
      livechatEventId: firstEventId,
      count: eventIds.length,
    })
  } catch (thrown) {
    log.error('Could not send the message to LiveChat', {
      botpressConversationId,
      botpressMessageId,
      ...describeError(thrown),
    })
    throw toRuntimeError(thrown, `Could not send the ${message.type} message to LiveChat`)
  }
}
