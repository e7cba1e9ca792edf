import { messageHistoryItemSchema } from '../definitions/hitl-interface'
import { HistoryEntry } from '../delivery/transcript'

/**
 * `messageHistory` as startHitl may really receive it: the runtime (SDK 0.10.10) does not check action inputs, and a
 * caller on an older HITL contract may leave it out. Entries that do not match the hitl 2.1.0 shapes are counted, not
 * sent: a transcript with a gap (said in the log) is better than no hand-over at all.
 */
export const readHistory = (raw: unknown): { entries: HistoryEntry[]; unreadable: number } => {
  if (!Array.isArray(raw)) {
    return { entries: [], unreadable: 0 }
  }
  const entries: HistoryEntry[] = []
  for (const item of raw) {
    const parsed = messageHistoryItemSchema.safeParse(item)
    if (parsed.success) {
      // The same schema the generated HistoryEntry type is made from; zui's inference loses the per-type pairing of
      // `type` and `payload`, so the parsed value is named with the generated type.
      entries.push(parsed.data as HistoryEntry)
    }
  }
  return { entries, unreadable: raw.length - entries.length }
}
