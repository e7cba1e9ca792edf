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

/**
 * The events a new thread opens with, built here whole: which history fits (the caps below), its media uploaded to
 * LiveChat's CDN, then the order and the attribution (buildOpeningEvents).
 */

const DEFAULT_TITLE = 'Conversation handed over by the bot'

const renderOpening = (title?: string, description?: string): string => {
  const heading = title?.trim() || DEFAULT_TITLE
  return description?.trim() ? `${heading}\n\n${description.trim()}` : heading
}

export type HistoryEntry = bp.actions.startHitl.input.Input['messageHistory'][number]

/** One history entry as the agent sees it: the end user's as the customer's events, the bot's labelled as the bot's. */
const historyEntryEvents = (entry: HistoryEntry, resolved: ResolvedMedia = new Map()): CustomerEvent[] =>
  toCustomerEvents(entry, { author: entry.source.type === 'user' ? 'customer' : 'bot', resolved })

/**
 * The events a new thread opens with: the title and description first (the agent reads them as the subject), then
 * `leftOut` (what of the history is not shown, if anything), then the history in order. End-user entries are the
 * customer's events; bot entries are system messages prefixed "Bot:" (a bot file or rich message follows its "Bot
 * sent …" line), so the agent never mistakes them for something the customer typed. Media not in `resolved` show as
 * links. Which entries to show is the caller's choice (fitTranscript).
 */
export const buildOpeningEvents = (
  props: { title?: string; description?: string; messageHistory: HistoryEntry[]; leftOut?: string },
  resolved: ResolvedMedia = new Map()
): CustomerEvent[] => [
  ...toCustomerMessages(renderOpening(props.title, props.description)),
  ...(props.leftOut ? toSystemMessages(props.leftOut, SYSTEM_MESSAGE_TYPES.notice) : []),
  ...props.messageHistory.flatMap((entry) => historyEntryEvents(entry, resolved)),
]

/**
 * At most this many media of a history are uploaded (the latest ones); older ones show as links. Each upload is a
 * download plus a LiveChat call, and startHitl must answer in reasonable time.
 */
export const MAX_TRANSCRIPT_UPLOADS = 24

/**
 * The transcript shows the latest history entries that fit all three caps; the earlier ones are left out, and one line
 * says how many. LiveChat documents no limit on a thread's events, but past the first request each event is one
 * `send_event` round trip on startHitl's critical path, and an agent does not read megabytes of history: the events
 * cap bounds the time, the bytes cap what the agent scrolls (and what rides in the requests).
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
 * The latest history entries whose events fit the caps with the title, the description and the left-out line, each
 * entry whole. Measured before any upload, with every medium counted as uploaded, so that only media of entries
 * that are shown get uploaded.
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

/** The opening events of a new thread: title and description, then the history that fits the caps, media uploaded. */
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
