import { describe, expect, it } from 'vitest'
import { Deadline } from '../botpress/deadline'
import { CustomerEvent } from '../mapping/events'
import { MAX_TEXT_BYTES } from '../mapping/split-text'
import { leftOutNotice, sendInTime } from './send-in-time'

const message = (text: string, custom_id?: string): CustomerEvent => ({ type: 'message', text, custom_id })

/** A deadline that passes after `calls` questions, whatever the clock says. */
const passingAfter = (calls: number): Deadline => {
  let asked = 0
  return { remainingMs: () => Math.max(0, calls - asked), expired: () => ++asked > calls }
}

describe('leftOutNotice', () => {
  it('says how many events of what were left out, and holds them as text, media as links', () => {
    const notice = leftOutNotice(
      [
        message('hello', 'm#2'),
        { type: 'file', url: 'https://cdn.test/a.png' },
        {
          type: 'rich_message',
          template_id: 'cards',
          elements: [
            {
              title: 'Shoes',
              image: { url: 'https://cdn.test/s.png' },
              buttons: [
                { type: 'url', text: 'Buy', value: 'https://shop.test', postback_id: 'u', user_ids: [] },
                { type: 'message', text: 'More', value: 'more', postback_id: 'm', user_ids: [] },
              ],
            },
          ],
        },
      ],
      'this message'
    )
    expect(notice).toEqual({
      type: 'system_message',
      system_message_type: 'botpress.notice',
      custom_id: 'm#2',
      text: [
        'Not sent in time: 3 more events of this message, here as text:',
        'hello',
        'https://cdn.test/a.png',
        'Shoes',
        'https://cdn.test/s.png',
        '• Buy: https://shop.test',
        '• More',
      ].join('\n'),
    })
  })

  it('stays within LiveChat’s 16 KB, keeping the end, whole characters only', () => {
    const events = Array.from({ length: 40 }, (_, i) => message(`${i} ${'é'.repeat(1_000)}`))
    const notice = leftOutNotice(events, 'the conversation so far')
    const text = 'text' in notice ? notice.text : ''
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_TEXT_BYTES - 12)
    expect(text).toMatch(/^Not sent in time: 40 more events of the conversation so far, here as text:\n…/)
    expect(text).not.toContain('\uFFFD')
    expect(text).toMatch(/39 é+$/)
  })
})

describe('sendInTime', () => {
  const run = async (events: CustomerEvent[], deadline: Deadline) => {
    const sent: CustomerEvent[] = []
    const leftOut: number[] = []
    await sendInTime({
      events,
      deadline,
      what: 'this message',
      send: async (event) => sent.push(event),
      onLeftOut: (count) => leftOut.push(count),
    })
    return { sent, leftOut }
  }
  const five = ['a', 'b', 'c', 'd', 'e'].map((text) => message(text))

  it('sends every event in order while there is time', async () => {
    const { sent, leftOut } = await run(five, passingAfter(100))
    expect(sent).toEqual(five)
    expect(leftOut).toEqual([])
  })

  it('once the deadline has passed, sends what is left as one notice and starts nothing after it', async () => {
    const { sent, leftOut } = await run(five, passingAfter(2))
    expect(sent.slice(0, 2)).toEqual(five.slice(0, 2))
    expect(sent).toHaveLength(3)
    expect(sent[2]).toMatchObject({ type: 'system_message', text: expect.stringMatching(/^Not sent in time: 3 more/) })
    expect(leftOut).toEqual([3])
  })

  it('sends a single event left as it is: the notice would cost the same call', async () => {
    const { sent, leftOut } = await run(five, passingAfter(4))
    expect(sent).toEqual(five)
    expect(leftOut).toEqual([])
  })
})
