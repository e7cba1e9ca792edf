import { Deadline } from '../botpress/deadline'
import { Log } from '../botpress/log'
import { CustomerClient } from '../customer/token'
import {
  CustomerEvent,
  SYSTEM_MESSAGE_TYPES,
  toCustomerEvents,
  toCustomerMessages,
  toSystemMessages,
} from '../mapping/events'
import { mediaToUpload, toParts } from '../mapping/parts'
import { ResolvedMedia } from '../mapping/text'
import { uploadMedia } from './media'
import * as bp from '.botpress'

const DEFAULT_TITLE = 'Conversation handed over by the bot'

const renderOpening = (title?: string, description?: string): string => {
  const heading = title?.trim() || DEFAULT_TITLE
  return description?.trim() ? `${heading}\n\n${description.trim()}` : heading
}

export type HistoryEntry = bp.actions.startHitl.input.Input['messageHistory'][number]

/** One history entry as the agent sees it: the end user's as the customer's events, the bot's labelled as the bot's. */
const historyEntryEvents = (entry: HistoryEntry, resolved: ResolvedMedia): CustomerEvent[] =>
  toCustomerEvents(entry, { author: entry.source.type === 'user' ? 'customer' : 'bot', resolved })

/**
 * The events a new thread opens with: title and description (the agent reads them as the subject), the `leftOut` line,
 * then the history in order, attributed (src/mapping/events.ts). Media not in `resolved` show as links.
 */
export const buildOpeningEvents = (
  props: { title?: string; description?: string; messageHistory: HistoryEntry[]; leftOut?: string },
  resolved: ResolvedMedia = new Map()
): CustomerEvent[] => [
  ...toCustomerMessages(renderOpening(props.title, props.description)),
  ...(props.leftOut ? toSystemMessages(props.leftOut, SYSTEM_MESSAGE_TYPES.notice) : []),
  ...props.messageHistory.flatMap((entry) => historyEntryEvents(entry, resolved)),
]

/** The latest media uploaded at most (older ones show as links): each is a download plus a LiveChat call. */
export const MAX_TRANSCRIPT_UPLOADS = 24

/**
 * LiveChat documents no limit on a thread's events, but past the first request each is one `send_event` on startHitl's
 * path (the events cap bounds the time), and an agent does not read megabytes of history (the bytes cap).
 */
export const MAX_TRANSCRIPT_ENTRIES = 200
export const MAX_TRANSCRIPT_EVENTS = 250
export const MAX_TRANSCRIPT_BYTES = 512 * 1024

type TranscriptProps = { title?: string; description?: string; messageHistory: HistoryEntry[] }

const bytesOf = (events: CustomerEvent[]): number =>
  events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event), 'utf8'), 0)

/** Every medium counted as uploaded: a bot's file is then two events ("Bot sent …" and the file), its link only one. */
const allUploaded = (entry: HistoryEntry): ResolvedMedia =>
  new Map(
    mediaToUpload(toParts(entry)).map((media) => [
      media.url,
      { ok: true, url: media.url, name: media.kind, contentType: '' },
    ])
  )

const leftOutLine = (omitted: number): string =>
  `${omitted} earlier messages not shown (the transcript holds the latest ones that fit in ${MAX_TRANSCRIPT_ENTRIES} ` +
  `messages, ${MAX_TRANSCRIPT_EVENTS} events and ${MAX_TRANSCRIPT_BYTES / 1024} KB)`

/**
 * The latest whole entries that fit the caps with the title, description and left-out line. Measured before any
 * upload, every medium counted as uploaded, so that only media of entries shown get uploaded.
 */
const fitTranscript = (props: TranscriptProps): { entries: HistoryEntry[]; leftOut?: string } => {
  const history = props.messageHistory
  const fixed = buildOpeningEvents({ ...props, messageHistory: [], leftOut: leftOutLine(history.length) })
  let events = fixed.length
  let bytes = bytesOf(fixed)
  let kept = 0
  for (const entry of history.slice(-MAX_TRANSCRIPT_ENTRIES).reverse()) {
    const rendered = historyEntryEvents(entry, allUploaded(entry))
    events += rendered.length
    bytes += bytesOf(rendered)
    if (events > MAX_TRANSCRIPT_EVENTS || bytes > MAX_TRANSCRIPT_BYTES) break
    kept++
  }
  const omitted = history.length - kept
  return { entries: history.slice(omitted), ...(omitted > 0 && { leftOut: leftOutLine(omitted) }) }
}

export const buildTranscript = async (
  props: TranscriptProps & { customer: CustomerClient; log: Log; botpressUserId: string; deadline: Deadline }
): Promise<CustomerEvent[]> => {
  const { entries, leftOut } = fitTranscript(props)
  const media = entries.flatMap((entry) => mediaToUpload(toParts(entry))).slice(-MAX_TRANSCRIPT_UPLOADS)
  const resolved = await uploadMedia(props.customer, media, {
    log: props.log,
    fields: { botpressUserId: props.botpressUserId },
    deadline: props.deadline,
  })
  return buildOpeningEvents({ ...props, messageHistory: entries, ...(leftOut && { leftOut }) }, resolved)
}
