import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { STORY_STEPS, type Sandbox, startSandbox } from '../../sandbox'
import { deskView } from '../../sandbox/agent-desk'

/** `npm start -- --once` in-process: the scripted story must complete with every step seen on both sides. */
describe('the sandbox story', () => {
  let sandbox: Sandbox
  let transcript = ''
  let report: Awaited<ReturnType<Sandbox['playStory']>>

  // The story is every test's setup (played once, here), so that each test reads it and none relies on another.
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, write: () => {} })
    report = await sandbox.playStory((text) => {
      transcript += text
    })
  })
  afterAll(() => sandbox?.stop())

  /** Grace's session: the first chat of the story, and its Botpress hitl conversation. */
  const graceSession = () => {
    const chat = deskView(sandbox.bed.livechat).chats.find((candidate) => candidate.customer.name === 'Grace Hopper')
    if (!chat) throw new Error('No chat from Grace Hopper in LiveChat')
    const conversation = sandbox.bed.botpress.db.conversations.find((candidate) => candidate.tags.id === chat.id)
    if (!conversation) throw new Error(`No Botpress conversation tagged with chat ${chat.id}`)
    return { chat, conversationId: conversation.id }
  }

  it('plays every step of the HITL story and prints both sides', () => {
    expect(report.steps.filter((step) => !step.ok)).toEqual([])
    expect(report.steps.map((step) => step.title)).toEqual([...STORY_STEPS])
    expect(report.ok).toBe(true)
    expect(transcript).toContain('⚑ hitlAssigned: Anna Agent')
    expect(transcript).toContain('⚑ hitlAssigned: Bob Builder')
    expect(transcript).toContain('Grace Hopper: Shipped last Monday')
    expect(transcript).toContain('Story complete')
  })

  it('checks availability first, shows the agent the session fields and the tag, and brings the rating home', () => {
    expect(transcript).toContain('Bot: getAvailability → online')
    expect(transcript).toContain('Session fields: order: 1234 · plan: Pro · page: /help/delivery')
    expect(transcript).toContain('Tags: bot-handover')
    expect(transcript).toContain('Chat rated good: “Quick and kind”')
    const { chat } = graceSession()
    expect(chat.tags).toEqual(['bot-handover'])
    expect(chat.rating).toEqual({ score: 'good', comment: 'Quick and kind' })
    expect(chat.sessionFields.slice(0, 3)).toEqual([
      { key: 'order', value: '1234' },
      { key: 'plan', value: 'Pro' },
      { key: 'page', value: '/help/delivery' },
    ])
  })

  it('prints the transcript the agent received at the hand-over, media included', () => {
    expect(transcript).toContain('Plugin: startHitl "Order problem"')
    expect(transcript).toMatch(/The transcript the agent receives \(\d+ events, 2 files\):/)
    const handOver = transcript.slice(transcript.indexOf('The transcript the agent receives'))
    const lines = [
      'Grace Hopper: Order problem',
      'Parcel for order 1234 never arrived',
      'Grace Hopper: My parcel never arrived',
      'Grace Hopper: sent a file: tracking.png (image/png)',
      '· Bot: Sorry! Here is our delivery policy.',
      '· Bot sent a file (delivery-policy.pdf):',
      'Grace Hopper: sent a file: delivery-policy.pdf',
      '· Bot: Let me get you a human.',
    ]
    // In the order the agent reads them, before anything the end user writes during the session.
    const positions = lines.map((line) => handOver.indexOf(line))
    expect(positions.every((position) => position >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(positions.at(-1)).toBeLessThan(handOver.indexOf('Grace Hopper: It was order 1234'))
  })

  it('takes the end user’s photo and PDF to the agent as LiveChat files, fetched from the sandbox', async () => {
    const { chat } = graceSession()
    const customerFiles = chat.events.filter((event) => event.author === 'customer' && event.file)
    expect(customerFiles.map((event) => `${event.file?.name} ${event.file?.contentType}`)).toEqual([
      'tracking.png image/png',
      'delivery-policy.pdf application/pdf',
      'receipt.png image/png',
      'invoice-1234.pdf application/pdf',
    ])
    expect(transcript).toContain('Grace Hopper: sent a file: receipt.png (image/png)')
    expect(transcript).toContain('Grace Hopper: sent a file: invoice-1234.pdf (application/pdf)')
    // The files are on LiveChat's CDN with the content the sandbox served.
    const invoice = customerFiles.at(-1)?.file?.url ?? ''
    expect(invoice.startsWith(`${sandbox.urls.livechat}/cdn/`)).toBe(true)
    const content = Buffer.from(await (await fetch(invoice)).arrayBuffer()).toString('latin1')
    expect(content).toMatch(/^%PDF-1\.4[\s\S]*Invoice 1234[\s\S]*%%EOF\n$/)
  })

  it('brings Anna’s image and PDF to Botpress as her image and file messages', () => {
    const { chat, conversationId } = graceSession()
    const agentFiles = chat.events.filter((event) => event.author === 'agent' && event.file)
    expect(agentFiles.map((event) => event.file?.name)).toEqual(['parcel-label.png', 'return-form.pdf'])

    const anna = sandbox.bed.botpress.db.users.find((user) => user.name === 'Anna Agent')
    const received = sandbox.bed.botpress.db.messages
      .filter((message) => message.conversationId === conversationId && message.userId === anna?.id)
      .filter((message) => message.type === 'image' || message.type === 'file')
      .map((message) => ({ type: message.type, payload: message.payload }))
    expect(received).toHaveLength(2)
    expect(received).toEqual(
      expect.arrayContaining([
        { type: 'image', payload: { imageUrl: expect.stringMatching(/\/cdn\/.+\/parcel-label\.png$/) } },
        { type: 'file', payload: { fileUrl: expect.stringMatching(/return-form\.pdf$/), title: 'return-form.pdf' } },
      ])
    )
    expect(transcript).toContain('Anna Agent: [image] parcel-label.png')
    expect(transcript).toContain('Anna Agent: [file] return-form.pdf')
  })

  it('hands over from the console with context, and takes the end user’s rating once the agent closed', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${sandbox.urls.console}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(res.status).toBe(200)
      return (await res.json()) as { status: string; canRate: boolean; livechatChatId?: string }
    }
    const desk = (chatId: string) => deskView(sandbox.bed.livechat).chats.find((chat) => chat.id === chatId)
    const started = await post('api/user/start', { name: 'Ada Lovelace', email: 'ada@example.com' })
    expect(started.status).toBe('waiting')
    const chatId = started.livechatChatId ?? ''
    expect(desk(chatId)?.tags).toEqual(['bot-handover'])
    expect(desk(chatId)?.sessionFields).toContainEqual({ key: 'page', value: '/help/contact' })
    await post('api/agent/anna%40example.com/close', { chatId })
    await vi.waitFor(() => expect(sandbox.endUser.view()).toMatchObject({ status: 'ended', canRate: true }), {
      timeout: 15_000,
    })
    expect((await post('api/user/rate', { score: 'bad' })).canRate).toBe(false)
    expect(desk(chatId)?.rating).toEqual({ score: 'bad' })
  })

  it('serves the console on loopback only', async () => {
    expect(sandbox.urls.console).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const res = await fetch(sandbox.urls.console)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('LiveChat HITL sandbox')
  })

  it('serves the Botpress side’s files under /media only, as downloads that run no script', async () => {
    const url = sandbox.media.put({ name: 'note.html', contentType: 'text/html', content: Buffer.from('<p>hi</p>') })
    expect(url.startsWith(`${sandbox.urls.console}media/`)).toBe(true)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe('sandbox')
    expect(await res.text()).toBe('<p>hi</p>')
    expect((await fetch(`${sandbox.urls.console}media/00000000/note.html`)).status).toBe(404)
  })
})
