import type { TestBed } from '../testbed/test-bed'
import { type DeskEvent, deskView } from './agent-desk'
import type { MediaStore } from './media'
import type { AgentFile, HistoryItem, PluginRole } from './plugin-role'
import { samplePdf, samplePng } from './sample-image'
import type { Transcript } from './transcript'

/**
 * The scripted HITL story of `npm start`: one session the agents close, one the bot closes with stopHitl. Each step
 * acts as one party and then waits for what the *other* side should see; the transcript prints what really arrived
 * (LiveChat's thread on the right, Botpress's messages and hitl events on the left), never what was asked for.
 * Files go both ways: the end user's photo and PDF (in the history handed over, then during the session) are served by
 * the sandbox for `bp serve` to fetch; the agent's image and PDF come back as Botpress `image` and `file` messages.
 * Around the hand-over the flow does what hub.md's recipes show: it checks availability first, hands over with session
 * fields and a tag the agent sees, and brings Grace's rating back to the chat once it is closed.
 */

export type StoryStep = { title: string; ok: boolean; detail?: string }
export type StoryReport = { ok: boolean; steps: StoryStep[] }

export const STORY_STEPS = [
  'The end user is created (createUser)',
  'The bot checks availability (getAvailability)',
  'The bot hands over with context (startHitl)',
  'The end user writes twice',
  'The end user sends a photo and a PDF',
  'Anna joins and replies',
  'Anna sends an image and a PDF',
  'Anna transfers the chat to Bob',
  'Bob replies',
  'Bob closes the chat (hitlStopped)',
  'Grace rates the session (rateSession)',
  'A second session starts',
  'The bot ends it (stopHitl)',
] as const

const ANNA = 'anna@example.com'
const BOB = 'bob@example.com'
const WAIT_MS = 10_000

type Parties = Pick<TestBed, 'livechat' | 'botpress' | 'installation'>
type Media = Pick<MediaStore, 'put'>

const short = (id: string): string => (id.length > 10 ? `${id.slice(0, 8)}…` : id)

const BROWN = [146, 98, 57] as const
const GREEN = [22, 163, 74] as const

/** One history entry as the transcript's left column shows it. */
const historyLine = (item: HistoryItem, names: { user: string }): string => {
  const who = item.source.type === 'user' ? names.user : 'Bot'
  switch (item.type) {
    case 'text':
      return `${who}: ${item.payload.text}`
    case 'image':
      return `${who}: [image] ${nameOfUrl(item.payload.imageUrl)}`
    case 'file':
      return `${who}: [file] ${item.payload.title ?? nameOfUrl(item.payload.fileUrl)}`
    default:
      return `${who}: [${item.type}]`
  }
}

/** An agent's file as the plugin receives it: kind, name and the URL the bot can use. */
const fileLine = (file: AgentFile): string => `[${file.kind}] ${file.name} ${file.url}`

const nameOfUrl = (url: string): string => decodeURIComponent(url.split('/').at(-1) ?? url)

