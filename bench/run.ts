import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DEFAULT_SEED } from '../emulators/livechat'
import { Counted, agentAdded, counted, criticalPath, deliver, incomingMessage, pinnedDriver } from '../testbed/fixtures'
import { chatOf, lastThreadOf } from '../testbed/helpers'
import { TestBed, startTestBed } from '../testbed/test-bed'

/**
 * `npm run bench`: round trips and latency per operation through two served copies of the built bundle, with the
 * emulators answering at once and with LATENCY_MS added to every API call; webhook throughput at 1, 10 and 50
 * concurrent chats; peak memory.
 * Prints one table per measure and writes the same figures to bench/results.json.
 */

const LATENCY_MS = 50
const ITERATIONS: Record<number, number> = { 0: 30, [LATENCY_MS]: 8 }
const THROUGHPUT_MS = 3_000
const CONCURRENCY = [1, 10, 50]
const AGENT = { id: 'bench-agent@example.com', name: 'Bench Agent' }
const RESULTS = path.join(__dirname, 'results.json')

type Sample = { livechat: number; botpress: number; acks: number; ms: number; depth: number }
const samples = new Map<string, Map<number, Sample[]>>()

const record = (operation: string, latency: number, op: Counted<unknown>, ms: number) => {
  const starts = [...op.livechat, ...op.botpress].map((call) => Date.parse(call.at))
  const byLatency = samples.get(operation) ?? new Map<number, Sample[]>()
  samples.set(operation, byLatency)
  const list = byLatency.get(latency) ?? []
  byLatency.set(latency, list)
  list.push({
    livechat: op.livechat.length,
    botpress: op.botpress.length,
    acks: op.acks.length,
    ms,
    depth: latency > 0 ? criticalPath(starts, latency) : 0,
  })
}

const timed = async <T>(bed: TestBed, operation: string, latency: number, run: () => Promise<T>, acks = false) => {
  const started = performance.now()
  const op = await counted(bed, run, { acks })
  record(operation, latency, op, performance.now() - started)
  return op.result
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}
const max = (values: number[]) => Math.max(0, ...values)
const round = (n: number) => Math.round(n * 10) / 10

type Driver = TestBed['installation']

/**
 * One HITL session, every operation measured once. Two served copies: createUser runs on A, and the session lives on
 * A in even rounds (the warm case: A prepared the customer) and on B in odd ones (a fresh copy that must read what A
 * wrote). The first bot text and agent message that reach the *other* copy are the cold paths.
 */
const session = async (bed: TestBed, copies: [Driver, Driver], latency: number, n: number) => {
  const [A, B] = copies
  const [home, other] = n % 2 === 0 ? [A, B] : [B, A]
  const env = { organizationId: bed.livechat.seed.organizationId }
  const { userId } = await timed(bed, 'createUser', latency, () =>
    A.runAction('createUser', { name: `User ${n}`, email: `user-${latency}-${n}@example.com` })
  )
  const startName = home === A ? 'startHitl (new end user)' : 'startHitl (new end user, fresh copy)'
  const { conversationId } = await timed(bed, startName, latency, () =>
    home.runAction('startHitl', { userId, title: 'Order problem', messageHistory: [] })
  )
  const chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
  const chat = { chatId, threadId: lastThreadOf(chatOf(bed.livechat, chatId)).id }
  const text = (driver: Driver, t: string) =>
    driver.sendMessage({ conversationId, userId: driver.botUserId, type: 'text', payload: { text: t, userId } })
  for (let i = 0; i < 3; i++) {
    await timed(bed, 'bot text → LiveChat', latency, () => text(home, `Message ${i}`), true)
  }
  if (other === B) {
    await timed(bed, 'bot text → LiveChat (fresh copy)', latency, () => text(other, 'From the other copy'), true)
  }
  const customerId = chatOf(bed.livechat, chatId).customer_id ?? ''
  await timed(bed, 'echo of our own event (webhook)', latency, () =>
    deliver(home, incomingMessage(env, chat, { authorId: customerId, text: 'echo' }))
  )
  await deliver(home, agentAdded(env, chat, AGENT))
  await timed(bed, 'agent message → Botpress (fresh copy)', latency, () =>
    deliver(other, incomingMessage(env, chat, { authorId: AGENT.id, text: 'First reply' }))
  )
  for (let i = 0; i < 3; i++) {
    await timed(bed, 'agent message → Botpress', latency, () =>
      deliver(home, incomingMessage(env, chat, { authorId: AGENT.id, text: `Reply ${i}` }))
    )
  }
  await timed(bed, 'stopHitl', latency, () => home.runAction('stopHitl', { conversationId }))
  const returning = await timed(bed, 'startHitl (returning end user)', latency, () =>
    home.runAction('startHitl', { userId, title: 'Another question', messageHistory: [] })
  )
  await home.runAction('stopHitl', { conversationId: returning.conversationId })
}

