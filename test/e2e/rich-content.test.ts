import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_TRANSCRIPT_UPLOADS } from '../../src/delivery/transcript'
import { MAX_ATTEMPTS } from '../../src/livechat'
import { chatOf, customersOf, lastThreadOf, registerWebhooks, settle } from '../../testbed/helpers'
import { TestBed, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'

const ANNA = 'anna@example.com'
const BOB = 'bob@example.com'

/** A 2x1 PNG header: enough for LiveChat (and the emulator) to read its size. */
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.from([0, 0, 0, 2, 0, 0, 0, 1]),
  Buffer.alloc(32),
])
/** The start of an MP4: a box whose type is `ftyp` at byte 4, with the `mp42` brand. */
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(12)])
const MEDIA: Record<string, { type: string; body: Buffer }> = {
  png: { type: 'image/png', body: PNG },
  pdf: { type: 'application/pdf', body: Buffer.from('%PDF-1.4 report') },
  mp3: { type: 'audio/mpeg', body: Buffer.from('ID3 song') },
  mp4: { type: 'video/mp4', body: MP4 },
}
/** Files whose declared type must not be trusted: served by name, under `/media/`. */
const DECEPTIVE: Record<string, { type: string; body: Buffer }> = {
  'not-an-image.png': { type: 'image/png', body: Buffer.from('<html><script>alert(document.cookie)</script></html>') },
  'drawing.svg': {
    type: 'image/svg+xml',
    body: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  },
  'page.html': { type: 'text/html', body: Buffer.from('<!doctype html><script>alert(1)</script>') },
}

type Event = Record<string, unknown> & { type: string; id: string }
type Elements = { title?: string; image?: { url: string }; buttons?: { type: string; text: string }[] }[]

/**
 * Bot media come from a tiny http server on loopback, listed in MEDIA_TRUSTED_ORIGINS as a self-hosted admin would:
 * `/media/<name>.<ext>` (by extension, or a deceptive file by name), `/hops/<n>/<name>` (n redirects, then the
 * medium), `/redirect?to=<url>`; anything else answers 404.
 */
const startMediaServer = async (): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const hops = /^\/hops\/(\d+)\/(.+)$/.exec(url.pathname)
    if (hops) {
      const left = Number(hops[1])
      res.writeHead(302, { location: left > 1 ? `/hops/${left - 1}/${hops[2]}` : `/media/${hops[2]}` }).end()
      return
    }
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end()
      return
    }
    const extension = /\.([a-z0-9]+)$/.exec(url.pathname)?.[1] ?? ''
    const name = url.pathname.slice('/media/'.length)
    const media = url.pathname.startsWith('/media/') ? (DECEPTIVE[name] ?? MEDIA[extension]) : undefined
    if (!media) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': media.type, 'content-length': String(media.body.length) }).end(media.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/** An internal service the integration must never reach: records every request, answers an image to each. */
