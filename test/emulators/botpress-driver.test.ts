import { IncomingMessage, Server, createServer } from 'node:http'
import { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ActionError, BotpressEmulator, IntegrationCallError } from '../../emulators/botpress'

type Seen = { instance: number; headers: IncomingMessage['headers']; body: unknown }

const envelope = z.object({ req: z.object({ method: z.string(), path: z.string(), query: z.string() }) }).passthrough()

/** Stands in for `bp serve`: records what the driver sends and answers per operation. */
const fakeIntegration = (instance: number, seen: Seen[]): Promise<Server> => {
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8')
    })
    req.on('end', () => {
      const body: unknown = JSON.parse(raw)
      seen.push({ instance, headers: req.headers, body })
      switch (req.headers['x-bp-operation']) {
        case 'action_triggered':
          if (req.headers['x-bp-type'] === 'fail') {
            res
              .writeHead(400)
              .end(JSON.stringify({ id: 'err_1', code: 400, type: 'Runtime', message: 'LiveChat said no' }))
          } else res.writeHead(200).end(JSON.stringify({ output: { instance } }))
          return
        case 'webhook_received': {
          const { req: original } = envelope.parse(body)
          const status = original.path === '/reject' ? 401 : 202
          res.writeHead(status, { 'x-probe': 'yes', 'content-type': 'text/plain' }).end(`saw ${original.query}`)
          return
        }
        default:
          res.writeHead(200).end('{}')
      }
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`

describe('Botpress runtime emulator driver', () => {
  const seen: Seen[] = []
  let servers: Server[]
  let bpe: BotpressEmulator

  beforeAll(async () => {
    servers = await Promise.all([fakeIntegration(0, seen), fakeIntegration(1, seen)])
    bpe = await BotpressEmulator.start()
  })
  afterAll(async () => {
    await bpe.stop()
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  })

  const install = () =>
    bpe.install({
      integrationUrls: servers.map(urlOf),
      configuration: { webhookSecret: 'shh' },
      integrationName: 'livechat-hitl',
    })

  it('sends the context headers the runtime sends, and seeds the bot user', async () => {
    const inst = install()
    seen.length = 0
    await inst.register()
    expect(seen[0]?.headers).toMatchObject({
      'x-bot-id': inst.botId,
      'x-bot-user-id': inst.botUserId,
      'x-integration-id': inst.integrationId,
      'x-webhook-id': inst.webhookId,
      'x-bp-configuration': Buffer.from('{"webhookSecret":"shh"}').toString('base64'),
      'x-bp-operation': 'register',
      'content-type': 'application/json',
    })
    expect(seen[0]?.body).toEqual({ webhookUrl: `${bpe.url}/webhooks/${inst.webhookId}` })
    expect(bpe.db.findUser(inst.botUserId)).toBeDefined()
  })

  it('runs actions round-robin over the instances and returns their output', async () => {
    const inst = install()
    const outputs = [await inst.runAction('a', {}), await inst.runAction('a', {}), await inst.runAction('a', {})]
    expect(outputs).toEqual([{ instance: 0 }, { instance: 1 }, { instance: 0 }])
    expect(seen.at(-1)?.headers['x-bp-type']).toBe('a')
  })

  it('throws ActionError with the status and the Runtime message', async () => {
    const failure = install().runAction('fail', {})
    await expect(failure).rejects.toBeInstanceOf(ActionError)
    await expect(failure).rejects.toMatchObject({ status: 400, message: 'LiveChat said no', body: { type: 'Runtime' } })
  })

  it('relays a webhook with its raw body, sub-path and query, and returns the answer as is', async () => {
    const inst = install()
    const raw = '{"action":"incoming_event" }'
    const res = await fetch(`${inst.webhookUrl}/deliveries?a=b`, { method: 'POST', body: raw })
    expect(res.status).toBe(202)
    expect(res.headers.get('x-probe')).toBe('yes')
    expect(await res.text()).toBe('saw a=b')
    expect(seen.at(-1)?.body).toMatchObject({
      req: {
        method: 'POST',
        path: '/deliveries',
        query: 'a=b',
        body: raw,
        headers: { 'content-type': expect.any(String) },
      },
    })
    const rejected = await fetch(`${inst.webhookUrl}/reject`, { method: 'POST', body: '{}' })
    expect(rejected.status).toBe(401)
    expect((await fetch(`${bpe.url}/webhooks/unknown`, { method: 'POST' })).status).toBe(404)
  })

  it('stores a bot message before message_created, so that the integration can ack it', async () => {
    const inst = install()
    const user = bpe.seedUser({ name: 'End user' })
    const conversation = bpe.seedConversation({ channel: 'hitl', integrationName: 'livechat-hitl', tags: { id: 'LC' } })
    const message = await inst.sendMessage({
      conversationId: conversation.id,
      userId: user.id,
      type: 'text',
      payload: { text: 'hi human' },
    })
    expect(bpe.db.findMessage(message.id)).toMatchObject({ direction: 'outgoing', type: 'text' })
    expect(seen.at(-1)?.body).toEqual({
      conversation,
      user,
      message,
      type: 'text',
      payload: { text: 'hi human' },
    })
    expect(seen.at(-1)?.headers['x-bp-type']).toBe('text')
  })

  it('checks action inputs against a definition, as the cloud does, without calling the integration', async () => {
    const definition = {
      actions: {
        startHitl: {
          input: { schema: z.object({ userId: z.string() }) },
          output: { schema: z.object({ conversationId: z.string() }) },
        },
      },
    }
    const inst = bpe.install({
      integrationUrls: servers.map(urlOf),
      configuration: {},
      integrationName: 'x',
      definition,
    })
    const before = seen.length
    await expect(inst.runAction('startHitl', { userId: 1 })).rejects.toThrow(/userId: Expected string/)
    await expect(inst.runAction('nope', {})).rejects.toThrow(/not declared/)
    expect(seen.length).toBe(before)
    // The fake answers `{ instance }`: not the declared output.
    await expect(inst.runAction('startHitl', { userId: 'u' })).rejects.toThrow(/Output of action "startHitl"/)
  })

  it('names the operation when a call other than an action fails', async () => {
    const inst = bpe.install({ integrationUrls: ['http://127.0.0.1:9'], configuration: {}, integrationName: 'x' })
    await expect(inst.register()).rejects.toThrow(
      /Could not reach the integration at http:\/\/127.0.0.1:9 \(register\)/
    )
    await expect(inst.register()).rejects.not.toBeInstanceOf(IntegrationCallError)
  })
})