/** Groups only getAvailability asks about, one per sample: a group asked within 30 s is answered from the cache. */
const AVAILABILITY_GROUPS = Array.from({ length: 40 }, (_, i) => ({ id: 100 + i, name: `Bench ${i}`, agentIds: [] }))
let availabilityGroup = 0

/** The hand-over extras, once per round on the warm copy: availability, a hand-over with context, a rating. */
const extras = async (bed: TestBed, home: Driver, latency: number, n: number) => {
  await timed(bed, 'getAvailability', latency, () =>
    home.runAction('getAvailability', { groupId: AVAILABILITY_GROUPS[availabilityGroup++ % 40]?.id ?? 0 })
  )
  await home.runAction('getAvailability', {})
  await timed(bed, 'getAvailability (same group within 30 s)', latency, () => home.runAction('getAvailability', {}))
  const { userId } = await home.runAction('createUser', { name: `Ctx ${n}`, email: `ctx-${latency}-${n}@example.com` })
  const { conversationId } = await timed(bed, 'startHitl (new end user, 2 session fields, 1 tag)', latency, () =>
    home.runAction('startHitl', {
      userId,
      title: 'With context',
      hitlSession: { sessionFields: { order: String(n), plan: 'Pro' }, tags: ['bot-handover'] },
      messageHistory: [],
    })
  )
  await home.runAction('stopHitl', { conversationId })
  await timed(bed, 'rateSession', latency, () =>
    home.runAction('rateSession', { conversationId, score: 'good', comment: 'Thanks' })
  )
}

/** c chats with an agent each; c workers each forward agent messages into their own chat for THROUGHPUT_MS. */
const throughput = async (bed: TestBed, chats: { chatId: string; threadId: string }[]) => {
  const env = { organizationId: bed.livechat.seed.organizationId }
  const deadline = performance.now() + THROUGHPUT_MS
  const started = performance.now()
  let delivered = 0
  let failed = 0
  await Promise.all(
    chats.map(async (chat) => {
      while (performance.now() < deadline) {
        const status = await deliver(bed.installation, incomingMessage(env, chat, { authorId: AGENT.id, text: 'hi' }))
        if (status === 200) delivered++
        else failed++
      }
    })
  )
  return { messagesPerSecond: Math.round(delivered / ((performance.now() - started) / 1000)), delivered, failed }
}

const openChats = async (bed: TestBed, count: number) => {
  const inst = bed.installation
  const env = { organizationId: bed.livechat.seed.organizationId }
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { userId } = await inst.runAction('createUser', { name: `Load ${i}`, email: `load-${i}@example.com` })
      const { conversationId } = await inst.runAction('startHitl', { userId, title: 'Load', messageHistory: [] })
      const chatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
      const chat = { chatId, threadId: lastThreadOf(chatOf(bed.livechat, chatId)).id }
      await deliver(inst, agentAdded(env, chat, AGENT))
      await deliver(inst, incomingMessage(env, chat, { authorId: AGENT.id, text: 'warm-up' }))
      return chat
    })
  )
}

/** Peak RSS (VmHWM) of a process and its descendants, in MB: each served copy runs the bundle in its own process tree. */
const peakRssMb = (rootPid: number): number => {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(Number(entry), ppid)
    } catch {
      // The process ended meanwhile.
    }
  }
  const tree = [rootPid]
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid)
  }
  let kb = 0
  for (const pid of tree) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      kb += Number(match?.[1] ?? 0)
    } catch {
      // Gone.
    }
  }
  return Math.round(kb / 1024)
}

