import type { Feed } from './feed'
import type { Chat, Json, JsonObject, Store, Webhook } from './store'

// Delivery as described in src/pages/guides/livechat-apps/index.mdx: success only on HTTP 200, ~10 s timeout,
// up to 3 retries. Envelope and filters: src/pages/management/configuration-api/index.mdx (Webhooks, Register Webhook).

export type DeliveryStatus = number | 'timeout' | 'network_error'

export type RecordedDelivery = {
  at: string
  webhookId: string
  action: string
  url: string
  attempt: number
  status: DeliveryStatus
  duplicate: boolean
  body: JsonObject
}

export type EmitContext = {
  chat?: Chat
  /** For incoming_event / event_updated: who wrote the event (undefined for system messages). */
  authorType?: 'agent' | 'customer'
  /** Client id of the app whose token made the change; undefined means a PAT or the system. */
  sourceClientId?: string
}

export type DeliveryOptions = { retryDelaysMs: number[]; timeoutMs: number; reorderHoldMs: number }

type Job = { webhook: Webhook; body: JsonObject; duplicate: boolean }

export class WebhookDispatcher {
  public readonly deliveries: RecordedDelivery[] = []
  public mode: { duplicate: number; reorder: boolean } = { duplicate: 0, reorder: false }
  private _pending = 0
  private _idleWaiters: (() => void)[] = []
  private _timers = new Set<NodeJS.Timeout>()
  private _aborts = new Set<AbortController>()
  private _held: { job: Job; timer: NodeJS.Timeout } | undefined
  private _stopped = false

  public constructor(
    private readonly _store: Store,
    private readonly _feed: Feed,
    private readonly _options: DeliveryOptions
  ) {}

  public emit(action: string, payload: JsonObject, ctx: EmitContext = {}): void {
    if (!this._store.licenseWebhooksEnabled) return
    for (const webhook of this._store.webhooks) {
      if (webhook.type !== 'license' || webhook.action !== action || !this._matches(webhook, ctx)) continue
      const body: JsonObject = {
        webhook_id: webhook.id,
        secret_key: webhook.secretKey,
        action,
        organization_id: this._store.seed.organizationId,
        payload,
        additional_data: this._additionalData(webhook, ctx.chat),
      }
      this._enqueue({ webhook, body, duplicate: false })
    }
  }

  public idle(): Promise<void> {
    if (this._pending === 0) return Promise.resolve()
    return new Promise((resolve) => this._idleWaiters.push(resolve))
  }

  public reset(): void {
    this._cancelAll()
    this.deliveries.length = 0
    this.mode = { duplicate: 0, reorder: false }
    this._stopped = false
  }

  public stop(): void {
    this._stopped = true
    this._cancelAll()
  }

  private _cancelAll(): void {
    for (const t of this._timers) clearTimeout(t)
    this._timers.clear()
    for (const a of this._aborts) a.abort()
    this._aborts.clear()
    if (this._held) clearTimeout(this._held.timer)
    this._held = undefined
    this._pending = 0
    this._settle()
  }

  private _matches(webhook: Webhook, ctx: EmitContext): boolean {
    const filters = webhook.filters ?? {}
    const authorType = filters.author_type
    if (typeof authorType === 'string' && ctx.authorType !== authorType) return false
    if (filters.only_my_chats === true) {
      const source = ctx.chat?.properties.source
      const clientId = source && typeof source === 'object' && !Array.isArray(source) ? source.client_id : undefined
      if (clientId !== webhook.ownerClientId) return false
    }
    const sourceTypes = filters.source_type
    if (Array.isArray(sourceTypes)) {
      const kind =
        ctx.sourceClientId === undefined
          ? 'system'
          : ctx.sourceClientId === webhook.ownerClientId
            ? 'my_client'
            : 'other_clients'
      if (!sourceTypes.includes(kind)) return false
    }
    const presence = filters.chat_presence
    if (presence && typeof presence === 'object' && !Array.isArray(presence) && ctx.chat) {
      const present = ctx.chat.users.filter((u) => u.present).map((u) => u.id)
      const userIds = presence.user_ids
      if (userIds && typeof userIds === 'object' && !Array.isArray(userIds)) {
        const values = Array.isArray(userIds.values) ? userIds.values : undefined
        const excluded = Array.isArray(userIds.exclude_values) ? userIds.exclude_values : undefined
        if (values && !values.some((v) => typeof v === 'string' && present.includes(v))) return false
        if (excluded?.some((v) => typeof v === 'string' && present.includes(v))) return false
      }
    }
    return true
  }

