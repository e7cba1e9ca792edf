import { describe, expect, it } from 'vitest'
import { readHistory } from './history'

describe('readHistory', () => {
  it('treats a missing history as an empty one', () => {
    expect(readHistory(undefined)).toEqual({ entries: [], unreadable: 0 })
  })

  it('keeps the entries in the hitl 2.1.0 shapes, in order, and counts the others', () => {
    const text = { source: { type: 'user', userId: 'u1' }, type: 'text', payload: { text: 'hi' } }
    const image = { source: { type: 'bot' }, type: 'image', payload: { imageUrl: 'https://example.com/a.png' } }
    const wrong = [
      { source: { type: 'bot' }, type: 'text', payload: {} },
      { source: { type: 'robot' }, type: 'text', payload: { text: 'x' } },
      { type: 'sticker', payload: {} },
      'hello',
    ]
    expect(readHistory([text, ...wrong, image])).toEqual({ entries: [text, image], unreadable: 4 })
  })
})
