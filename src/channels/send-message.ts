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
import { HitlMessageProps, resolveChatContext } from './chat-context'

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

/** A failed ack only leaves the message without its LiveChat event id: it must not report a sent message as failed. */
const ackSent = (props: HitlMessageProps, sent: { log: Log; fields: LogFields; livechatEventId: string }) =>
  props.ack({ tags: { id: sent.livechatEventId } }).catch((thrown: unknown) => {
    sent.log.warn('Sent the message to LiveChat but could not tag it with the LiveChat event id', {
      ...sent.fields,
      livechatEventId: sent.livechatEventId,
      ...describeError(thrown),
    })
  })

/**
 * One Botpress message on the `hitl` channel into the LiveChat chat: the end user's (with `payload.userId`) as the
 * customer's events, anything else as a notice (src/mapping/events.ts). Media are uploaded first; one deadline covers
 * the whole message. A notice may land in the thread that just closed (`attach_to_last_thread`). Any failure to write
 * is a RuntimeError, so the runtime reports the message as failed instead of losing it silently.
 */
export const sendMessage = async (props: HitlMessageProps, message: OutgoingMessage): Promise<void> => {
  const log = createLog(props.logger)
  const deadline = handlerDeadline()
  const botpressConversationId = props.conversation.id
  const botpressMessageId = props.message.id
  // The HITL plugin re-posts what the end user wrote with `payload.userId` set; nothing else has it.
  const fromEndUser = 'userId' in message.payload && message.payload.userId !== undefined

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
