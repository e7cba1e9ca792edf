/**
 * Load with faults (npm run load): 1,000 agent messages across 50 concurrent chats through two served copies of the
 * built bundle, with LiveChat redelivering webhooks at random, a few deliveries replayed by hand, and the Botpress API
 * failing now and then. Prints sent, delivered, duplicated, lost, messages stored out of LiveChat order, and the
 * latency from the agent's send to the stored Botpress message (each chat's first message, which meets the agent's
 * join, apart); exits non-zero when anything was duplicated or lost, or when a message that took the plain path
 * (delivered once, answered 200 at the first attempt, no redelivery, no Botpress fault) was stored out of order. A
 * script, not a test: figures depend on the machine. `LOAD_CHATS=10 npm run load` for a smaller run.
 */
import type { RecordedDelivery } from '../emulators/livechat'
import { postWebhook, registerWebhooks } from '../testbed/helpers'
import { OpenedSession, agentMessages, openSession, tally } from '../testbed/scenario'
import { TestBed, startTestBed } from '../testbed/test-bed'

const CHATS = Number(process.env.LOAD_CHATS ?? 50)
const MESSAGES_PER_CHAT = 20
const AGENTS = ['anna@example.com', 'bob@example.com']
const DUPLICATE_PROBABILITY = 0.1
const REPLAYS = 50
const BOTPRESS_FAULT_EVERY_MS = 150
/** An agent answers about once a second: 50 chats then make ~50 messages a second. */
const TYPING_MS = [600, 1400] as const

/** One agent message as sent: its chat, its place in the chat, its LiveChat event id and when it was sent. */
type Sent = { chat: number; index: number; eventId: string; at: number }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN

const spread = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b)
  return `p50 ${percentile(sorted, 50)}  p90 ${percentile(sorted, 90)}  p99 ${percentile(sorted, 99)}  max ${sorted.at(-1)}`
}

const inBatches = async <T, R>(items: T[], size: number, run: (item: T, index: number) => Promise<R>) => {
  const out: R[] = []
  for (let start = 0; start < items.length; start += size) {
    out.push(...(await Promise.all(items.slice(start, start + size).map((item, i) => run(item, start + i)))))
  }
  return out
}

/** Every chat's agent sends its messages, each after a typing pause; returns them by text. */
const sendAll = async (bed: TestBed, sessions: OpenedSession[]): Promise<Map<string, Sent>> => {
  const sent = new Map<string, Sent>()
  await Promise.all(
    sessions.map(async (session, chat) => {
      const agent = bed.livechat.agent(AGENTS[chat % AGENTS.length] ?? 'anna@example.com')
      for (let index = 0; index < MESSAGES_PER_CHAT; index++) {
        const text = `load chat ${chat} message ${index}`
        await sleep(TYPING_MS[0] + Math.random() * (TYPING_MS[1] - TYPING_MS[0]))
        const at = Date.now()
        const { eventId } = await agent.sendMessage(session.livechatChatId, text)
        sent.set(text, { chat, index, eventId, at })
      }
    })
  )
  return sent
}

/**
 * Event ids that took the plain path: LiveChat delivered them once, answered 200 at the first attempt, and no
 * Botpress fault hit their message (a write retried inside the delivery is a fault too).
 */
const plainEventIds = (bed: TestBed): Set<string> => {
  const byEvent = new Map<string, RecordedDelivery[]>()
  for (const delivery of bed.livechat.deliveries) {
    const eventId = (delivery.body.payload as { event?: { id?: string } } | undefined)?.event?.id
    if (delivery.action === 'incoming_event' && eventId)
      byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), delivery])
  }
  const faulted = new Set(
    bed.botpress.calls
      .filter((call) => call.path.endsWith('/messages/get-or-create') && call.status >= 500)
      .map((call) => (call.body as { tags?: { id?: string } } | undefined)?.tags?.id)
  )
  const plain = [...byEvent].filter(
    ([eventId, all]) => all.length === 1 && all[0]?.status === 200 && !all[0].duplicate && !faulted.has(eventId)
  )
  return new Set(plain.map(([eventId]) => eventId))
}

type Outcome = {
  counts: Map<string, number>
  firstLatencies: number[]
  laterLatencies: number[]
  /** Messages stored after a message the agent sent later in the same chat. */
  overtaken: Sent[]
}

