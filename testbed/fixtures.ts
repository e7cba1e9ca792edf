import { randomUUID } from 'node:crypto'
import type { RecordedCall as BotpressCall } from '../emulators/botpress'
import { Installation } from '../emulators/botpress'
import type { RecordedCall as LiveChatCall } from '../emulators/livechat'
import { TEST_WEBHOOK_SECRET, TestBed } from './test-bed'

/**
 * Shared by `npm run bench` and the end-to-end tests: drivers pinned to one `bp serve` copy, LiveChat webhook
 * bodies as LiveChat delivers them, and the calls one operation caused on both emulators.
 */

/** The same installation (same bot, same ids) driven through one served copy only: "instance A", "instance B". */
export const pinnedDriver = (bed: TestBed, index: number): TestBed['installation'] => {
  const inst = bed.installation
  const url = bed.integrationUrls[index]
  if (!url) throw new Error(`The test bed has no instance ${index}`)
  return new Installation(
    { store: bed.botpress.db, operations: bed.botpress.operations },
    {
      botId: inst.botId,
      botUserId: inst.botUserId,
      integrationId: inst.integrationId,
      webhookId: inst.webhookId,
      webhookUrl: inst.webhookUrl,
    },
    {
      integrationUrls: [url],
      configuration: inst.configuration,
      integrationName: inst.integrationName,
      definition: inst.definition,
    }
  )
}

type Envelope = { organizationId: string }

const envelope = ({ organizationId }: Envelope, action: string, payload: Record<string, unknown>) => ({
  webhook_id: randomUUID(),
  secret_key: TEST_WEBHOOK_SECRET,
  action,
  organization_id: organizationId,
  payload,
  additional_data: {},
})

export const incomingMessage = (
  env: Envelope,
  chat: { chatId: string; threadId: string },
  event: { id?: string; authorId: string; text: string }
) =>
  envelope(env, 'incoming_event', {
    chat_id: chat.chatId,
    thread_id: chat.threadId,
    event: {
      id: event.id ?? `${chat.threadId}_${randomUUID()}`,
      created_at: new Date().toISOString(),
      visibility: 'all',
      type: 'message',
      text: event.text,
      author_id: event.authorId,
    },
  })

export const agentAdded = (
  env: Envelope,
  chat: { chatId: string; threadId: string },
  agent: { id: string; name: string }
) =>
  envelope(env, 'user_added_to_chat', {
    chat_id: chat.chatId,
    thread_id: chat.threadId,
    user: { id: agent.id, type: 'agent', name: agent.name, present: true, visibility: 'all' },
    user_type: 'agent',
    reason: 'manual',
    requester_id: agent.id,
  })

/** A LiveChat webhook handed to the integration the way the Botpress cloud relays it; answers the HTTP status. */
export const deliver = async (driver: TestBed['installation'], body: unknown): Promise<number> => {
  const answer = await driver.relayWebhook({
    method: 'POST',
    path: '/',
    query: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return answer.status
}

export type Counted<T> = {
  result: T
  livechat: LiveChatCall[]
  /** The integration's own Botpress API calls. */
  botpress: BotpressCall[]
  /** `ack()` of message_created: PUT /v1/chat/messages/:id, made by the SDK with the tags the handler gives it. */
  acks: BotpressCall[]
}

export const isAck = (call: BotpressCall): boolean =>
  call.method === 'PUT' && /^\/v1\/chat\/messages\/[^/]+$/.test(call.path)

/** Runs one operation and returns the calls it caused (run operations one at a time). */
export const counted = async <T>(bed: TestBed, run: () => Promise<T>, options: { acks?: boolean } = {}) => {
  const lcBefore = bed.livechat.calls.length
  const bpBefore = bed.botpress.calls.length
  const result = await run()
  const botpress = bed.botpress.calls.slice(bpBefore)
  const withAcks = options.acks === true
  return {
    result,
    livechat: bed.livechat.calls.slice(lcBefore),
    botpress: withAcks ? botpress.filter((call) => !isAck(call)) : botpress,
    acks: withAcks ? botpress.filter(isAck) : [],
  } satisfies Counted<T>
}

const idToPlaceholder = (segment: string) => (/\d/.test(segment) && !/^v\d+$/.test(segment) ? ':id' : segment)

/** `GET /v1/chat/states/...`-style names, to read a failing count at a glance. */
export const names = (counts: Counted<unknown>) => ({
  livechat: counts.livechat.map((call) => `${call.api}.${call.action}`),
  botpress: counts.botpress.map((call) => `${call.method} ${call.path.split('/').map(idToPlaceholder).join('/')}`),
})

/**
 * Critical-path depth: the longest chain of calls each of which started after the previous one could have answered.
 * Only meaningful with latency injected (`latencyMs`): calls in parallel then start within a few milliseconds of each
 * other, calls that waited for an answer at least `latencyMs` later.
 */
export const criticalPath = (starts: number[], latencyMs: number): number => {
  const sorted = [...starts].sort((a, b) => a - b)
  const depth: number[] = []
  sorted.forEach((start, i) => {
    let best = 1
    for (let j = 0; j < i; j++) {
      if (start - (sorted[j] ?? 0) >= latencyMs * 0.8) best = Math.max(best, (depth[j] ?? 0) + 1)
    }
    depth.push(best)
  })
  return Math.max(0, ...depth)
}
