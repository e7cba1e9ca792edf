import { randomBytes, randomUUID } from 'node:crypto'
import type { LiveChatSeed, RoutingStatus, SeedGroup } from './seed'

// In-memory license state. Shapes follow the Agent Chat API data structures (v3.6):
// src/pages/messaging/agent-chat-api/data-structures/index.mdx (chats, threads, events, users).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export type LcEvent = JsonObject & { id: string; type: string; created_at: string }

export type Thread = {
  id: string
  createdAtMs: number
  active: boolean
  userIds: string[]
  events: LcEvent[]
  properties: JsonObject
  groupIds: number[]
  /** Chat tags on the thread (Tag Thread), in the order they were put. */
  tags: string[]
  queue?: { position: number; wait_time: number; queued_at: string }
  eventCounter: number
}

export type ChatUser = { id: string; type: 'agent' | 'customer'; visibility: 'all' | 'agents'; present: boolean }

export type Chat = {
  id: string
  customerId: string | undefined
  users: ChatUser[]
  properties: JsonObject
  groupIds: number[]
  threads: Thread[]
}

export type Customer = {
  id: string
  name?: string
  email?: string
  avatar?: string
  sessionFields: Record<string, string>[]
  createdAtMs: number
  /** The value of the `__lc_cst` cookie that proves the identity on a cookie-grant renewal. */
  cookieSecret: string
}

export type CustomerToken = { customerId: string; expiresAtMs: number; clientId: string; issuedAtMs: number }

export type Webhook = {
  id: string
  url: string
  description?: string
  action: string
  secretKey: string
  ownerClientId: string
  type: 'license' | 'bot'
  filters?: JsonObject
  additionalData: string[]
}

export type StoredFile = {
  id: string
  name: string
  contentType: string
  content: Buffer
  width?: number
  height?: number
}

/** list_group_statuses values (Customer Chat API, List Group Statuses). */
export type GroupStatus = 'online' | 'online_for_queue' | 'offline'

/** Configuration API, Create Agent: `max_chats_count` "Default: 6". */
const DEFAULT_MAX_CHATS = 6

export class Clock {
  private _offsetMs = 0
  public now(): number {
    return Date.now() + this._offsetMs
  }
  public advance(seconds: number): void {
    this._offsetMs += seconds * 1000
  }
  public reset(): void {
    this._offsetMs = 0
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** Chat and thread ids look like "PJ0MRSHTDG": 10 upper-case alphanumerics (livechat-api.md §7.1). */
export const newChatId = (): string => Array.from(randomBytes(10), (b) => ALNUM[b % ALNUM.length]).join('')

/** RFC 3339 with microseconds, UTC, as in every docs sample ("2019-12-17T07:57:41.512000Z"). */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

export class Store {
  public chats = new Map<string, Chat>()
  public customers = new Map<string, Customer>()
  public customerTokens = new Map<string, CustomerToken>()
  public webhooks: Webhook[] = []
  public files = new Map<string, StoredFile>()
  public licenseWebhooksEnabled = true
  public routingStatus = new Map<string, RoutingStatus>()

  public constructor(
    public readonly seed: LiveChatSeed,
    public readonly clock: Clock
  ) {
    for (const agent of seed.agents) this.routingStatus.set(agent.id, agent.routingStatus)
  }

  public createCustomer(): Customer {
    const customer: Customer = {
      id: randomUUID(),
      sessionFields: [],
      createdAtMs: this.clock.now(),
      cookieSecret: randomBytes(16).toString('hex'),
    }
    this.customers.set(customer.id, customer)
    return customer
  }

  public issueCustomerToken(customerId: string, expiresInSeconds: number): string {
    const token = `${this.seed.region}:${randomBytes(18).toString('base64url')}`
    const now = this.clock.now()
    this.customerTokens.set(token, {
      customerId,
      clientId: this.seed.clientId,
      issuedAtMs: now,
      expiresAtMs: now + expiresInSeconds * 1000,
    })
    return token
  }

  public agent(id: string): LiveChatSeed['agents'][number] | undefined {
    return this.seed.agents.find((a) => a.id === id)
  }

  public isAccepting(agentId: string): boolean {
    return this.routingStatus.get(agentId) === 'accepting_chats'
  }

  /** Agents the router may give a new chat in the group: accepting chats, and not a supervisor (never auto-assigned). */
  public acceptingAgentIds(group: SeedGroup): string[] {
    return group.agentIds.filter((id) => this.isAccepting(id) && group.priorities?.[id] !== 'supervisor')
  }

  /**
   * What a customer is told about a group: `online` when an accepting agent has room for one more chat,
   * `online_for_queue` when the accepting agents are all at their chat limit (a new chat waits in the queue), `offline`
   * when nobody accepts chats. The docs name the three values without rules; these follow the widget's old
   * `on_chat_state_changed` ("online_for_queue – ... will be put in the chat queue") and the router's max chats.
   */
  public groupStatus(group: SeedGroup): GroupStatus {
    const accepting = this.acceptingAgentIds(group)
    if (accepting.length === 0) return 'offline'
    const hasRoom = (id: string) => this._activeChatsOf(id) < (this.agent(id)?.maxChats ?? DEFAULT_MAX_CHATS)
    return accepting.some(hasRoom) ? 'online' : 'online_for_queue'
  }

  private _activeChatsOf(agentId: string): number {
    return [...this.chats.values()].filter(
      (chat) => this.activeThread(chat) && chat.users.some((u) => u.id === agentId && u.present)
    ).length
  }

  public lastThread(chat: Chat): Thread | undefined {
    return chat.threads[chat.threads.length - 1]
  }

  public activeThread(chat: Chat): Thread | undefined {
    const last = this.lastThread(chat)
    return last?.active ? last : undefined
  }

  /** A read-only, JSON-friendly snapshot for `lc.state` and `GET /_emulator/state`. */
  public snapshot(): JsonObject {
    return {
      chats: [...this.chats.values()].map((c) => ({
        id: c.id,
        customer_id: c.customerId ?? null,
        users: c.users.map((u) => ({ ...u })),
        access: { group_ids: c.groupIds },
        properties: c.properties,
        threads: c.threads.map((t) => ({
          id: t.id,
          active: t.active,
          created_at: rfc3339(t.createdAtMs),
          user_ids: t.userIds,
          events: t.events,
          properties: t.properties,
          tags: t.tags,
          ...(t.queue ? { queue: t.queue } : {}),
        })),
      })),
      customers: [...this.customers.values()].map((c) => ({
        id: c.id,
        name: c.name ?? null,
        email: c.email ?? null,
        avatar: c.avatar ?? null,
        session_fields: c.sessionFields,
      })),
      webhooks: this.webhooks.map((w) => ({
        id: w.id,
        url: w.url,
        action: w.action,
        owner_client_id: w.ownerClientId,
        type: w.type,
        filters: w.filters ?? null,
        additional_data: w.additionalData,
      })),
      files: [...this.files.values()].map((f) => ({
        id: f.id,
        name: f.name,
        content_type: f.contentType,
        size: f.content.length,
      })),
      licenseWebhooksEnabled: this.licenseWebhooksEnabled,
      routing_statuses: Object.fromEntries(this.routingStatus),
    }
  }
}
