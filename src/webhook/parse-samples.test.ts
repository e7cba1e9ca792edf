import { describe, expect, it } from 'vitest'
import { webhookEnvelopeSchema } from '../livechat'
import samples from '../livechat/fixtures/webhook-samples.json'
import { parseWebhook } from './parse'
import { routeOf } from './registry'

type Sample = { title: string; body: unknown }
const all: Sample[] = Object.values(samples)
const clone = <T>(value: T): T => structuredClone(value)

describe('LiveChat webhook parsing (reference §11 samples)', () => {
  it.each(all)('reads the envelope of $title', ({ body }) => {
    expect(webhookEnvelopeSchema.safeParse(body).success).toBe(true)
  })

  it.each(all)('parses $title as handled or as a known-good unhandled action', ({ body }) => {
    const result = parseWebhook(body)
    expect(result.kind).not.toBe('malformed')
  })

  it('parses every handled action with the schema of its route', () => {
    const handled = all.filter(({ body }) => parseWebhook(body).kind === 'handled')
    expect(handled).toHaveLength(12)
    for (const { body } of handled) {
      expect(routeOf(webhookEnvelopeSchema.parse(body).action)?.read(body).success).toBe(true)
    }
  })

  it('reports actions it does not handle as unhandled, not malformed', () => {
    const actions = all
      .map(({ body }) => parseWebhook(body))
      .flatMap((r) => (r.kind === 'unhandled' ? [r.envelope.action] : []))
    expect(actions).toEqual([
      'user_removed_from_chat',
      'incoming_chat',
      'incoming_rich_message_postback',
      'thread_tagged',
      'event_properties_updated',
    ])
  })

  it('narrows an agent text message to a message event with its text and author', () => {
    const result = parseWebhook(samples['TV-1'].body)
    if (result.kind !== 'handled' || result.webhook.action !== 'incoming_event') {
      throw new Error(`unexpected ${result.kind}`)
    }
    const { event } = result.webhook.payload
    expect(event.type).toBe('message')
    if (event.type === 'message') {
      expect(event.text).toBe('Hello')
      expect(event.author_id).toBe('smith@example.com')
    }
    expect(result.webhook.additional_data?.chat_presence_user_ids).toContain('smith@example.com')
  })

  it('keeps file metadata and accepts a document without thumbnails nor additional_data', () => {
    const image = parseWebhook(samples['TV-3'].body)
    const doc = parseWebhook(samples['TV-4'].body)
    expect(
      image.kind === 'handled' && image.webhook.action === 'incoming_event' && image.webhook.payload.event
    ).toMatchObject({
      type: 'file',
      content_type: 'image/png',
      width: 640,
    })
    expect(
      doc.kind === 'handled' && doc.webhook.action === 'incoming_event' && doc.webhook.payload.event
    ).toMatchObject({
      type: 'file',
      name: 'invoice.pdf',
    })
  })

  it('accepts a system message without author', () => {
    const result = parseWebhook(samples['TV-6'].body)
    expect(
      result.kind === 'handled' && result.webhook.action === 'incoming_event' && result.webhook.payload.event
    ).toMatchObject({
      type: 'system_message',
      system_message_type: 'manual_archived_agent',
    })
  })

  it('accepts chat_deactivated without user_id when the router closed the chat', () => {
    const result = parseWebhook(samples['TV-8'].body)
    expect(
      result.kind === 'handled' && result.webhook.action === 'chat_deactivated' && result.webhook.payload.user_id
    ).toBe(undefined)
  })

  it('accepts chat_transferred with a queue and without additional_data, and one without requester nor queue', () => {
    expect(parseWebhook(samples['TV-9'].body).kind).toBe('handled')
    expect(parseWebhook(samples['TV-10'].body).kind).toBe('handled')
  })

  it('keeps an unknown event type as "other" with its LiveChat type', () => {
    const body = clone(samples['TV-1'].body)
    Object.assign(body.payload.event, { type: 'deleted_event' })
    const result = parseWebhook(body)
    expect(
      result.kind === 'handled' && result.webhook.action === 'incoming_event' && result.webhook.payload.event
    ).toMatchObject({
      type: 'other',
      original_type: 'deleted_event',
    })
  })

  it('accepts the fields it never reads being absent: event created_at, reason, and the user type beside user_type', () => {
    const { created_at: _createdAt, ...event } = samples['TV-1'].body.payload.event
    const message = { ...samples['TV-1'].body, payload: { ...samples['TV-1'].body.payload, event } }
    const { reason: _transferReason, ...transferPayload } = samples['TV-9'].body.payload
    const transfer = { ...samples['TV-9'].body, payload: transferPayload }
    const { reason: _joinReason, user, ...joinPayload } = samples['TV-11'].body.payload
    const { type: _userType, ...userWithoutType } = user
    const joined = { ...samples['TV-11'].body, payload: { ...joinPayload, user: userWithoutType } }
    for (const body of [message, transfer, joined]) {
      expect(parseWebhook(body).kind).toBe('handled')
    }
  })

  it('keeps unknown fields', () => {
    const body = clone(samples['TV-7'].body)
    Object.assign(body.payload, { brand_new: 1 })
    const result = parseWebhook(body)
    expect(result.kind === 'handled' && result.webhook.payload).toMatchObject({ brand_new: 1 })
  })

  it('fails a body missing payload.chat_id and names the field', () => {
    const body = clone(samples['TV-7'].body)
    Reflect.deleteProperty(body.payload, 'chat_id')
    const result = parseWebhook(body)
    expect(result.kind).toBe('malformed')
    expect(result.kind === 'malformed' && result.error).toMatch(/payload\.chat_id/)
  })

  it('fails a message event without text and names payload.event.text', () => {
    const body = clone(samples['TV-1'].body)
    Reflect.deleteProperty(body.payload.event, 'text')
    const result = parseWebhook(body)
    expect(result.kind === 'malformed' && result.error).toMatch(/payload\.event\.text/)
  })

  it('tells a body without an action from an unknown action', () => {
    const body = clone(samples['TV-7'].body)
    Reflect.deleteProperty(body, 'action')
    expect(parseWebhook(body).kind).toBe('malformed')
    expect(parseWebhook({ ...clone(samples['TV-7'].body), action: 'brand_new_action' }).kind).toBe('unhandled')
  })

  it('never puts the secret or customer text in its error', () => {
    const body = clone(samples['TV-1'].body)
    Object.assign(body.payload.event, { text: 42 })
    const result = parseWebhook(body)
    expect(result.kind === 'malformed' && result.error).not.toMatch(/laudla991lamda0pnoaa0|Hello/)
  })
})
