import type { TestBed } from '../test/harness/test-bed'
import { type DeskEvent, deskView } from './agent-desk'
import type { PluginRole } from './plugin-role'
import { samplePng } from './sample-image'
import type { Transcript } from './transcript'

/**
 * The scripted HITL story of `npm start`: one session the agents close, one the bot closes with stopHitl. Each step
 * acts as one party and then waits for what the *other* side should see; the transcript prints what really arrived
 * (LiveChat's thread on the right, Botpress's messages and hitl events on the left), never what was asked for.
 */

export type StoryStep = { title: string; ok: boolean; detail?: string }
export type StoryReport = { ok: boolean; steps: StoryStep[] }

export const STORY_STEPS = [
  'The end user is created (createUser)',
  'The bot hands over (startHitl)',
  'The end user writes twice',
  'Anna joins and replies',
  'Anna sends a file',
  'Anna transfers the chat to Bob',
  'Bob replies',
  'Bob closes the chat (hitlStopped)',
  'A second session starts',
  'The bot ends it (stopHitl)',
] as const

const ANNA = 'anna@example.com'
const BOB = 'bob@example.com'
const WAIT_MS = 10_000

type Parties = Pick<TestBed, 'livechat' | 'botpress' | 'installation'>

const short = (id: string): string => (id.length > 10 ? `${id.slice(0, 8)}…` : id)

