import {
  CustomerEvent,
  HistoryEntry,
  buildOpeningEvents,
  mediaToUpload,
  toParts,
  transcriptEntries,
} from '../mapping/to-livechat'
import { CustomerSession } from '../misc/customer-token'
import { Log } from '../misc/log'
import { uploadMedia } from './media'

/**
 * At most this many media of a history are uploaded (the latest ones); older ones show as links. Each upload is a
 * download plus a LiveChat call, and startHitl must answer in reasonable time.
 */
export const MAX_TRANSCRIPT_UPLOADS = 24

/**
 * The opening events of a new thread: title and description, then the history with its media uploaded to LiveChat's
 * CDN (src/mapping/to-livechat.ts `buildOpeningEvents` decides the order and the attribution).
 */
export const buildTranscript = async (props: {
  customer: CustomerSession
  log: Log
  botpressUserId: string
  title?: string
  description?: string
  messageHistory: HistoryEntry[]
}): Promise<CustomerEvent[]> => {
  const { entries } = transcriptEntries(props.messageHistory)
  const media = entries.flatMap((entry) => mediaToUpload(toParts(entry))).slice(-MAX_TRANSCRIPT_UPLOADS)
  const resolved = await uploadMedia(props.customer, media, {
    log: props.log,
    fields: { botpressUserId: props.botpressUserId },
  })
  return buildOpeningEvents(props, resolved)
}
