import { messageHistoryItemSchema } from '../definitions/hitl-interface'
import { HistoryEntry } from '../delivery/transcript'

/**
 * `messageHistory` as startHitl may receive it: the runtime does not check action inputs, and an older HITL caller
 * may leave it out. Entries not in the hitl 2.1.0 shapes are counted, not sent: a gap beats no hand-over at all.
 */
export const readHistory = (raw: unknown): { entries: HistoryEntry[]; unreadable: number } => {
  if (!Array.isArray(raw)) return { entries: [], unreadable: 0 }
  const entries: HistoryEntry[] = []
  for (const item of raw) {
    const parsed = messageHistoryItemSchema.safeParse(item)
    if (parsed.success) {
      // The schema HistoryEntry is generated from; zui's inference loses the pairing of `type` and `payload`.
      entries.push(parsed.data as HistoryEntry)
    }
  }
  return { entries, unreadable: raw.length - entries.length }
}