export const playStory = async (parties: Parties, plugin: PluginRole, out: Transcript): Promise<StoryReport> => {
  const { livechat } = parties
  const steps: StoryStep[] = []
  const printed = new Set<string>()
  // A replay meets the same end users again (same email, same LiveChat chat, same conversation): only what happens
  // from now on counts. LiveChat's timestamps carry microseconds, so compare instants, not strings.
  const startedAtMs = Date.now()
  const fresh = <T extends { at: string }>(items: T[]): T[] =>
    items.filter((item) => Date.parse(item.at) >= startedAtMs)
  const agentMessages = (conversationId: string) => fresh(plugin.agentMessages(conversationId))
  const hitlEvents = (conversationId: string) => fresh(plugin.hitlEvents(conversationId))

  /** Waits for webhook deliveries to settle, then polls until `probe` holds. */
  const waitFor = async <T>(what: string, probe: () => T | undefined | false): Promise<T> => {
    const deadline = Date.now() + WAIT_MS
    for (;;) {
      await livechat.idle()
      const value = probe()
      if (value !== undefined && value !== false) return value
      if (Date.now() > deadline) throw new Error(`not seen within ${WAIT_MS / 1000} s: ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  const chatEvents = (livechatChatId: string): DeskEvent[] =>
    fresh(deskView(livechat).chats.find((chat) => chat.id === livechatChatId)?.events ?? [])
  const chatActive = (livechatChatId: string): boolean | undefined =>
    deskView(livechat).chats.find((chat) => chat.id === livechatChatId)?.active

  /** Prints what each side received since the last call, in the order it arrived. */
  const flush = (props: { conversationId?: string; livechatChatId?: string }): void => {
    if (props.livechatChatId) {
      for (const event of chatEvents(props.livechatChatId)) {
        if (printed.has(event.id)) continue
        printed.add(event.id)
        const body = event.file ? `sent a file: ${event.file.name} (${event.file.contentType})` : (event.text ?? '')
        out.line({ right: event.author === 'system' ? `· ${body}` : `${event.authorName}: ${body}` })
      }
    }
    if (props.conversationId) {
      const left = [
        ...agentMessages(props.conversationId).map((message) => ({
          id: message.id,
          at: message.at,
          text: `${message.agent.name}: ${message.file ? `[${message.file.kind}] ${message.file.name} ${message.file.url}` : message.text}`,
        })),
        ...hitlEvents(props.conversationId).map((event) => ({
          id: event.id,
          at: event.at,
          text: event.type === 'hitlAssigned' ? `⚑ hitlAssigned: ${event.agent.name}` : '⚑ hitlStopped',
        })),
      ].sort((a, b) => a.at.localeCompare(b.at))
      for (const entry of left) {
        if (printed.has(entry.id)) continue
        printed.add(entry.id)
        out.line({ left: entry.text })
      }
    }
  }

  let failed = false
  const step = async (index: number, run: () => Promise<void>): Promise<void> => {
    const title = STORY_STEPS[index] ?? `Step ${index + 1}`
    if (failed) {
      steps.push({ title, ok: false, detail: 'not played: an earlier step failed' })
      return
    }
    out.step(index + 1, title)
    try {
      await run()
      steps.push({ title, ok: true })
    } catch (thrown) {
      failed = true
      const detail = thrown instanceof Error ? thrown.message : String(thrown)
      out.note(`  ✗ ${detail}`)
      steps.push({ title, ok: false, detail })
    }
  }

  let endUserId = ''
  let conversationId = ''
  let livechatChatId = ''
  const both = () => flush({ conversationId, livechatChatId })
  const assignedTo = (name: string) => () =>
    hitlEvents(conversationId).some((event) => event.type === 'hitlAssigned' && event.agent.name === name)

  await step(0, async () => {
    endUserId = await plugin.createUser({ name: 'Grace Hopper', email: 'grace@example.com' })
    out.line({ left: `createUser Grace Hopper → user ${short(endUserId)}` })
  })

  await step(1, async () => {
    out.line({ left: 'Grace: My parcel never arrived' })
    out.line({ left: 'Bot: Let me get you a human.' })
    conversationId = await plugin.startHitl({
      userId: endUserId,
      title: 'Order problem',
      description: 'My parcel never arrived',
      messageHistory: [
        { source: { type: 'user', userId: endUserId }, type: 'text', payload: { text: 'My parcel never arrived' } },
        { source: { type: 'bot' }, type: 'text', payload: { text: 'Let me get you a human.' } },
      ],
    })
    livechatChatId = await waitFor('the hitl conversation tagged with a LiveChat chat', () =>
      plugin.livechatChatId(conversationId)
    )
    const chat = await waitFor('the chat in LiveChat', () =>
      deskView(livechat).chats.find((candidate) => candidate.id === livechatChatId)
    )
    out.line({
      left: `startHitl → conversation ${short(conversationId)}`,
      right: `${chat.threads > 1 ? `Chat ${chat.id} resumed (thread ${chat.threads})` : `New chat ${chat.id}`} in ${chat.groups.join(', ')} from ${chat.customer.name} <${chat.customer.email ?? 'no email'}>`,
    })
    await waitFor('the opening message "Order problem"', () =>
      chatEvents(livechatChatId).some((event) => event.text?.startsWith('Order problem'))
    )
    both()
  })

  await step(2, async () => {
    for (const text of ['It was order 1234', 'Shipped last Monday']) {
      out.line({ left: `Grace: ${text}` })
      await plugin.sendUserMessage({ conversationId, endUserId, text })
    }
    await waitFor('both messages as the customer, in order', () => {
      const texts = chatEvents(livechatChatId)
        .filter((event) => event.author === 'customer' && event.kind === 'message')
        .map((event) => event.text)
      return texts.slice(-2).join('|') === 'It was order 1234|Shipped last Monday'
    })
    both()
  })

  await step(3, async () => {
    await livechat.agent(ANNA).join(livechatChatId)
    await livechat.agent(ANNA).sendMessage(livechatChatId, 'Hello Grace, I am looking at order 1234 now.')
    await waitFor('hitlAssigned for Anna', assignedTo('Anna Agent'))
    await waitFor('Anna’s reply in Botpress', () =>
      agentMessages(conversationId).some((message) => message.agent.name === 'Anna Agent' && message.text)
    )
    both()
  })

  await step(4, async () => {
    await livechat.agent(ANNA).sendFile(livechatChatId, {
      name: 'parcel-label.png',
      contentType: 'image/png',
      content: samplePng(),
    })
    await waitFor('the file in Botpress', () => agentMessages(conversationId).some((message) => message.file))
    both()
  })

  await step(5, async () => {
    await livechat.agent(ANNA).transfer(livechatChatId, { type: 'agent', ids: [BOB] })
    await waitFor('hitlAssigned for Bob', assignedTo('Bob Builder'))
    both()
  })

  await step(6, async () => {
    await livechat.agent(BOB).sendMessage(livechatChatId, 'Bob here: a new parcel leaves today.')
    await waitFor('Bob’s reply in Botpress', () =>
      agentMessages(conversationId).some((message) => message.agent.name === 'Bob Builder')
    )
    both()
  })

  await step(7, async () => {
    await livechat.agent(BOB).closeChat(livechatChatId)
    await waitFor('hitlStopped', () => hitlEvents(conversationId).some((event) => event.type === 'hitlStopped'))
    const stops = hitlEvents(conversationId).filter((event) => event.type === 'hitlStopped').length
    if (stops !== 1) throw new Error(`hitlStopped was emitted ${stops} times, expected once`)
    if (chatActive(livechatChatId) !== false) throw new Error('the LiveChat chat is still active')
    both()
    out.line({ left: 'Plugin: session over, Grace is back with the bot', right: `Chat ${livechatChatId} archived` })
  })

  await step(8, async () => {
    endUserId = await plugin.createUser({ name: 'Alan Turing', email: 'alan@example.com' })
    conversationId = await plugin.startHitl({ userId: endUserId, title: 'Billing question', messageHistory: [] })
    livechatChatId = await waitFor('the second chat', () => plugin.livechatChatId(conversationId))
    out.line({
      left: `Alan Turing: startHitl → conversation ${short(conversationId)}`,
      right: `New chat ${livechatChatId}`,
    })
    await plugin.sendUserMessage({ conversationId, endUserId, text: 'Actually, never mind.' })
    out.line({ left: 'Alan: Actually, never mind.' })
    await waitFor('Alan’s message in LiveChat', () =>
      chatEvents(livechatChatId).some((event) => event.text === 'Actually, never mind.')
    )
    both()
  })

  await step(9, async () => {
    await plugin.stopHitl(conversationId)
    out.line({ left: `Plugin: stopHitl(${short(conversationId)})` })
    await waitFor('the chat closed in LiveChat', () => chatActive(livechatChatId) === false)
    both()
    const stops = hitlEvents(conversationId).filter((event) => event.type === 'hitlStopped').length
    // The plugin ended this session itself; an hitlStopped now would end it twice.
    if (stops !== 0) throw new Error(`hitlStopped was emitted ${stops} times after stopHitl, expected none`)
    out.line({ right: `Chat ${livechatChatId} archived`, left: 'No hitlStopped: the bot ended the session itself' })
  })

  const report = { ok: steps.every((s) => s.ok), steps }
  out.note(
    report.ok
      ? `\n✓ Story complete: ${steps.length} steps seen on both sides.`
      : `\n✗ Story incomplete:\n${steps
          .filter((s) => !s.ok)
          .map((s) => `  - ${s.title}: ${s.detail ?? ''}`)
          .join('\n')}`
  )
  return report
}