  private _additionalData(webhook: Webhook, chat: Chat | undefined): JsonObject {
    const data: JsonObject = {}
    if (!chat) return data
    if (webhook.additionalData.includes('chat_properties')) data.chat_properties = chat.properties
    if (webhook.additionalData.includes('chat_presence_user_ids')) {
      data.chat_presence_user_ids = chat.users.filter((u) => u.present).map((u): Json => u.id)
    }
    return data
  }

  private _enqueue(job: Job): void {
    if (this._stopped) return
    this._pending += 1
    if (!this.mode.reorder) {
      void this._deliver(job, 1)
      return
    }
    // Reordering: hold one delivery back and release it right after the next one, so consumers see B before A.
    const held = this._held
    if (!held) {
      const timer = setTimeout(() => {
        this._timers.delete(timer)
        this._held = undefined
        void this._deliver(job, 1)
      }, this._options.reorderHoldMs)
      this._timers.add(timer)
      this._held = { job, timer }
      return
    }
    clearTimeout(held.timer)
    this._timers.delete(held.timer)
    this._held = undefined
    void this._deliver(job, 1).then(() => this._deliver(held.job, 1))
  }

  private async _deliver(job: Job, attempt: number): Promise<void> {
    if (this._stopped) return
    const status = await this._post(job)
    if (this._stopped) return
    this._record(job, attempt, status)
    const retryDelay = this._options.retryDelaysMs[attempt - 1]
    if (status !== 200 && retryDelay !== undefined) {
      await this._sleep(retryDelay)
      return this._deliver(job, attempt + 1)
    }
    if (!job.duplicate && this.mode.duplicate > 0 && Math.random() < this.mode.duplicate) {
      this._pending += 1
      void this._deliver({ ...job, duplicate: true }, 1)
    }
    this._pending = Math.max(0, this._pending - 1)
    this._settle()
  }

  private async _post(job: Job): Promise<DeliveryStatus> {
    const abort = new AbortController()
    this._aborts.add(abort)
    const timer = setTimeout(() => abort.abort(), this._options.timeoutMs)
    this._timers.add(timer)
    try {
      const res = await fetch(job.webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(job.body),
        signal: abort.signal,
      })
      await res.arrayBuffer().catch(() => undefined)
      return res.status
    } catch {
      return abort.signal.aborted ? 'timeout' : 'network_error'
    } finally {
      clearTimeout(timer)
      this._timers.delete(timer)
      this._aborts.delete(abort)
    }
  }

  private _record(job: Job, attempt: number, status: DeliveryStatus): void {
    const delivery: RecordedDelivery = {
      at: new Date().toISOString(),
      webhookId: job.webhook.id,
      action: String(job.body.action),
      url: job.webhook.url,
      attempt,
      status,
      duplicate: job.duplicate,
      body: job.body,
    }
    this.deliveries.push(delivery)
    this._feed.publish('delivery', { ...delivery, body: { ...job.body, secret_key: '[redacted]' } })
  }

  private _sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this._timers.delete(timer)
        resolve()
      }, ms)
      this._timers.add(timer)
    })
  }

  private _settle(): void {
    if (this._pending > 0) return
    const waiters = this._idleWaiters
    this._idleWaiters = []
    for (const w of waiters) w()
  }
}
