import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import type { AgentApp } from './agent-app'
import { LiveChatError, fail } from './errors'
import type { FaultSpec } from './faults'
import type { FeedItem } from './feed'
import { parseJsonBody, readBody, sendJson } from './http'

// HTTP mirror of the programmatic API (docs/CONTRACTS.md) under /_emulator/, for the sandbox and a browser console.

export type ControlTarget = {
  agent(agentId: string): AgentApp
  injectFault(spec: FaultSpec): void
  advanceClock(seconds: number): void
  setDeliveryMode(mode: { duplicate?: number; reorder?: boolean }): void
  reset(): void
  stateJson(): unknown
  callsJson(): unknown
  deliveriesJson(): unknown
  subscribe(listener: (item: FeedItem) => void): () => void
  trackStream(res: ServerResponse): void
}

const chatId = z.object({ chatId: z.string() })
const schemas = {
  messages: chatId.extend({ text: z.string() }),
  files: chatId.extend({ name: z.string(), contentType: z.string(), base64: z.string() }),
  richMessages: chatId.extend({ event: z.record(z.unknown()) }),
  transfer: chatId.extend({
    type: z.enum(['group', 'agent']),
    ids: z.array(z.union([z.number(), z.string()])).min(1),
    ignoreAgentsAvailability: z.boolean().optional(),
  }),
  fault: z.object({
    count: z.number().int().positive(),
    kind: z.union([
      z.literal(429),
      z.literal(500),
      z.literal(503),
      z.enum(['timeout', 'reset', 'applied-timeout', 'applied-502', 'delay']),
    ]),
    match: z
      .object({
        api: z.enum(['agent', 'customer', 'configuration', 'accounts']).optional(),
        action: z.string().optional(),
      })
      .optional(),
    retryAfterSeconds: z.number().optional(),
    delayMs: z.number().int().min(0).max(60_000).optional(),
  }),
  routingStatus: z.object({ status: z.enum(['accepting_chats', 'not_accepting_chats']) }),
  clock: z.object({ seconds: z.number() }),
  deliveryMode: z.object({ duplicate: z.number().min(0).max(1).optional(), reorder: z.boolean().optional() }),
}

const parse = <T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> => {
  const result = schema.safeParse(body)
  return result.success ? result.data : fail('validation', result.error.issues[0]?.message ?? 'invalid body')
}

const stream = (target: ControlTarget, req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
  res.write(': connected\n\n')
  target.trackStream(res)
  const unsubscribe = target.subscribe((item) => res.write(`event: ${item.kind}\ndata: ${JSON.stringify(item)}\n\n`))
  req.on('close', unsubscribe)
}

const post = async (target: ControlTarget, path: string, body: unknown): Promise<unknown> => {
  const agentRoute = /^agents\/([^/]+)\/(messages|files|rich-messages|join|transfer|close|routing-status)$/.exec(path)
  if (agentRoute) {
    const agent = target.agent(decodeURIComponent(agentRoute[1] ?? ''))
    switch (agentRoute[2]) {
      case 'messages': {
        const b = parse(schemas.messages, body)
        return agent.sendMessage(b.chatId, b.text)
      }
      case 'files': {
        const b = parse(schemas.files, body)
        return agent.sendFile(b.chatId, {
          name: b.name,
          contentType: b.contentType,
          content: Buffer.from(b.base64, 'base64'),
        })
      }
      case 'rich-messages': {
        const b = parse(schemas.richMessages, body)
        return agent.sendRichMessage(b.chatId, b.event)
      }
      case 'join':
        await agent.join(parse(chatId, body).chatId)
        return {}
      case 'transfer': {
        const b = parse(schemas.transfer, body)
        const target_ =
          b.type === 'group'
            ? { type: 'group' as const, ids: b.ids.map(Number) }
            : { type: 'agent' as const, ids: b.ids.map(String) }
        await agent.transfer(b.chatId, target_, { ignoreAgentsAvailability: b.ignoreAgentsAvailability === true })
        return {}
      }
      case 'routing-status':
        await agent.setRoutingStatus(parse(schemas.routingStatus, body).status)
        return {}
      default:
        await agent.closeChat(parse(chatId, body).chatId)
        return {}
    }
  }
  switch (path) {
    case 'faults':
      target.injectFault(parse(schemas.fault, body) as FaultSpec)
      return {}
    case 'clock/advance':
      target.advanceClock(parse(schemas.clock, body).seconds)
      return {}
    case 'delivery-mode':
      target.setDeliveryMode(parse(schemas.deliveryMode, body))
      return {}
    case 'reset':
      target.reset()
      return {}
    default:
      return fail('not_found', `Unknown control path: ${path}`)
  }
}

/** Answers true when the request was a control request. */
export const handleControl = async (target: ControlTarget, req: IncomingMessage, res: ServerResponse, url: URL) => {
  if (!url.pathname.startsWith('/_emulator/')) return false
  const path = url.pathname.slice('/_emulator/'.length)
  try {
    if (req.method === 'GET') {
      if (path === 'events') {
        stream(target, req, res)
        return true
      }
      const views: Record<string, () => unknown> = {
        state: () => target.stateJson(),
        calls: () => target.callsJson(),
        deliveries: () => target.deliveriesJson(),
      }
      const view = views[path] ?? fail('not_found', `Unknown control path: ${path}`)
      sendJson(res, 200, view())
      return true
    }
    const body = parseJsonBody(await readBody(req))
    sendJson(res, 200, await post(target, path, body))
  } catch (err) {
    const e =
      err instanceof LiveChatError ? err : new LiveChatError('internal', err instanceof Error ? err.message : undefined)
    sendJson(res, e.status, e.toBody())
  }
  return true
}
