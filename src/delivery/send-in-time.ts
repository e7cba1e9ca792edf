import { Deadline } from '../botpress/deadline'
import type { RichMessageElement } from '../livechat'
import { CustomerEvent, SYSTEM_MESSAGE_TYPES } from '../mapping/events'
import { MAX_TEXT_BYTES } from '../mapping/split-text'

/** Room kept below LiveChat's 16 KB for the "Bot notice: " label the system-message fallback may add. */
const LABEL_ROOM = 64

const elementLines = (element: RichMessageElement): string[] =>
  [
    element.title,
    element.subtitle,
    element.image?.url,
    ...(element.buttons ?? []).map((button) =>
      button.type === 'url' ? `• ${button.text}: ${button.value}` : `• ${button.text}`
    ),
  ].filter((line): line is string => Boolean(line))

/** What the agent would have seen, as text: texts as they are, files and images as their links. */
const asText = (event: CustomerEvent): string => {
  switch (event.type) {
    case 'message':
    case 'system_message':
      return event.text
    case 'file':
      return event.url
    case 'rich_message':
      return event.elements.flatMap(elementLines).join('\n')
    default:
      return event satisfies never
  }
}

/** The end of `text` in at most `maxBytes` of UTF-8 (the latest part matters most), marked "…" when cut. */
const tailOf = (text: string, maxBytes: number): string => {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= maxBytes) return text
  // A cut inside a character decodes as U+FFFD, which is dropped.
  const kept = bytes.subarray(bytes.length - (maxBytes - 3)).toString('utf8')
  return `…${kept.replace(/^\uFFFD+/, '')}`
}

/** Events not sent in time, as one notice (the first one's `custom_id`) within 16 KB, keeping the end if cut. */
export const leftOutNotice = (events: CustomerEvent[], what: string): CustomerEvent => {
  const heading = `Not sent in time: ${events.length} more events of ${what}, here as text:`
  const room = MAX_TEXT_BYTES - LABEL_ROOM - Buffer.byteLength(`${heading}\n`, 'utf8')
  const customId = events[0]?.custom_id
  return {
    type: 'system_message',
    system_message_type: SYSTEM_MESSAGE_TYPES.notice,
    text: `${heading}\n${tailOf(events.map(asText).join('\n'), room)}`,
    ...(customId && { custom_id: customId }),
  }
}

/**
 * Sends the events in order while the deadline allows. Once it has passed, what is left (two events or more) goes as
 * one notice that says so: the agent still sees it, and no call starts after that one.
 */
export const sendInTime = async <T>(props: {
  events: CustomerEvent[]
  deadline: Deadline
  /** What the events are part of, for the notice: "this message", "the conversation so far". */
  what: string
  send: (event: CustomerEvent) => Promise<T>
  onLeftOut: (count: number) => void
}): Promise<T[]> => {
  const { events, deadline } = props
  const sent: T[] = []
  for (const [index, event] of events.entries()) {
    if (index < events.length - 1 && deadline.expired()) {
      const rest = events.slice(index)
      props.onLeftOut(rest.length)
      sent.push(await props.send(leftOutNotice(rest, props.what)))
      return sent
    }
    sent.push(await props.send(event))
  }
  return sent
}