export const playStory = async (
  parties: Parties,
  plugin: PluginRole,
  out: Transcript,
  media: Media
): Promise<StoryReport> => {
  const { livechat } = parties
  const steps: StoryStep[] = []
  const printed = new Set<string>()
  // A replay meets the same end users again (same email, same LiveChat chat, a new thread): only what happens
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
          text: `${message.agent.name}: ${message.file ? fileLine(message.file) : message.text}`,
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
    // The Studio recipe: online → Start HITL; queue → "you are in line", then Start HITL; offline → opening hours.
    const status = await plugin.getAvailability()
    if (status === 'offline') throw new Error('the Support group is offline: the bot would give the opening hours')
    out.line({
      left: `Bot: getAvailability → ${status}`,
      right: `Support group: ${status === 'online' ? 'an agent accepts chats' : 'agents are busy, a chat would queue'}`,
    })
  })

  await step(2, async () => {
    // What Grace and the bot said before the hand-over, a photo and a document included: the plugin's messageHistory.
    const trackingUrl = media.put({ name: 'tracking.png', contentType: 'image/png', content: samplePng(48, BROWN) })
    const policyUrl = media.put({
      name: 'delivery-policy.pdf',
      contentType: 'application/pdf',
      content: samplePdf(['Delivery policy', 'Lost parcels are re-shipped free of charge.']),
    })
    const messageHistory: HistoryItem[] = [
      { source: { type: 'user', userId: endUserId }, type: 'text', payload: { text: 'My parcel never arrived' } },
      { source: { type: 'user', userId: endUserId }, type: 'image', payload: { imageUrl: trackingUrl } },
      { source: { type: 'bot' }, type: 'text', payload: { text: 'Sorry! Here is our delivery policy.' } },
      { source: { type: 'bot' }, type: 'file', payload: { fileUrl: policyUrl, title: 'delivery-policy.pdf' } },
      { source: { type: 'bot' }, type: 'text', payload: { text: 'Let me get you a human.' } },
    ]
    for (const item of messageHistory) out.line({ left: historyLine(item, { user: 'Grace' }) })
    const title = 'Order problem'
    const description = 'Parcel for order 1234 never arrived'
    out.line({
      left: `Plugin: startHitl "${title}" (${description}) with ${messageHistory.length} history entries`,
    })
    const hitlSession = {
      sessionFields: { order: '1234', plan: 'Pro', page: '/help/delivery' },
      tags: ['bot-handover'],
    }
    out.line({ left: 'Plugin: with session fields order, plan, page and the tag bot-handover' })
    conversationId = await plugin.startHitl({ userId: endUserId, title, description, hitlSession, messageHistory })
    livechatChatId = await waitFor('the hitl conversation tagged with a LiveChat chat', () =>
      plugin.livechatChatId(conversationId)
    )
    // Read at once: the transcript must be in the chat before startHitl answers, so before the agent's first look.
    const transcript = chatEvents(livechatChatId)
    const chat = await waitFor('the chat in LiveChat', () =>
      deskView(livechat).chats.find((candidate) => candidate.id === livechatChatId)
    )
    const opened = chat.threads > 1 ? `Chat ${chat.id} resumed (thread ${chat.threads})` : `New chat ${chat.id}`
    out.line({
      left: `startHitl → conversation ${short(conversationId)}`,
      right: `${opened} in ${chat.groups.join(', ')} from ${chat.customer.name} <${chat.customer.email ?? 'no email'}>`,
    })
    const files = transcript.filter((event) => event.file).map((event) => event.file?.name)
    const missing = [
      transcript[0]?.text?.startsWith(title) ? undefined : `the title "${title}" first`,
      transcript.some((event) => event.text?.includes(description)) ? undefined : 'the description',
      files.includes('tracking.png') ? undefined : 'the photo tracking.png as a file',
      files.includes('delivery-policy.pdf') ? undefined : 'the PDF delivery-policy.pdf as a file',
    ].filter((what) => what !== undefined)
    if (missing.length > 0) throw new Error(`not in the chat when startHitl returned: ${missing.join(', ')}`)
    const fields = chat.sessionFields.map((field) => `${field.key}: ${field.value}`).join(' · ')
    if (!chat.sessionFields.some((field) => field.key === 'order' && field.value === '1234')) {
      throw new Error('the session fields are not on the customer')
    }
    if (!chat.tags.includes('bot-handover')) throw new Error('the chat is not tagged bot-handover')
    out.line({ right: `Session fields: ${fields}` })
    out.line({ right: `Tags: ${chat.tags.join(', ')}` })
    out.line({ right: `The transcript the agent receives (${transcript.length} events, ${files.length} files):` })
    both()
  })

  await step(3, async () => {
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

  await step(4, async () => {
    const receiptUrl = media.put({ name: 'receipt.png', contentType: 'image/png', content: samplePng(64, GREEN) })
    const invoiceUrl = media.put({
      name: 'invoice-1234.pdf',
      contentType: 'application/pdf',
      content: samplePdf(['Invoice 1234', 'Grace Hopper', '1 parcel, shipped last Monday']),
    })
    out.line({ left: 'Grace: [image] receipt.png' })
    await plugin.sendUserFile({ conversationId, endUserId, kind: 'image', url: receiptUrl })
    out.line({ left: 'Grace: [file] invoice-1234.pdf' })
    await plugin.sendUserFile({ conversationId, endUserId, kind: 'file', url: invoiceUrl, title: 'invoice-1234.pdf' })
    await waitFor('the photo and the PDF as the customer’s files', () => {
      const files = chatEvents(livechatChatId)
        .filter((event) => event.author === 'customer' && event.file)
        .map((event) => `${event.file?.name} (${event.file?.contentType})`)
      return files.includes('receipt.png (image/png)') && files.includes('invoice-1234.pdf (application/pdf)')
    })
    both()
  })

  await step(5, async () => {
    await livechat.agent(ANNA).join(livechatChatId)
    await livechat.agent(ANNA).sendMessage(livechatChatId, 'Hello Grace, I am looking at order 1234 now.')
    await waitFor('hitlAssigned for Anna', assignedTo('Anna Agent'))
    await waitFor('Anna’s reply in Botpress', () =>
      agentMessages(conversationId).some((message) => message.agent.name === 'Anna Agent' && message.text)
    )
    both()
  })

  await step(6, async () => {
    const anna = livechat.agent(ANNA)
    await anna.sendFile(livechatChatId, { name: 'parcel-label.png', contentType: 'image/png', content: samplePng() })
    await anna.sendFile(livechatChatId, {
      name: 'return-form.pdf',
      contentType: 'application/pdf',
      content: samplePdf(['Return form', 'Order 1234: print, sign and attach to the new parcel.']),
    })
    // The two webhooks may be handled concurrently: wait for both, in any order.
    await waitFor('the image and the PDF in Botpress as Anna’s image and file messages', () => {
      const files = agentMessages(conversationId)
        .filter((message) => message.agent.name === 'Anna Agent' && message.file)
        .map((message) => `${message.file?.kind}:${message.file?.name}`)
      return files.includes('image:parcel-label.png') && files.includes('file:return-form.pdf')
    })
    both()
  })

  await step(7, async () => {
    await livechat.agent(ANNA).transfer(livechatChatId, { type: 'agent', ids: [BOB] })
    await waitFor('hitlAssigned for Bob', assignedTo('Bob Builder'))
    both()
  })

  await step(8, async () => {
    await livechat.agent(BOB).sendMessage(livechatChatId, 'Bob here: a new parcel leaves today.')
    await waitFor('Bob’s reply in Botpress', () =>
      agentMessages(conversationId).some((message) => message.agent.name === 'Bob Builder')
    )
    both()
  })

  await step(9, async () => {
    await livechat.agent(BOB).closeChat(livechatChatId)
    await waitFor('hitlStopped', () => hitlEvents(conversationId).some((event) => event.type === 'hitlStopped'))
    const stops = hitlEvents(conversationId).filter((event) => event.type === 'hitlStopped').length
    if (stops !== 1) throw new Error(`hitlStopped was emitted ${stops} times, expected once`)
    if (chatActive(livechatChatId) !== false) throw new Error('the LiveChat chat is still active')
    both()
    out.line({ left: 'Plugin: session over, Grace is back with the bot', right: `Chat ${livechatChatId} archived` })
  })

  await step(10, async () => {
    // After hitlStopped the flow asks "Did we solve your problem?" with two buttons; Grace picks 👍.
    out.line({ left: 'Bot: Did we solve your problem? [👍 Yes] [👎 No]' })
    out.line({ left: 'Grace: 👍 Yes' })
    await plugin.rateSession({ conversationId, score: 'good', comment: 'Quick and kind' })
    const rating = await waitFor(
      'the rating on the chat in LiveChat',
      () => deskView(livechat).chats.find((candidate) => candidate.id === livechatChatId)?.rating
    )
    if (rating.score !== 'good') throw new Error(`the chat is rated ${rating.score}, expected good`)
    out.line({ left: 'Bot: rateSession good', right: `Chat rated ${rating.score}: “${rating.comment ?? ''}”` })
  })

  await step(11, async () => {
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

  await step(12, async () => {
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
