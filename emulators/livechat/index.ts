import { type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { type AgentApp, agentApp } from './agent-app'
import { Cdn } from './cdn'
import { ChatOps } from './chat-ops'
import { handleControl } from './control'
import { type FaultSpec, Faults } from './faults'
import { Feed, type FeedItem } from './feed'
import { sendJson } from './http'
import { type LiveChatSeed, buildSeed } from './seed'
import { type Core, type RecordedCall, createApiHandler } from './server'
import { Clock, type JsonObject, Store } from './store'
import { type RecordedDelivery, WebhookDispatcher } from './webhooks'

export { DEFAULT_SEED, HITL_SCOPES, basicToken } from './seed'
export type { LiveChatSeed } from './seed'
export type { RecordedCall } from './server'
export type { RecordedDelivery } from './webhooks'
export type { FaultSpec } from './faults'

export type LiveChatEmulatorOptions = {
  port?: number
  seed?: Partial<LiveChatSeed>
  /** Waits between webhook retries; LiveChat retries up to 3 times (src/pages/guides/livechat-apps). */
  webhookRetryDelaysMs?: number[]
  webhookTimeoutMs?: number
  /** How long a 'timeout' fault holds the response before answering request_timeout. */
  faultTimeoutMs?: number
  /** Added to every API call (not webhooks, control or CDN), as a cloud round trip; settable later (`latencyMs`). */
  latencyMs?: number
}

/** LiveChat (Agent, Customer, Configuration Web APIs v3.6, customer accounts, webhooks) on 127.0.0.1. */
export class LiveChatEmulator {
  public readonly clock = new Clock()
  public readonly faults: { inject(spec: FaultSpec): void; clear(): void }
  private readonly _store: Store
  private readonly _feed = new Feed()
  private readonly _faults = new Faults()
  private readonly _webhooks: WebhookDispatcher
  private readonly _cdn: Cdn
  private readonly _ops: ChatOps
  private readonly _core: Core
  private readonly _sockets = new Set<Socket>()
  private readonly _streams = new Set<ServerResponse>()
  private _server: Server | undefined
  private _url = ''

  private constructor(options: LiveChatEmulatorOptions) {
    this._store = new Store(buildSeed(options.seed), this.clock)
    this._webhooks = new WebhookDispatcher(this._store, this._feed, {
      retryDelaysMs: options.webhookRetryDelaysMs ?? [1000, 5000, 10000],
      timeoutMs: options.webhookTimeoutMs ?? 10_000,
      reorderHoldMs: 100,
    })
    this._cdn = new Cdn(this._store)
    this._ops = new ChatOps(this._store, this._webhooks, this._feed, this._cdn)
    this._core = {
      store: this._store,
      ops: this._ops,
      cdn: this._cdn,
      faults: this._faults,
      feed: this._feed,
      calls: [],
      faultTimeoutMs: options.faultTimeoutMs ?? 20_000,
      held: new Set(),
      latencyMs: options.latencyMs ?? 0,
    }
    this.faults = { inject: (spec) => this._faults.inject(spec), clear: () => this._faults.clear() }
  }

  public static async start(options: LiveChatEmulatorOptions = {}): Promise<LiveChatEmulator> {
    const emulator = new LiveChatEmulator(options)
    await emulator._listen(options.port ?? 0)
    return emulator
  }

  public get url(): string {
    return this._url
  }

  public get seed(): LiveChatSeed {
    return this._store.seed
  }

  public get latencyMs(): number {
    return this._core.latencyMs
  }

  public set latencyMs(ms: number) {
    this._core.latencyMs = Math.max(0, ms)
  }

  public get calls(): RecordedCall[] {
    return this._core.calls
  }

  public get deliveries(): RecordedDelivery[] {
    return this._webhooks.deliveries
  }

  public get state(): JsonObject {
    return this._store.snapshot()
  }

  public agent(agentId: string): AgentApp {
    return agentApp(this._ops, this._store, this._cdn, agentId)
  }

  public deliveryMode(mode: { duplicate?: number; reorder?: boolean }): void {
    this._webhooks.mode = { ...this._webhooks.mode, ...mode }
  }

  public idle(): Promise<void> {
    return this._webhooks.idle()
  }

  /** Back to the seeded license: no chats, customers, webhooks, files, calls, deliveries or faults. */
  public reset(): void {
    this._webhooks.reset()
    this._faults.clear()
    this.clock.reset()
    this._core.calls.length = 0
    this._store.chats.clear()
    this._store.customers.clear()
    this._store.customerTokens.clear()
    this._store.files.clear()
    this._store.webhooks.length = 0
    this._store.licenseWebhooksEnabled = true
    for (const agent of this._store.seed.agents) this._store.routingStatus.set(agent.id, agent.routingStatus)
  }

  public async stop(): Promise<void> {
    this._webhooks.stop()
    for (const res of this._core.held) res.destroy()
    for (const res of this._streams) res.end()
    const server = this._server
    this._server = undefined
    if (!server) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const socket of this._sockets) socket.destroy()
    })
  }

  private async _listen(port: number): Promise<void> {
    const api = createApiHandler(this._core)
    const control = {
      agent: (id: string) => this.agent(id),
      injectFault: (spec: FaultSpec) => this._faults.inject(spec),
      advanceClock: (seconds: number) => this.clock.advance(seconds),
      setDeliveryMode: (mode: { duplicate?: number; reorder?: boolean }) => this.deliveryMode(mode),
      reset: () => this.reset(),
      stateJson: () => this.state,
      callsJson: () => this.calls,
      // Deliveries carry the webhook secret in their body; the HTTP view hides it like the call log does.
      deliveriesJson: () => this.deliveries.map((d) => ({ ...d, body: { ...d.body, secret_key: '[redacted]' } })),
      subscribe: (listener: (item: FeedItem) => void) => this._feed.subscribe(listener),
      trackStream: (res: ServerResponse) => {
        this._streams.add(res)
        res.on('close', () => this._streams.delete(res))
      },
    }
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this._url || 'http://127.0.0.1')
      void (async () => {
        if (req.method === 'GET' && this._cdn.serve(url.pathname, res)) return
        if (await handleControl(control, req, res, url)) return
        if (await api(req, res, url)) return
        sendJson(res, 404, { error: { type: 'not_found', message: 'Not found' } })
      })().catch((err: unknown) => {
        sendJson(res, 500, {
          error: { type: 'internal', message: err instanceof Error ? err.message : 'Internal server error' },
        })
      })
    })
    // Far longer than a client keeps an idle socket, so the client always closes first: with Node's 5 s, a loaded
    // machine let a client reuse a socket the server was closing ("other side closed", ECONNRESET).
    server.keepAliveTimeout = 120_000
    server.on('connection', (socket) => {
      this._sockets.add(socket)
      socket.on('close', () => this._sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
    this._server = server
    const { port: actual } = server.address() as AddressInfo
    this._url = `http://127.0.0.1:${actual}`
    this._cdn.baseUrl = this._url
  }
}
