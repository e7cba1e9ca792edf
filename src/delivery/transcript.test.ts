import { describe, expect, it } from 'vitest'
import { deadlineIn } from '../botpress/deadline'
import { Log } from '../botpress/log'
import { CustomerClient } from '../customer/token'
import { CustomerEvent } from '../mapping/events'
import {
  HistoryEntry,
  MAX_TRANSCRIPT_BYTES,
  MAX_TRANSCRIPT_ENTRIES,
  MAX_TRANSCRIPT_EVENTS,
  buildTranscript,
} from './transcript'

const silent: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }
/** No medium in these histories, so the customer is never called. */
const customer: CustomerClient = {
  current: () => {
    throw new Error('not used')
  },
  call: () => Promise.reject(new Error('not used')),
}

const text = (i: number, size = 0): HistoryEntry => ({
  source: i % 2 === 0 ? { type: 'user', userId: 'u1' } : { type: 'bot' },
  type: 'text',
  payload: { text: `m${i} ${'x'.repeat(size)}` },
})
/** A bloc of `items` texts: one history entry, as many LiveChat events. */
const bloc = (i: number, items: number): HistoryEntry => ({
  source: { type: 'user', userId: 'u1' },
  type: 'bloc',
  payload: { items: Array.from({ length: items }, (_, j) => ({ type: 'text', payload: { text: `b${i}.${j}` } })) },
})

const transcriptOf = (messageHistory: HistoryEntry[]) =>
  buildTranscript({
    customer,
    log: silent,
    botpressUserId: 'u1',
    title: 'T',
    messageHistory,
    deadline: deadlineIn(60_000),
  })

const bytesOf = (events: CustomerEvent[]) =>
  events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event), 'utf8'), 0)
const textsOf = (events: CustomerEvent[]) => events.map((event) => ('text' in event ? event.text : event.type))

describe('buildTranscript caps', () => {
  it('keeps the latest entries within the entry cap and says how many earlier ones are left out', async () => {
    const events = await transcriptOf(Array.from({ length: MAX_TRANSCRIPT_ENTRIES + 3 }, (_, i) => text(i)))
    expect(events.slice(0, 3)).toMatchObject([
      { type: 'message', text: 'T' },
      { type: 'system_message', text: expect.stringMatching(/^3 earlier messages not shown/) },
      { type: 'system_message', text: 'Bot: m3 ' },
    ])
    expect(events).toHaveLength(MAX_TRANSCRIPT_ENTRIES + 2)
  })

  it('keeps the events within the event cap, dropping whole entries from the start', async () => {
    // 40 entries of 10 events each: 400 events, far above the cap.
    const events = await transcriptOf(Array.from({ length: 40 }, (_, i) => bloc(i, 10)))
    expect(events.length).toBeLessThanOrEqual(MAX_TRANSCRIPT_EVENTS)
    const omitted = 40 - (events.length - 2) / 10
    expect(events[1]).toMatchObject({ type: 'system_message', text: expect.stringMatching(`^${omitted} earlier`) })
    expect(textsOf(events.slice(2, 3))).toEqual([`b${omitted}.0`])
    expect(textsOf(events).at(-1)).toBe('b39.9')
  })

  it('keeps the bytes within the byte cap, and the line says what the caps are', async () => {
    // 100 entries of 8 KB: 800 KB of text.
    const events = await transcriptOf(Array.from({ length: 100 }, (_, i) => text(i, 8 * 1024)))
    expect(bytesOf(events)).toBeLessThanOrEqual(MAX_TRANSCRIPT_BYTES)
    expect(events.length).toBeGreaterThan(40)
    const line = events[1]
    expect(line).toMatchObject({ type: 'system_message', system_message_type: 'botpress.notice' })
    expect(line && 'text' in line && line.text).toMatch(
      new RegExp(`^\\d+ earlier messages not shown .*${MAX_TRANSCRIPT_BYTES / 1024} KB`)
    )
    expect(textsOf(events).at(-1)).toMatch(/^Bot: m99 /)
  })

  it('sends everything, with no line, when the history fits', async () => {
    const events = await transcriptOf([text(0), bloc(1, 3)])
    expect(textsOf(events)).toEqual(['T', 'm0 ', 'b1.0', 'b1.1', 'b1.2'])
  })
})
