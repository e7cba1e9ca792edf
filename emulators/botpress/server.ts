import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http'
import { ApiError, errorTypeForStatus } from './errors'
import { Fault, Faults } from './faults'
import { endToEndHeaders, flatHeaders, readBody, sendJson } from './http'
import { Installation } from './installation'
import { Caller, matchRoute } from './router'
import { routes } from './routes'
import { FILE_CONTENT_PATH, completeUpload, getFileOr404 } from './routes/files'
import { Store } from './store'
import { RecordedCall } from './types'

const WEBHOOK_PATH = /^\/webhooks\/([^/]+)(\/.*)?$/

export type ServerDeps = {
  store: Store
  faults: Faults
  calls: RecordedCall[]
  /** Added before every API answer (benchmarks: a cloud API's round trip); 0 answers at once. */
  latencyMs(): number
  baseUrl(): string
  installationByIntegrationId(id: string): Installation | undefined
  installationByWebhookId(id: string): Installation | undefined
}

/** What to answer, and what `bpe.calls` keeps of it. */
type Reply = { status: number; response: unknown; write(res: ServerResponse): void }

const jsonReply = (status: number, response: unknown): Reply => ({
  status,
  response,
  write: (res) => sendJson(res, status, response),
})

/** A JSON runtime API call: parse, route, answer (errors in the exact Botpress shape). */
const handleApi = (deps: ServerDeps, req: IncomingMessage, url: URL, raw: Buffer): Reply => {
  const text = raw.toString('utf8')
  let body: unknown
  try {
    // GET and DELETE calls of the client carry `{}`: any method may have a body.
    body = text.trim() === '' ? undefined : JSON.parse(text)
  } catch {
    throw new ApiError('InvalidPayload', 'The request body is not valid JSON')
  }
  const method = req.method ?? 'GET'
  const hit = matchRoute(routes, method, url.pathname)
  if (!hit) {
    const error = new ApiError('MethodNotFound', `${method} ${url.pathname} is not emulated`)
    return jsonReply(error.code, error.toBody())
  }
  const integrationId = header(req, 'x-integration-id')
  const installation = integrationId === undefined ? undefined : deps.installationByIntegrationId(integrationId)
  const caller: Caller = {
    botId: header(req, 'x-bot-id'),
    integrationId,
    integrationName: installation?.integrationName,
    definition: installation?.definition,
  }
  const response = hit.route.handle({
    body,
    query: url.searchParams,
    caller,
    store: deps.store,
    baseUrl: deps.baseUrl(),
    param: (name) => {
      const value = hit.params.get(name)
      if (value === undefined) throw new Error(`Route ${hit.route.pattern} has no parameter ${name}`)
      return value
    },
  })
  return jsonReply(200, response)
}

/** For the record only: what the API route does with a bad body is its own business. */
const lenientJson = (raw: Buffer): unknown => {
  try {
    return raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'))
  } catch {
    return raw.toString('utf8')
  }
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** The file bytes behind a file's `url` (GET) and `uploadUrl` (PUT). */
const handleFileContent = (deps: ServerDeps, method: string, id: string, raw: Buffer): Reply => {
  if (method === 'PUT') {
    const file = completeUpload(deps.store, id, raw)
    return { status: 200, response: { size: file.size }, write: (res) => res.writeHead(200).end() }
  }
  if (method !== 'GET') throw new ApiError('MethodNotFound', `${method} on a file URL is not emulated`)
  const file = getFileOr404(deps.store, id)
  const bytes = deps.store.fileContents.get(id)
  if (!bytes) throw new ApiError('ResourceNotFound', `File ${id} has no content yet (status ${file.status})`)
  return {
    status: 200,
    response: { size: bytes.length },
    write: (res) => res.writeHead(200, { 'content-type': file.contentType, 'content-length': bytes.length }).end(bytes),
  }
}

/** The cloud's webhook URL: the request goes to the integration as `webhook_received`, its answer comes back as is. */
const relayWebhook = async (deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer) => {
  const [, webhookId = '', subPath] = WEBHOOK_PATH.exec(url.pathname) ?? []
  const installation = deps.installationByWebhookId(decodeURIComponent(webhookId))
  if (!installation) {
    sendJson(res, 404, new ApiError('ResourceNotFound', `Webhook ${webhookId} doesn't exist`).toBody())
    return
  }
  const answer = await installation.relayWebhook({
    method: req.method ?? 'POST',
    path: subPath ?? '/',
    query: url.search.replace(/^\?/, ''),
    headers: flatHeaders(req),
    // The SDK types the body as optional: a bodiless request (a GET check) carries none.
    ...(raw.length > 0 && { body: raw.toString('utf8') }),
  })
  res.writeHead(answer.status, endToEndHeaders(answer.headers)).end(answer.body)
}

/**
 * Far longer than a client keeps an idle socket, so the client always closes first: with Node's 5 s, a loaded machine
 * let a client reuse a socket the server was closing ("other side closed", ECONNRESET).
 */
const KEEP_ALIVE_MS = 120_000

export const createRuntimeServer = (deps: ServerDeps): Server => {
  const server = createServer((req, res) => {
    void serve(deps, req, res).catch((thrown: unknown) => {
      // A bug in the emulator: answer like the cloud's catch-all so that the integration sees an ApiError.
      const message = thrown instanceof Error ? thrown.message : String(thrown)
      if (!res.headersSent) sendJson(res, 500, new ApiError('Internal', `Emulator failure: ${message}`).toBody())
      else res.destroy()
    })
  })
  server.keepAliveTimeout = KEEP_ALIVE_MS
  return server
}

const serve = async (deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const url = new URL(req.url ?? '/', 'http://emulator')
  const raw = await readBody(req)
  if (WEBHOOK_PATH.test(url.pathname)) return relayWebhook(deps, req, res, url, raw)

  const method = req.method ?? 'GET'
  const call: RecordedCall = {
    at: new Date().toISOString(),
    method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    botId: header(req, 'x-bot-id'),
    integrationId: header(req, 'x-integration-id'),
    body: FILE_CONTENT_PATH.test(url.pathname) ? undefined : lenientJson(raw),
    status: 0,
    response: undefined,
  }
  deps.calls.push(call)
  const fault = deps.faults.take(method, url.pathname)
  const latencyMs = deps.latencyMs() + (fault?.delayMs ?? 0)
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs))

  const reply = fault?.status === undefined ? answer(deps, req, url, raw) : faultReply(fault.status, fault)
  Object.assign(call, { status: reply.status, response: reply.response })
  reply.write(res)
}

const faultReply = (status: number, fault: Fault): Reply => {
  const type = fault.type ?? errorTypeForStatus(status)
  const error = new ApiError(type, fault.message ?? `Injected fault (${status} ${type})`, status)
  return jsonReply(status, error.toBody())
}

const answer = (deps: ServerDeps, req: IncomingMessage, url: URL, raw: Buffer): Reply => {
  const method = req.method ?? 'GET'
  const fileId = FILE_CONTENT_PATH.exec(url.pathname)?.[1]
  try {
    return fileId === undefined
      ? handleApi(deps, req, url, raw)
      : handleFileContent(deps, method, decodeURIComponent(fileId), raw)
  } catch (thrown) {
    if (!(thrown instanceof ApiError)) throw thrown
    return jsonReply(thrown.code, thrown.toBody())
  }
}
