import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postWebhook } from '../../testbed/helpers'
import { botpressFootprint } from '../../testbed/scenario'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { expectNoSecrets } from './log-audit'

/**
 * `bp serve` spends ~7 ms on any request, even one refused at once: two copies share the bodies. 1,000 of this seed
 * already bring every kind of body the generator makes (checked below), each many times over.
 */
const BODIES = 1_000
const BATCH = 40
const SEED = 0x5eed
/** ~4 s on an idle 2-core machine, over 120 s when it runs 20 processes at once: counts are checked, not speed. */
const TIMEOUT_MS = 240_000

/** mulberry32: a small seeded PRNG, so that a failure replays with the same bodies. */
const prng = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const ACTIONS = [
  'incoming_event',
  'user_added_to_chat',
  'chat_transferred',
  'chat_deactivated',
  'user_removed_from_chat',
  'incoming_chat',
  'thread_tagged',
  '',
]

/** Every kind of body the generator makes: each must come up at least once in a run. */
const KINDS = [
  'oversize',
  'random JSON',
  'not JSON',
  'wrong secret',
  'wrong organization',
  'verified',
  'huge event text',
  'garbage event',
  'garbage payload',
  ...ACTIONS.map((action) => `action "${action}"`),
]

/**
 * Bodies anyone on the internet, or a confused LiveChat, could send; `secret` and `organization` are the real ones.
 * Each body comes with the kinds it is (KINDS).
 */
const generator = (random: () => number, secret: string, organization: string) => {
  let kinds: string[] = []
  const int = (max: number) => Math.floor(random() * max)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T
  const text = (max: number) =>
    Array.from({ length: int(max) }, () => String.fromCharCode(pick([32 + int(95), 0x80 + int(0x700), 0]))).join('')

  /** Notes that the body being made is of this kind; returns `made`, for use in expressions. */
  const kind = <T>(name: string, made?: T): T => {
    kinds.push(name)
    return made as T
  }
  const action = () => {
    const picked = pick(ACTIONS)
    return kind(`action "${picked}"`, picked)
  }
  const huge = () => kind('huge event text', 'x'.repeat(200_000))
  const garbage = (name: string, depth: number) => kind(name, value(depth))

  const value = (depth: number): Json => {
    switch (depth > 3 ? int(4) : int(7)) {
      case 0:
        return null
      case 1:
        return random() < 0.5
      case 2:
        return pick([0, -1, 1e308, 3.5, Number.MAX_SAFE_INTEGER])
      case 3:
        return text(40)
      case 4:
        return Array.from({ length: int(4) }, () => value(depth + 1))
      default:
        return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(FIELDS), value(depth + 1)]))
    }
  }
  const FIELDS = ['chat_id', 'thread_id', 'event', 'id', 'type', 'text', 'author_id', 'user', 'payload', 'action', 'x']

  /** The documented shape, with some parts replaced by garbage. */
  const almostValid = (withSecret: string, withOrganization: string): Json => {
    const event: Record<string, Json> = {
      id: text(12),
      created_at: '2024-01-01T00:00:00.000000Z',
      visibility: pick(['all', 'agents', 7]),
      type: pick(['message', 'file', 'system_message', 'rich_message', 'custom', 42]),
      text: random() < 0.01 ? huge() : text(60),
      author_id: pick(['anna@example.com', '', null, 12]),
    }
    const payload: Record<string, Json> = {
      chat_id: pick([text(10), 'PJ0MRSHTDG', 5, null]),
      thread_id: pick<Json>([text(10), null, []]),
      event: random() < 0.8 ? event : garbage('garbage event', 1),
      user: { id: text(8), type: pick(['agent', 'customer', 3]), name: text(20) },
      user_type: pick(['agent', 'customer']),
      reason: pick(['manual', 9]),
      transferred_to: pick<Json>([{ agent_ids: [text(8)] }, { group_ids: ['x'] }, 'nope']),
      user_id: text(8),
    }
    for (const key of Object.keys(payload)) if (random() < 0.2) delete payload[key]
    const body: Record<string, Json> = {
      webhook_id: pick([text(20), 1]),
      secret_key: withSecret,
      action: action(),
      organization_id: withOrganization,
      payload: random() < 0.85 ? payload : garbage('garbage payload', 0),
      additional_data: pick<Json>([{}, null, 'x', { chat_properties: 3 }]),
      [pick(FIELDS)]: value(2),
    }
    for (const key of ['webhook_id', 'action', 'payload', 'organization_id']) if (random() < 0.1) delete body[key]
    return body
  }

  // Mostly bodies that pass the secret check (they reach the deepest code); oversize ones are rare but present.
  const body = (): string => {
    const roll = int(100)
    if (roll < 2)
      return kind('oversize', JSON.stringify({ secret_key: secret, padding: 'y'.repeat(260_000 + int(100_000)) }))
    if (roll < 12) return kind('random JSON', JSON.stringify(value(0)))
    if (roll < 20) return kind('not JSON', text(200))
    if (roll < 30) {
      kind('wrong secret')
      return JSON.stringify(almostValid(pick([`${secret}x`, secret.slice(1), '', text(20)]), organization))
    }
    if (roll < 38)
      return kind('wrong organization', JSON.stringify(almostValid(secret, pick(['another-organization', text(36)]))))
    return kind('verified', JSON.stringify(almostValid(secret, organization)))
  }
  return (): { body: string; kinds: string[] } => {
    kinds = []
    return { body: body(), kinds }
  }
}