const startRecorder = async (): Promise<{ server: Server; url: string; hits: string[] }> => {
  const hits: string[] = []
  const server = createServer((req, res) => {
    hits.push(req.url ?? '')
    res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/**
 * Files and rich content both ways, the transcript, and who is who, through `bp serve`. The LiveChat emulator refuses
 * file events that do not point to its CDN and rich messages that break the documented shape, so every event found in
 * its state below was accepted as LiveChat would.
 */
describe('rich content', () => {
  let bed: TestBed
  let media: { server: Server; url: string }
  let recorder: Awaited<ReturnType<typeof startRecorder>>
  let endUserId = ''
  let conversationId = ''
  let livechatChatId = ''

  const threadEvents = (): Event[] => lastThreadOf(chatOf(bed.livechat, livechatChatId)).events as Event[]
  const cdnPrefix = () => `${bed.livechat.url}/cdn/`
  const agentUser = (agentId: string) => bed.botpress.db.users.find((user) => user.tags.agentId === agentId)
  const agentMessages = (agentId: string) =>
    bed.botpress.db.messages.filter((m) => m.conversationId === conversationId && m.userId === agentUser(agentId)?.id)

  /** Sends a bot-side message on the hitl channel and returns the LiveChat events it produced. */
  const send = async (type: string, payload: Record<string, unknown>) => {
    const inst = bed.installation
    const before = threadEvents().length
    const message = await inst.sendMessage({ conversationId, userId: inst.botUserId, type, payload })
    const events = threadEvents().slice(before)
    expect(bed.botpress.db.findMessage(message.id)?.tags.id).toBe(events[0]?.id)
    return events
  }

  /**
   * The session the later tests write in: the first test's (opened with a long history), or, for a test run alone or
   * first, one it opens itself. Each test reads only the events it caused, never what another test wrote.
   */
  const ensureSession = async () => {
    if (conversationId) return
    const output = await bed.installation.runAction('startHitl', { userId: endUserId, messageHistory: [] })
    conversationId = output.conversationId
    livechatChatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
  }

  beforeAll(async () => {
    media = await startMediaServer()
    recorder = await startRecorder()
    bed = await startTestBed({
      livechat: { webhookRetryDelaysMs: [200, 400, 800] },
      env: { MEDIA_TRUSTED_ORIGINS: media.url },
    })
    await registerWebhooks(bed)
    const { userId } = await bed.installation.runAction('createUser', {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      pictureUrl: 'https://example.com/ada.png',
    })
    endUserId = userId
  })
  afterAll(async () => {
    await bed?.stop()
    await new Promise((resolve) => media?.server.close(resolve))
    await new Promise((resolve) => recorder?.server.close(resolve))
  })

  it('puts a history of 100 mixed messages into the new chat, attributed and in order, before returning', async () => {
    const history = Array.from({ length: 100 }, (_, i) => {
      const user = { type: 'user' as const, userId: endUserId }
      const bot = { type: 'bot' as const }
      switch (i % 5) {
        case 0:
          return { source: user, type: 'text' as const, payload: { text: `u${i}` } }
        case 1:
          return { source: bot, type: 'text' as const, payload: { text: `b${i}` } }
        case 2:
          return { source: user, type: 'image' as const, payload: { imageUrl: `${media.url}/media/shot-${i}.png` } }
        case 3:
          return {
            source: bot,
            type: 'file' as const,
            payload: { fileUrl: `${media.url}/media/doc-${i}.pdf`, title: `doc-${i}.pdf` },
          }
        default:
          return i % 10 === 4
            ? {
                source: bot,
                type: 'choice' as const,
                payload: { text: `c${i}`, options: [{ label: 'Yes', value: 'y' }] },
              }
            : { source: user, type: 'location' as const, payload: { latitude: 48.85, longitude: 2.35, title: `l${i}` } }
      }
    })
    const callsBefore = bed.livechat.calls.length
    const output = await bed.installation.runAction('startHitl', {
      userId: endUserId,
      title: 'Refund',
      description: 'Wants a refund',
      messageHistory: history,
    })
    conversationId = output.conversationId
    livechatChatId = bed.botpress.db.findConversation(conversationId)?.tags.id ?? ''
    const chat = chatOf(bed.livechat, livechatChatId)
    const events = threadEvents()

    // One marker per event: who wrote it and what it is, to compare the order with the history.
    const markers = events.map((event) => {
      const text = typeof event.text === 'string' ? event.text : ''
      if (event.type === 'file') return `file:${event.name}:${event.author_id === chat.customer_id}`
      if (event.type === 'rich_message') return `rich:${event.template_id}`
      return `${event.type === 'system_message' ? 'system' : 'customer'}:${text.split(' ')[0]}`
    })
    // Only the latest MAX_TRANSCRIPT_UPLOADS media are uploaded; the older ones show as links, still in place.
    const mediaIndices = history.flatMap((_, i) => (i % 5 === 2 || i % 5 === 3 ? [i] : []))
    const linked = new Set(mediaIndices.slice(0, mediaIndices.length - MAX_TRANSCRIPT_UPLOADS))
    const expected = [
      'customer:Refund\n\nWants',
      ...history.flatMap((_, i) => {
        switch (i % 5) {
          case 0:
            return [`customer:u${i}`]
          case 1:
            return ['system:Bot:']
          case 2:
            return linked.has(i) ? ['customer:[Image]'] : [`file:shot-${i}.png:true`]
          case 3:
            return linked.has(i) ? ['system:Bot:'] : ['system:Bot', `file:doc-${i}.pdf:true`]
          default:
            return i % 10 === 4 ? ['system:Bot', 'rich:quick_replies'] : ['customer:[Location:']
        }
      }),
    ]
    expect(markers).toEqual(expected)
    expect(events[2]).toMatchObject({
      type: 'system_message',
      text: 'Bot: b1',
      system_message_type: 'botpress.bot_message',
    })
    expect(events[3]).toMatchObject({ type: 'message', text: `[Image] ${media.url}/media/shot-2.png` })
    expect(events[4]).toMatchObject({
      type: 'system_message',
      text: `Bot: [File: doc-3.pdf] ${media.url}/media/doc-3.pdf`,
    })
    const lastImage = events.filter((event) => event.type === 'file').at(-2)
    expect(lastImage).toMatchObject({ name: 'shot-97.png', content_type: 'image/png', width: 2, height: 1 })
    expect(events.at(-3)).toMatchObject({ type: 'system_message', text: 'Bot sent a file (doc-98.pdf):' })
    expect(
      events.find((event) => event.type === 'message' && String(event.text).startsWith('[Location'))
    ).toMatchObject({ text: expect.stringMatching(/48\.85, 2\.35 https:\/\/www\.google\.com\/maps/) })
    // The first request stays small; the rest followed with send_event before startHitl answered.
    const calls = bed.livechat.calls.slice(callsBefore).map((call) => `${call.api}.${call.action}`)
    expect(calls.filter((call) => call === 'customer.upload_file')).toHaveLength(MAX_TRANSCRIPT_UPLOADS)
    expect(calls.filter((call) => call === 'customer.send_event').length).toBeGreaterThan(0)
    expect(calls.indexOf('customer.start_chat')).toBeLessThan(calls.indexOf('customer.send_event'))
  })

  it('shows the customer with name, email, avatar and the Botpress ids as session fields', async () => {
    await ensureSession()
    const chat = chatOf(bed.livechat, livechatChatId)
    const customer = customersOf(bed.livechat).find((candidate) => candidate.id === chat.customer_id) as
      | (ReturnType<typeof customersOf>[number] & { session_fields: Record<string, string>[] })
      | undefined
    expect(customer).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      avatar: 'https://example.com/ada.png',
    })
    // Set when createUser prepared the customer, before any conversation existed: the end user and the bot.
    expect(customer?.session_fields).toEqual([{ botpress_user_id: endUserId }, { botpress_bot_id: expect.any(String) }])
  })

  it('sends the end user’s image, audio, video and file as LiveChat file events on the CDN', async () => {
    await ensureSession()
    const cases = [
      ['image', { imageUrl: `${media.url}/media/photo.png` }, 'photo.png', 'image/png'],
      ['audio', { audioUrl: `${media.url}/media/voice.mp3` }, 'voice.mp3', 'audio/mpeg'],
      ['video', { videoUrl: `${media.url}/media/clip.mp4` }, 'clip.mp4', 'video/mp4'],
      ['file', { fileUrl: `${media.url}/media/x.pdf`, title: 'Invoice' }, 'Invoice.pdf', 'application/pdf'],
    ] as const
    for (const [type, payload, name, contentType] of cases) {
      const events = await send(type, { ...payload, userId: endUserId })
      const customerId = chatOf(bed.livechat, livechatChatId).customer_id
      expect(events).toEqual([
        expect.objectContaining({ type: 'file', name, content_type: contentType, author_id: customerId }),
      ])
      expect(String(events[0]?.url)).toContain(cdnPrefix())
    }
  })

  it('sends text, markdown, location and a bloc item by item, files as files', async () => {
    await ensureSession()
    expect(await send('markdown', { markdown: '**Order** 42', userId: endUserId })).toMatchObject([
      { type: 'message', text: '**Order** 42' },
    ])
    expect(
      await send('location', { latitude: 1.5, longitude: 2.5, address: '1 Main St', userId: endUserId })
    ).toMatchObject([
      { type: 'message', text: expect.stringContaining('[Location: 1 Main St] 1.5, 2.5 https://www.google.com/maps') },
    ])
    const bloc = await send('bloc', {
      userId: endUserId,
      items: [
        { type: 'text', payload: { text: 'See:' } },
        { type: 'image', payload: { imageUrl: `${media.url}/media/bloc.png` } },
        { type: 'file', payload: { fileUrl: `${media.url}/media/bloc.pdf` } },
        { type: 'text', payload: { text: 'Thanks' } },
      ],
    })
    expect(bloc.map((event) => [event.type, event.text ?? event.name])).toEqual([
      ['message', 'See:'],
      ['file', 'bloc.png'],
      ['file', 'bloc.pdf'],
      ['message', 'Thanks'],
    ])
  })

  it('renders cards, carousels, choices and dropdowns as rich messages, attributed to the bot', async () => {
    await ensureSession()
    const card = {
      title: 'Blue shoes',
      subtitle: 'Size 42',
      imageUrl: `${media.url}/media/shoes.png`,
      actions: [
        { action: 'url', label: 'Buy', value: 'https://shop.example.com/shoes' },
        { action: 'postback', label: 'More', value: 'more' },
      ],
    }
    const [label, rich] = await send('card', card)
    expect(label).toMatchObject({ type: 'system_message', text: 'Bot sent a card:' })
    expect(rich).toMatchObject({ type: 'rich_message', template_id: 'cards' })
    const [element] = rich?.elements as Elements
    expect(element?.image?.url).toContain(cdnPrefix())
    expect(element?.buttons?.map((button) => [button.type, button.text])).toEqual([
      ['url', 'Buy'],
      ['message', 'More'],
    ])

    const carousel = await send('carousel', { items: [card, { ...card, title: 'Red shoes', imageUrl: undefined }] })
    expect((carousel[1]?.elements as Elements).map((item) => item.title)).toEqual(['Blue shoes', 'Red shoes'])

    for (const type of ['choice', 'dropdown']) {
      const [, replies] = await send(type, { text: 'Which size?', options: [{ label: '42', value: '42' }] })
      expect(replies).toMatchObject({
        type: 'rich_message',
        template_id: 'quick_replies',
        elements: [{ title: 'Which size?', buttons: [{ type: 'message', text: '42' }] }],
      })
    }

    const many = await send('carousel', {
      items: Array.from({ length: 11 }, (_, i) => ({ title: `Item ${i}`, actions: [] })),
    })
    expect(many).toMatchObject([{ type: 'system_message', text: expect.stringContaining('Item 10') }])
  })

  it('gives the agent the link and logs a warning when a medium cannot be fetched or uploaded', async () => {
    await ensureSession()
    const missing = `${media.url}/media/missing.gif`
    expect(await send('image', { imageUrl: missing, userId: endUserId })).toMatchObject([
      { type: 'message', text: `[Image] ${missing}` },
    ])
    bed.livechat.faults.inject({ count: MAX_ATTEMPTS, kind: 500, match: { api: 'customer', action: 'upload_file' } })
    const refused = `${media.url}/media/refused.pdf`
    expect(await send('file', { fileUrl: refused, title: 'Contract', userId: endUserId })).toMatchObject([
      { type: 'message', text: `[File: Contract] ${refused}` },
    ])
    const exe = `${media.url}/media/setup.exe`
    expect(await send('file', { fileUrl: exe })).toMatchObject([{ type: 'system_message', text: `[File] ${exe}` }])
    await eventually(() => {
      const logs = bed.logs()
      expect(logs).toContain('Could not attach the image in LiveChat; the agent gets its link instead')
      expect(logs).toMatch(/Could not attach the file in LiveChat.*errorType=livechat:/)
      expect(logs).toContain('LiveChat does not accept executable files')
    })
    expect(bed.logs()).not.toContain(missing)
  })

  it('never fetches an internal address: the agent gets the link and nothing is requested', async () => {
    await ensureSession()
    const port = new URL(recorder.url).port
    const urls = [
      `${recorder.url}/media/loopback.png`,
      `http://localhost:${port}/media/name.png`,
      `http://[::ffff:127.0.0.1]:${port}/media/mapped.png`,
      `http://2130706433:${port}/media/decimal.png`,
      `http://0.0.0.0:${port}/media/unspecified.png`,
    ]
    for (const url of urls) {
      expect(await send('image', { imageUrl: url, userId: endUserId })).toMatchObject([
        { type: 'message', text: `[Image] ${url}` },
      ])
    }
    expect(recorder.hits).toEqual([])
    await eventually(() => expect(bed.logs()).toMatch(/Could not attach the image in LiveChat.*loopback/))
  })

  it('checks every redirect the same way and follows at most 3', async () => {
    await ensureSession()
    const toInternal = `${media.url}/redirect?to=${encodeURIComponent(`${recorder.url}/media/secret.png`)}`
    const four = `${media.url}/hops/4/four.png`
    for (const url of [toInternal, four]) {
      expect(await send('image', { imageUrl: url, userId: endUserId })).toMatchObject([
        { type: 'message', text: `[Image] ${url}` },
      ])
    }
    expect(recorder.hits).toEqual([])
    expect(await send('image', { imageUrl: `${media.url}/hops/3/three.png`, userId: endUserId })).toEqual([
      expect.objectContaining({ type: 'file', name: 'three.png', content_type: 'image/png' }),
    ])
  })

  it('fetches Botpress’s own files (the BP_API_URL origin) without it being listed', async () => {
    await ensureSession()
    const file = bed.botpress.seedFile({ key: 'receipt.png', contentType: 'image/png', content: PNG })
    expect(await send('image', { imageUrl: file.url, userId: endUserId })).toEqual([
      expect.objectContaining({ type: 'file', content_type: 'image/png', width: 2, height: 1 }),
    ])
  })

  it('uploads what only claims to be an image, SVG and HTML as neutral downloads', async () => {
    await ensureSession()
    const cases = [
      ['image', { imageUrl: `${media.url}/media/not-an-image.png` }, 'not-an-image.png'],
      ['image', { imageUrl: `${media.url}/media/drawing.svg` }, 'drawing.svg'],
      ['file', { fileUrl: `${media.url}/media/page.html` }, 'page.html'],
    ] as const
    for (const [type, payload, name] of cases) {
      const [event, ...rest] = await send(type, { ...payload, userId: endUserId })
      expect(rest).toEqual([])
      expect(event).toMatchObject({ type: 'file', name, content_type: 'application/octet-stream' })
      expect(event).not.toHaveProperty('width')
    }
  })

  it('attaches at most 10 media of one message and names the others in one line', async () => {
    await ensureSession()
    const urls = Array.from({ length: 12 }, (_, i) => `${media.url}/media/many-${i}.png`)
    const events = await send('bloc', {
      userId: endUserId,
      items: urls.map((imageUrl) => ({ type: 'image', payload: { imageUrl } })),
    })
    expect(events.slice(0, 10).map((event) => [event.type, event.name])).toEqual(
      urls.slice(0, 10).map((_, i) => ['file', `many-${i}.png`])
    )
    expect(events.slice(10)).toEqual([
      expect.objectContaining({
        type: 'message',
        text: `2 more media not attached (at most 10 per message):\n[Image] ${urls[10]}\n[Image] ${urls[11]}`,
      }),
    ])
  })

  it('brings agent files in by content type with their names, and rich messages as cards or choices', async () => {
    await ensureSession()
    const anna = bed.livechat.agent(ANNA)
    const image = await anna.sendFile(livechatChatId, { name: 'label.png', contentType: 'image/png', content: PNG })
    await anna.sendFile(livechatChatId, {
      name: 'hello.mp3',
      contentType: 'audio/mpeg',
      content: MEDIA.mp3?.body ?? PNG,
    })
    await anna.sendFile(livechatChatId, {
      name: 'howto.mp4',
      contentType: 'video/mp4',
      content: MEDIA.mp4?.body ?? PNG,
    })
    await anna.sendFile(livechatChatId, { name: 'invoice.pdf', contentType: 'application/pdf', content: PNG })
    const button = (type: string, text: string, value: string) => ({
      type,
      text,
      value,
      postback_id: text,
      user_ids: [],
    })
    await anna.sendRichMessage(livechatChatId, {
      template_id: 'cards',
      elements: [
        { title: 'Return label', subtitle: 'Print it', buttons: [button('url', 'Open', 'https://x.example')] },
      ],
    })
    await anna.sendRichMessage(livechatChatId, {
      template_id: 'quick_replies',
      elements: [{ title: 'Solved?', buttons: [button('message', 'Yes', 'yes'), button('message', 'No', 'no')] }],
    })
    await anna.sendRichMessage(livechatChatId, {
      template_id: 'cards',
      elements: [{ title: 'Call us', buttons: [button('phone', 'Call', '+33123')] }],
    })
    await settle(bed)

    // Webhooks for back-to-back events may be handled concurrently, so only the set is checked, not the order.
    const received = agentMessages(ANNA).map((m) => ({ type: m.type, payload: m.payload }))
    expect(received).toHaveLength(7)
    expect(received).toEqual(
      expect.arrayContaining([
        { type: 'image', payload: { imageUrl: image.url } },
        { type: 'audio', payload: { audioUrl: expect.stringContaining('hello.mp3') } },
        { type: 'video', payload: { videoUrl: expect.stringContaining('howto.mp4') } },
        { type: 'file', payload: { fileUrl: expect.stringContaining('invoice.pdf'), title: 'invoice.pdf' } },
        {
          type: 'card',
          payload: {
            title: 'Return label',
            subtitle: 'Print it',
            actions: [{ action: 'url', label: 'Open', value: 'https://x.example' }],
          },
        },
        {
          type: 'choice',
          payload: {
            text: 'Solved?',
            options: [
              { label: 'Yes', value: 'Yes' },
              { label: 'No', value: 'No' },
            ],
          },
        },
        { type: 'text', payload: { text: 'Call us\n• Call: +33123' } },
      ])
    )
  })

  it('makes two agents in one chat two Botpress users with their names, and never echoes system messages', async () => {
    await ensureSession()
    // Anna has the chat (announced) before Bob takes over.
    await bed.livechat.agent(ANNA).sendMessage(livechatChatId, 'Anna here')
    await settle(bed)
    await bed.livechat.agent(BOB).sendMessage(livechatChatId, 'Bob here, taking over')
    await bed.livechat.agent(ANNA).sendMessage(livechatChatId, 'Thanks Bob')
    await bed.livechat.agent(BOB).closeChat(livechatChatId)
    await settle(bed)

    const anna = agentUser(ANNA)
    const bob = agentUser(BOB)
    expect(anna).toMatchObject({ name: 'Anna Agent', pictureUrl: 'https://cdn.example.com/avatars/anna.png' })
    expect(bob).toMatchObject({ name: 'Bob Builder', pictureUrl: 'https://cdn.example.com/avatars/bob.png' })
    expect(anna?.id).not.toBe(bob?.id)
    expect(bed.botpress.db.users.filter((user) => user.tags.agentId === ANNA)).toHaveLength(1)
    expect(agentMessages(BOB).map((m) => m.payload)).toEqual([{ text: 'Bob here, taking over' }])
    expect(agentMessages(ANNA).at(-1)?.payload).toEqual({ text: 'Thanks Bob' })
    const assigned = bed.botpress.db.events
      .filter((event) => event.type.endsWith('hitlAssigned'))
      .map((event) => (event.payload as { userId?: string }).userId)
    expect(assigned).toEqual(expect.arrayContaining([anna?.id, bob?.id]))
    // The close leaves LiveChat's own system message in the chat; it never becomes anyone's Botpress message.
    const incoming = bed.botpress.db.messages.filter(
      (m) => m.conversationId === conversationId && m.direction === 'incoming'
    )
    expect(incoming.filter((m) => JSON.stringify(m.payload).includes('archived'))).toEqual([])
  })
})
