/**
 * Load with faults (npm run load): 1,000 agent messages across 50 concurrent chats through two `bp serve` copies,
 * with LiveChat redelivering webhooks at random, a few deliveries replayed by hand, and the Botpress API failing now
 * and then. Prints sent, delivered, duplicated, lost and the latency from the agent's send to the stored Botpress
 * message; exits non-zero when anything was duplicated or lost. A script, not a test: figures depend on the machine.
 */
import { postWebhook, registerWebhooks } from '../test/e2e/helpers'
import { OpenedSession, agentMessages, openSession, tally } from '../test/e2e/scenario'
import { TestBed, startTestBed } from '../test/harness/test-bed'

const CHATS = 50
const MESSAGES_PER_CHAT = 20
const AGENTS = ['anna@example.com', 'bob@example.com']
const DUPLICATE_PROBABILITY = 0.1
const REPLAYS = 50
const BOTPRESS_FAULT_EVERY_MS = 150
/** An agent answers about once a second: 50 chats then make ~50 messages a second. */
const TYPING_MS = [600, 1400] as const

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN

const inBatches = async <T, R>(items: T[], size: number, run: (item: T, index: number) => Promise<R>) => {
  const out: R[] = []
  for (let start = 0; start < items.length; start += size) {
    out.push(...(await Promise.all(items.slice(start, start + size).map((item, i) => run(item, start + i)))))
  }
  return out
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

    const sentAt = new Map<string, number>()
    const started = Date.now()
    await Promise.all(
      sessions.map(async (session, chat) => {
        for (let m = 0; m < MESSAGES_PER_CHAT; m++) {
          const text = `load chat ${chat} message ${m}`
          await sleep(TYPING_MS[0] + Math.random() * (TYPING_MS[1] - TYPING_MS[0]))
          sentAt.set(text, Date.now())
          await bed.livechat
            .agent(AGENTS[chat % AGENTS.length] ?? 'anna@example.com')
            .sendMessage(session.livechatChatId, text)
        }
      })
    )
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
    const elapsedMs = Date.now() - started

    const counts = new Map<string, number>()
    const latencies: number[] = []
    for (const session of sessions) {
      for (const message of agentMessages(bed, session.conversationId)) {
        const text = String((message.payload as { text?: unknown }).text)
        const sent = sentAt.get(text)
        if (sent === undefined) continue
        counts.set(text, (counts.get(text) ?? 0) + 1)
        if (counts.get(text) === 1) latencies.push(Date.parse(message.createdAt) - sent)
      }
    }
    const sent = sentAt.size
    const deliveredOnce = counts.size
    const duplicated = [...counts.values()].reduce((sum, count) => sum + count - 1, 0)
    const lost = sent - deliveredOnce
    const deliveries = bed.livechat.deliveries
    const sorted = latencies.sort((a, b) => a - b)

    console.log(`chats                ${CHATS} (two bp serve copies)`)
    console.log(`sent                 ${sent}`)
    console.log(`delivered            ${deliveredOnce}`)
    console.log(`duplicated           ${duplicated}`)
    console.log(`lost                 ${lost}`)
    console.log(
      `webhook deliveries   ${deliveries.length} (${deliveries.filter((d) => d.duplicate).length} redelivered at random, ` +
        `answered: ${JSON.stringify(tally(deliveries.map((d) => String(d.status))))}), ${REPLAYS} replayed by hand`
    )
    console.log(`botpress faults      ${botpressFaults} injected`)
    console.log(
      `latency ms           p50 ${percentile(sorted, 50)}  p90 ${percentile(sorted, 90)}  ` +
        `p99 ${percentile(sorted, 99)}  max ${sorted.at(-1)}  (agent send -> Botpress message stored)`
    )
    console.log(`elapsed              ${(elapsedMs / 1000).toFixed(1)} s`)
    return duplicated === 0 && lost === 0 ? 0 : 1
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