/**
 * Thousands of generated bodies through the real webhook URL: random JSON, wrong types, huge strings, missing fields,
 * wrong secrets, and the right secret with garbage. The served process stays healthy, never answers 5xx for the
 * sender's own mistakes, LiveChat sees no call, and Botpress no write but the dead letters of the verified garbage.
 */
describe('hostile webhook input', { timeout: TIMEOUT_MS }, () => {
  let bed: TestBed

  beforeAll(async () => {
    bed = await startTestBed({ instances: 2 })
  })
  afterAll(() => bed?.stop())

  it(`survives ${BODIES} generated bodies without a 5xx, a crash, a write beyond dead letters or a secret echoed`, async () => {
    const before = botpressFootprint(bed)
    const livechatCalls = bed.livechat.calls.length
    const next = generator(prng(SEED), bed.installation.configuration.webhookSecret, bed.livechat.seed.organizationId)
    const statuses: Record<number, number> = {}
    const kinds = new Set<string>()

    for (let sent = 0; sent < BODIES; sent += BATCH) {
      const bodies = Array.from({ length: Math.min(BATCH, BODIES - sent) }, next)
      for (const body of bodies) for (const seen of body.kinds) kinds.add(seen)
      const answers = await Promise.all(bodies.map(({ body }) => postWebhook(bed, body)))
      for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1
    }

    expect([...kinds].sort()).toEqual([...KINDS].sort())

    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBe(BODIES)
    expect(
      Object.keys(statuses)
        .map(Number)
        .filter((status) => status >= 500)
    ).toEqual([])
    // Every kind of refusal was exercised, and the garbage that got past verification was acknowledged, not stored:
    // what broke the schema is kept as a dead letter (one bounded state), the rest was for chats that are not ours.
    expect(Object.keys(statuses).sort()).toEqual(['200', '400', '401', '403', '413'])
    for (const url of bed.integrationUrls) {
      expect((await fetch(`${url}/health`)).status).toBe(200)
    }
    const { states, writeCalls, ...created } = botpressFootprint(bed)
    expect(created).toEqual({
      users: before.users,
      conversations: before.conversations,
      messages: before.messages,
      events: before.events,
    })
    expect(states).toBe(before.states + 1)
    const writes = bed.botpress.calls
      .filter((call) => call.method !== 'GET')
      .slice(before.writeCalls)
      .map((call) => call.path)
    expect(writes.length).toBe(writeCalls - before.writeCalls)
    expect(writes.length).toBeGreaterThan(0)
    expect(writes.filter((path) => !/\/states\/integration\/[^/]+\/deadLetters$/.test(path))).toEqual([])
    // A chat that no session matches is read once (is it one startHitl is opening?); nothing is written to LiveChat.
    expect(bed.livechat.calls.slice(livechatCalls).filter((call) => call.action !== 'get_chat')).toEqual([])
    // Nor did any of it make the integration echo the webhook secret or a token back, in answers or logs.
    expectNoSecrets(bed)
  })
})