/** What Botpress holds, chat by chat, in the order it stored the messages. */
const outcome = (bed: TestBed, sessions: OpenedSession[], sent: Map<string, Sent>): Outcome => {
  const result: Outcome = { counts: new Map(), firstLatencies: [], laterLatencies: [], overtaken: [] }
  for (const session of sessions) {
    let latest = -1
    for (const message of agentMessages(bed, session.conversationId)) {
      const text = String((message.payload as { text?: unknown }).text)
      const one = sent.get(text)
      if (!one) continue
      result.counts.set(text, (result.counts.get(text) ?? 0) + 1)
      if (result.counts.get(text) !== 1) continue
      const latency = Date.parse(message.createdAt) - one.at
      ;(one.index === 0 ? result.firstLatencies : result.laterLatencies).push(latency)
      if (one.index < latest) result.overtaken.push(one)
      latest = Math.max(latest, one.index)
    }
  }
  return result
}

const report = (bed: TestBed, sent: Map<string, Sent>, result: Outcome, botpressFaults: number, elapsedMs: number) => {
  const deliveries = bed.livechat.deliveries
  const plain = plainEventIds(bed)
  const duplicated = [...result.counts.values()].reduce((sum, count) => sum + count - 1, 0)
  const lost = sent.size - result.counts.size
  const overtakenPlain = result.overtaken.filter((one) => plain.has(one.eventId))
  console.log(`chats                ${CHATS} (two served copies)`)
  console.log(`sent                 ${sent.size}`)
  console.log(`delivered            ${result.counts.size}`)
  console.log(`duplicated           ${duplicated}`)
  console.log(`lost                 ${lost}`)
  console.log(
    `out of order         ${result.overtaken.length} stored after a later message of their chat, ` +
      `${overtakenPlain.length} of them on the plain path (${plain.size} messages took it), ` +
      `${result.overtaken.filter((one) => one.index === 0).length} of them first messages`
  )
  console.log(
    `webhook deliveries   ${deliveries.length} (${deliveries.filter((d) => d.duplicate).length} redelivered at random, ` +
      `answered: ${JSON.stringify(tally(deliveries.map((d) => String(d.status))))}), ${REPLAYS} replayed by hand`
  )
  console.log(`botpress faults      ${botpressFaults} injected`)
  console.log(`latency ms, first    ${spread(result.firstLatencies)}  (each chat's first message, with the join)`)
  console.log(`latency ms, others   ${spread(result.laterLatencies)}  (agent send -> Botpress message stored)`)
  console.log(`elapsed              ${(elapsedMs / 1000).toFixed(1)} s`)
  return duplicated === 0 && lost === 0 && overtakenPlain.length === 0 ? 0 : 1
}

const main = async (): Promise<number> => {
  const bed: TestBed = await startTestBed({ instances: 2, livechat: { webhookRetryDelaysMs: [100, 250, 500] } })
  try {
    await registerWebhooks(bed)
    const sessions: OpenedSession[] = await inBatches(Array.from({ length: CHATS }), 10, (_, i) =>
      openSession(bed, `Load user ${i}`, `load-${i}@example.com`)
    )
    await bed.livechat.idle()

    bed.livechat.deliveryMode({ duplicate: DUPLICATE_PROBABILITY })
    // The Botpress API fails one write now and then: LiveChat must redeliver and the message still arrive once.
    let botpressFaults = 0
    const faults = setInterval(() => {
      bed.botpress.faults.inject({ count: 1, status: 500, match: { method: 'POST', path: /messages|events/ } })
      botpressFaults++
    }, BOTPRESS_FAULT_EVERY_MS)

    const started = Date.now()
    const sent = await sendAll(bed, sessions)
    // Faults stop with the traffic: at the tail, every injected fault would hit the few deliveries still in flight,
    // i.e. the same message on each of LiveChat's 4 attempts, which models a Botpress outage longer than LiveChat's
    // whole retry window (that loses messages with any integration), not load.
    clearInterval(faults)
    // Replays by hand, as a redelivery racing the first one would arrive.
    const delivered = bed.livechat.deliveries.filter((d) => d.action === 'incoming_event')
    await inBatches(Array.from({ length: REPLAYS }), 10, async () => {
      const delivery = delivered[Math.floor(Math.random() * delivered.length)]
      if (delivery) await postWebhook(bed, JSON.stringify(delivery.body))
    })
    await bed.livechat.idle()
    bed.livechat.deliveryMode({ duplicate: 0 })
    await bed.livechat.idle()
    return report(bed, sent, outcome(bed, sessions, sent), botpressFaults, Date.now() - started)
  } finally {
    await bed.stop()
  }
}

main().then(
  (code) => process.exit(code),
  (thrown: unknown) => {
    console.error(thrown)
    process.exit(1)
  }
)
