import { describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES, parseWebhook, readJsonBody } from './parse'

const request = (body: string | undefined, method = 'POST') => ({ method, path: '/', query: '', headers: {}, body })

describe('readJsonBody', () => {
  it.each([
    ['a GET', request('{}', 'GET'), 405],
    ['an empty body', request('  '), 400],
    ['no body', request(undefined), 400],
    ['a body above the limit', request(`"${'x'.repeat(MAX_BODY_BYTES)}"`), 413],
    ['malformed JSON', request('{"action": '), 400],
    ['a JSON array', request('[1, 2]'), 400],
  ])('refuses %s with %i', (_description, req, status) => {
    const result = readJsonBody(req)
    expect(result.success).toBe(false)
    expect(result.success ? undefined : result.error.status).toBe(status)
  })

  it('takes a body a relay already decoded, and a request without a method', () => {
    const decoded = { method: undefined as unknown as string, path: '/', query: '', headers: {}, body: undefined }
    const req = { ...decoded, body: { action: 'incoming_event' } as unknown as string }
    expect(readJsonBody(req)).toEqual({ success: true, data: { action: 'incoming_event' } })
  })

  it('returns the decoded object', () => {
    expect(readJsonBody(request('{"action":"incoming_event"}'))).toEqual({
      success: true,
      data: { action: 'incoming_event' },
    })
  })
})

describe('parseWebhook', () => {
  const envelope = { webhook_id: 'w1', secret_key: 's', organization_id: 'o', additional_data: {} }

  it('tells an action it does not handle from a malformed one', () => {
    expect(parseWebhook({ ...envelope, action: 'thread_tagged', payload: { tag: 'x' } })).toMatchObject({
      kind: 'unhandled',
    })
  })

  it('names the missing field of a handled action', () => {
    const result = parseWebhook({ ...envelope, action: 'chat_deactivated', payload: { chat_id: 'C1' } })
    expect(result).toMatchObject({ kind: 'malformed' })
    expect(result.kind === 'malformed' ? result.error : '').toMatch(/payload\.thread_id/)
  })

  it('parses a handled action', () => {
    const result = parseWebhook({
      ...envelope,
      action: 'chat_deactivated',
      payload: { chat_id: 'C1', thread_id: 'T1' },
    })
    expect(result).toMatchObject({ kind: 'handled', webhook: { action: 'chat_deactivated' } })
  })
})
