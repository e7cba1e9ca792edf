import { isRefusedInput } from '../livechat'
import { CustomerEvent } from '../mapping/events'

/**
 * Bot lines and notices go as customer `system_message` events (sendable per LiveChat v3.6's customer data
 * structures). Should a LiveChat refuse them anyway, the text still reaches the agent, as a customer message that
 * says plainly it comes from the bot: losing it would be worse.
 */
const labelled = (text: string): string => (/^bot\b/i.test(text) ? text : `Bot notice: ${text}`)

const asLabelledMessage = (event: CustomerEvent): CustomerEvent =>
  event.type === 'system_message'
    ? { type: 'message', text: labelled(event.text), ...(event.custom_id && { custom_id: event.custom_id }) }
    : event

const refusedSystemMessages = (thrown: unknown, events: CustomerEvent[]): boolean =>
  isRefusedInput(thrown) && events.some((event) => event.type === 'system_message')

/** Sends `events` with `send`; on a refusal of system messages, once more with them as labelled messages. */
export const withSystemMessageFallback = async <T>(
  events: CustomerEvent[],
  send: (events: CustomerEvent[]) => Promise<T>,
  onFallback: () => void
): Promise<T> => {
  try {
    return await send(events)
  } catch (thrown) {
    if (!refusedSystemMessages(thrown, events)) throw thrown
    onFallback()
    return send(events.map(asLabelledMessage))
  }
}
