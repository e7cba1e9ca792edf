import { readFile } from 'node:fs/promises'
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import path from 'node:path'
import { z } from 'zod'
import type { LiveChatEmulator } from '../emulators/livechat'
import type { Activity } from './activity'
import { deskView } from './agent-desk'
import type { EndUser } from './end-user'
import { HttpError, readJson, sendJson } from './http'
import { MAX_MEDIA_BYTES, type MediaStore } from './media'

/**
 * The console's web server: the static page and a small JSON API for it. Agent actions are proxied to the LiveChat
 * emulator's public control API (`/_emulator/agents/...`), so the page drives LiveChat exactly as a test would.
 */

export type ConsoleDeps = {
  livechat: LiveChatEmulator
  endUser: EndUser
  activity: Activity
  media: MediaStore
  links: Record<string, string>
  playStory(): Promise<unknown>
}

const PUBLIC_DIR = path.join(__dirname, 'public')
/** A fixed list: nothing else under sandbox/ is ever served. */
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
}
const AGENT_VERBS = new Set(['messages', 'files', 'join', 'transfer', 'close', 'routing-status'])

const startBody = z.object({
  name: z.string().max(200).optional(),
  email: z.string().max(200).optional(),
  title: z.string().max(500).optional(),
  description: z.string().max(2000).optional(),
})
const messageBody = z.object({ text: z.string().min(1).max(10_000) })
const rateBody = z.object({ score: z.enum(['good', 'bad']) })
const fileBody = z.object({
  name: z.string().trim().min(1).max(200),
  contentType: z.string().max(200).optional(),
  base64: z.string().max(Math.ceil(MAX_MEDIA_BYTES / 3) * 4, 'The file is larger than 10 MB'),
})

const parse = <T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> => {
  const result = schema.safeParse(body)
  if (!result.success) throw new HttpError(400, result.error.issues[0]?.message ?? 'Invalid body')
  return result.data
}

const state = (deps: ConsoleDeps) => ({
  user: deps.endUser.view(),
  desk: deskView(deps.livechat),
  links: deps.links,
})

/** Server-sent events: the activity backlog, then each new item, and a throttled `changed` to refetch the state. */
const streamEvents = (deps: ConsoleDeps, req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  for (const item of deps.activity.items()) send('activity', item)
  let pending: NodeJS.Timeout | undefined
  const unsubscribe = deps.activity.subscribe({
    activity: (item) => send('activity', item),
    changed: () => {
      // A burst of calls (one agent message is a dozen) becomes one refresh of the page.
      pending ??= setTimeout(() => {
        pending = undefined
        send('changed', {})
      }, 100)
    },
  })
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000)
  req.on('close', () => {
    unsubscribe()
    clearInterval(keepAlive)
    clearTimeout(pending)
  })
}

const proxyAgent = async (deps: ConsoleDeps, agentId: string, verb: string, body: unknown) => {
  if (!deps.livechat.seed.agents.some((agent) => agent.id === agentId)) throw new HttpError(404, `No agent ${agentId}`)
  if (!AGENT_VERBS.has(verb)) throw new HttpError(404, `Unknown agent action ${verb}`)
  const res = await fetch(`${deps.livechat.url}/_emulator/agents/${encodeURIComponent(agentId)}/${verb}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const answer: unknown = await res.json().catch(() => ({}))
  if (res.status !== 200) {
    const message = z.object({ error: z.object({ message: z.string() }) }).safeParse(answer)
    throw new HttpError(res.status, message.success ? message.data.error.message : `LiveChat answered ${res.status}`)
  }
  return answer
}

const route = async (deps: ConsoleDeps, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const method = req.method ?? 'GET'
  const asset = STATIC_FILES[url.pathname]
  if (method === 'GET' && asset) {
    const content = await readFile(path.join(PUBLIC_DIR, asset.file))
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' }).end(content)
    return
  }
  const media = method === 'GET' ? deps.media.get(url.pathname) : undefined
  if (media) {
    // Served as a download target, never as a page of the console's origin: no sniffing, no scripts.
    res
      .writeHead(200, {
        'content-type': media.contentType,
        'content-length': String(media.content.length),
        'x-content-type-options': 'nosniff',
        'content-security-policy': 'sandbox',
        'cache-control': 'no-store',
      })
      .end(media.content)
    return
  }
  if (method === 'GET' && url.pathname === '/api/state') return sendJson(res, 200, state(deps))
  if (method === 'GET' && url.pathname === '/api/activity') return sendJson(res, 200, deps.activity.items())
  if (method === 'GET' && url.pathname === '/api/events') return streamEvents(deps, req, res)
  if (method === 'POST') {
    const body = await readJson(req)
    const agent = /^\/api\/agent\/([^/]+)\/([a-z-]+)$/.exec(url.pathname)
    if (agent)
      return sendJson(res, 200, await proxyAgent(deps, decodeURIComponent(agent[1] ?? ''), agent[2] ?? '', body))
    switch (url.pathname) {
      case '/api/user/start':
        return sendJson(res, 200, await deps.endUser.escalate(parse(startBody, body)))
      case '/api/user/message':
        return sendJson(res, 200, await deps.endUser.say(parse(messageBody, body).text))
      case '/api/user/file': {
        const file = parse(fileBody, body)
        return sendJson(
          res,
          200,
          await deps.endUser.sendFile({
            name: file.name,
            contentType: file.contentType || 'application/octet-stream',
            content: Buffer.from(file.base64, 'base64'),
          })
        )
      }
      case '/api/user/end':
        return sendJson(res, 200, await deps.endUser.end())
      case '/api/user/rate':
        return sendJson(res, 200, await deps.endUser.rate(parse(rateBody, body).score))
      case '/api/story':
        return sendJson(res, 200, await deps.playStory())
    }
  }
  sendJson(res, 404, { error: `Nothing at ${method} ${url.pathname}` })
}

/**
 * The console answers 503 until `ready.deps` is set: it listens before `bp serve` starts, because the served
 * bundle must be told the console's origin (where the Botpress side's media are) as a trusted media origin.
 */
export const createConsoleServer = (ready: { deps?: ConsoleDeps }): Server =>
  createServer((req, res) => {
    const { deps } = ready
    if (!deps) return sendJson(res, 503, { error: 'The sandbox is starting' })
    route(deps, req, res).catch((thrown: unknown) => {
      const status = thrown instanceof HttpError ? thrown.status : 500
      const message = thrown instanceof Error ? thrown.message : String(thrown)
      if (!res.headersSent) sendJson(res, status, { error: message })
      else res.destroy()
    })
  })
