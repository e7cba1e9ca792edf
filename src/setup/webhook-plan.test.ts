import { describe, expect, it } from 'vitest'
import type { RegisteredWebhook } from '../livechat'
import { HITL_WEBHOOKS } from '../webhook/registry'
import { describeSpec, fingerprintOf, planWebhooks } from './webhook-plan'

const URL = 'https://webhook.botpress.cloud/abc'
const FINGERPRINT = fingerprintOf(URL, 'secret', HITL_WEBHOOKS)

const ourSet = (url = URL): RegisteredWebhook[] =>
  HITL_WEBHOOKS.map((spec, i) => ({
    id: `ours-${i}`,
    url,
    action: spec.action,
    ...(Object.keys(spec.filters).length ? { filters: { ...spec.filters } } : {}),
  }))

const stored = (ids: string[], fingerprint = FINGERPRINT) => ({ ids, fingerprint })
const plan = (listed: RegisteredWebhook[], ids: string[] | undefined, fingerprint = FINGERPRINT) =>
  planWebhooks({
    listed,
    stored: ids ? stored(ids, fingerprint) : undefined,
    url: URL,
    fingerprint: FINGERPRINT,
    specs: HITL_WEBHOOKS,
  })

describe('fingerprintOf', () => {
  it('changes with the secret and the URL, and never contains the secret', () => {
    expect(fingerprintOf(URL, 'other', HITL_WEBHOOKS)).not.toBe(FINGERPRINT)
    expect(fingerprintOf(`${URL}x`, 'secret', HITL_WEBHOOKS)).not.toBe(FINGERPRINT)
    expect(fingerprintOf(URL, 'secret', HITL_WEBHOOKS)).toBe(FINGERPRINT)
    expect(fingerprintOf(URL, 'a-very-recognisable-secret', HITL_WEBHOOKS)).not.toContain('recognisable')
  })
})

describe('planWebhooks', () => {
  it('registers the whole set on a fresh install', () => {
    const result = plan([], undefined)
    expect(result.register.map((spec) => spec.action)).toEqual(HITL_WEBHOOKS.map((spec) => spec.action))
    expect(result.remove).toEqual([])
  })

  it('keeps an up-to-date set untouched', () => {
    const listed = ourSet()
    const result = plan(
      listed,
      listed.map((w) => w.id)
    )
    expect(result.keep).toHaveLength(HITL_WEBHOOKS.length)
    expect(result.register).toEqual([])
    expect(result.remove).toEqual([])
  })

  it('replaces ours when the fingerprint changed (new secret)', () => {
    const listed = ourSet()
    const result = plan(
      listed,
      listed.map((w) => w.id),
      'old-fingerprint'
    )
    expect(result.remove.map((w) => w.id)).toEqual(listed.map((w) => w.id))
    expect(result.register).toHaveLength(HITL_WEBHOOKS.length)
  })

  it('re-registers only what was deleted by hand, and removes a duplicate of ours', () => {
    const listed = ourSet()
    const [first, ...rest] = listed
    const duplicate = { ...rest[0], id: 'ours-dup' } as RegisteredWebhook
    const result = plan([...rest, duplicate], [first?.id ?? '', ...rest.map((w) => w.id), 'ours-dup'])
    expect(result.register.map((spec) => spec.action)).toEqual([first?.action])
    expect(result.remove.map((w) => w.id)).toEqual(['ours-dup'])
  })

  it('replaces one of ours whose filter differs from the set', () => {
    const listed = ourSet().map((w) => (w.action === 'incoming_event' ? { ...w, filters: {} } : w))
    const result = plan(
      listed,
      listed.map((w) => w.id)
    )
    expect(result.remove.map((w) => w.action)).toEqual(['incoming_event'])
    expect(result.register.map((spec) => spec.action)).toEqual(['incoming_event'])
  })

  it('never touches webhooks that are not in our state, and reports those on our URL', () => {
    const foreign: RegisteredWebhook[] = [
      { id: 'x1', url: 'https://elsewhere.example.com', action: 'incoming_event' },
      { id: 'x2', url: URL, action: 'chat_deactivated' },
    ]
    const result = plan(
      [...foreign, ...ourSet()],
      ourSet().map((w) => w.id),
      'old'
    )
    expect(result.remove.map((w) => w.id)).not.toContain('x1')
    expect(result.remove.map((w) => w.id)).not.toContain('x2')
    expect(result.foreignOnOurUrl.map((w) => w.id)).toEqual(['x2'])
  })

  it('names the action that has no room left', () => {
    const others: RegisteredWebhook[] = [1, 2, 3].map((n) => ({
      id: `x${n}`,
      url: `https://other${n}.example.com`,
      action: 'chat_transferred',
    }))
    const result = plan(others, undefined)
    expect(result.full.map(({ spec, others: ids }) => [spec.action, ids.length])).toEqual([['chat_transferred', 3]])
  })
})

describe('describeSpec', () => {
  it('shows the author filter of incoming_event', () => {
    expect(HITL_WEBHOOKS.map(describeSpec)).toEqual([
      'incoming_event (filter author_type = agent)',
      'user_added_to_chat',
      'chat_transferred',
      'chat_deactivated',
    ])
  })
})