const main = async () => {
  const began = performance.now()
  const bed = await startTestBed({
    instances: 2,
    register: false,
    livechat: { seed: { groups: [...DEFAULT_SEED.groups, ...AVAILABILITY_GROUPS] } },
  })
  const copies: [Driver, Driver] = [pinnedDriver(bed, 0), pinnedDriver(bed, 1)]
  try {
    // The installation's availability customer exists before anything is measured (its first token is a one-off).
    for (const copy of copies) await copy.runAction('getAvailability', { groupId: 0 })
    for (const latency of [0, LATENCY_MS]) {
      bed.livechat.latencyMs = latency
      bed.botpress.latencyMs = latency
      for (let n = 0; n < (ITERATIONS[latency] ?? 1); n++) {
        await session(bed, copies, latency, n)
        await extras(bed, n % 2 === 0 ? copies[0] : copies[1], latency, n)
      }
    }

    bed.livechat.latencyMs = 0
    bed.botpress.latencyMs = 0
    const chats = await openChats(bed, max(CONCURRENCY))
    // Discarded: the first seconds of load also measure V8 warming up the served bundle's hot code.
    await throughput(bed, chats)
    const rates: Record<string, Record<number, ReturnType<typeof throughput> extends Promise<infer R> ? R : never>> = {}
    for (const latency of [0, LATENCY_MS]) {
      bed.livechat.latencyMs = latency
      bed.botpress.latencyMs = latency
      const byConcurrency: Record<number, Awaited<ReturnType<typeof throughput>>> = {}
      for (const c of CONCURRENCY) byConcurrency[c] = await throughput(bed, chats.slice(0, c))
      rates[`${latency} ms`] = byConcurrency
    }

    const operations = [...samples.entries()].map(([operation, byLatency]) => {
      const at = (latency: number) => byLatency.get(latency) ?? []
      const warm = at(0)
      return {
        operation,
        livechatCalls: max(warm.map((s) => s.livechat)),
        botpressCalls: max(warm.map((s) => s.botpress)),
        acks: max(warm.map((s) => s.acks)),
        criticalPath: max(at(LATENCY_MS).map((s) => s.depth)),
        latencyMs: Object.fromEntries(
          [0, LATENCY_MS].map((latency) => {
            const ms = at(latency).map((s) => s.ms)
            return [
              `${latency} ms injected`,
              { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), p99: round(percentile(ms, 99)) },
            ]
          })
        ),
        samples: warm.length + at(LATENCY_MS).length,
      }
    })
    const memory = {
      bpServePeakRssMb: max(bed.pids.map((pid) => peakRssMb(pid))),
      benchPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }
    const results = {
      generatedAt: new Date().toISOString(),
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
      injectedLatencyMs: LATENCY_MS,
      note: 'calls: the most any sample made (the first bot text of a session included); acks: the SDK ack',
      operations,
      webhookThroughput: rates,
      memory,
      durationSeconds: Math.round((performance.now() - began) / 1000),
    }
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`)

    console.log(
      `\nRound trips and latency per operation (through the served bundle; ${LATENCY_MS} ms = injected per call)\n`
    )
    console.log(
      '| operation | LiveChat calls | Botpress calls | ack | critical path | p50 / p95 / p99 ms (0 ms) | p50 / p95 / p99 ms (50 ms) |'
    )
    console.log('| --- | --- | --- | --- | --- | --- | --- |')
    for (const op of operations) {
      const cell = (key: string) => {
        const l = op.latencyMs[key]
        return l ? `${l.p50} / ${l.p95} / ${l.p99}` : ''
      }
      console.log(
        `| ${op.operation} | ${op.livechatCalls} | ${op.botpressCalls} | ${op.acks || '–'} | ${op.criticalPath} | ${cell('0 ms injected')} | ${cell(`${LATENCY_MS} ms injected`)} |`
      )
    }
    console.log('\nAgent message webhook throughput (messages/s)\n')
    console.log(`| injected | ${CONCURRENCY.map((c) => `${c} chat${c > 1 ? 's' : ''}`).join(' | ')} |`)
    console.log(`| --- | ${CONCURRENCY.map(() => '---').join(' | ')} |`)
    for (const [latency, byConcurrency] of Object.entries(rates)) {
      console.log(`| ${latency} | ${CONCURRENCY.map((c) => byConcurrency[c]?.messagesPerSecond ?? 0).join(' | ')} |`)
    }
    console.log(
      `\nPeak memory: served copy ${memory.bpServePeakRssMb} MB RSS (the larger of the two copies), bench process ${memory.benchPeakRssMb} MB RSS`
    )
    console.log(`Written to ${path.relative(process.cwd(), RESULTS)} in ${results.durationSeconds} s\n`)
  } finally {
    await bed.stop()
  }
}

main().catch((thrown: unknown) => {
  console.error(thrown)
  process.exitCode = 1
})
