import { createHash } from 'node:crypto'
import { fail } from './errors'
import { buildEvent } from './events'
import type { Feed } from './feed'
import type { RoutingStatus } from './seed'
import {
  type Chat,
  type ChatUser,
  type Customer,
  type Json,
  type JsonObject,
  type LcEvent,
  type Store,
  type Thread,
  newChatId,
  rfc3339,
} from './store'
import type { EmitContext, WebhookDispatcher } from './webhooks'

// Chat state changes shared by the Agent Chat API, the Customer Chat API and the Agent App helpers, so every path
// fires the same webhooks. Rules: src/pages/messaging/agent-chat-api/index.mdx and customer-chat-api/index.mdx (v3.6).

/** Who makes the change. `agent_app` is a seeded agent clicking in the Agent App (lc.agent(id) helpers). */
export type Actor =
  | { kind: 'agent'; agentId: string; via: 'pat' | 'agent_app' }
  | { kind: 'customer'; customerId: string; clientId: string }

const AGENT_APP_CLIENT_ID = 'agent-app'

export type StartChatInput = {
  users?: { id: string; type: 'agent' | 'customer' }[]
  groupIds?: number[]
  properties?: JsonObject
  threadProperties?: JsonObject
  events?: unknown[]
  active?: boolean
  continuous?: boolean
}

export type TransferTarget = { type: 'group'; ids: number[] } | { type: 'agent'; ids: string[] }

export class ChatOps {
  public constructor(
    private readonly _store: Store,
    private readonly _webhooks: WebhookDispatcher,
    private readonly _feed: Feed,
    private readonly _cdn: { findFile: (url: string) => ReturnType<Store['files']['get']> }
  ) {}

  public requesterId(actor: Actor): string {
    return actor.kind === 'agent' ? actor.agentId : actor.customerId
  }

  public chatFor(actor: Actor, chatId: string): Chat {
    const chat = this._store.chats.get(chatId)
    // Customers only see their own chats; a foreign chat id is indistinguishable from an unknown one.
    if (!chat || (actor.kind === 'customer' && chat.customerId !== actor.customerId)) {
      return fail('not_found', `Chat not found: ${chatId}`)
    }
    return chat
  }

  public startChat(actor: Actor, input: StartChatInput): { chatId: string; threadId: string; eventIds: string[] } {
    const groupIds = input.groupIds ?? [0]
    this._checkGroups(actor, groupIds)
    this._validateEvents(actor, input.events)
    const users: ChatUser[] = []
    let customerId: string | undefined
    if (actor.kind === 'customer') {
      // "One customer can only have one chat started" (src/pages/messaging/index.mdx, Chatting as customer).
      const active = [...this._store.chats.values()].some(
        (c) => c.customerId === actor.customerId && this._store.activeThread(c)
      )
      if (active) fail('limit_reached', 'Customer already has an active chat')
      if (input.continuous !== true && !groupIds.some((g) => this._groupOnline(g))) {
        fail('groups_offline', 'Groups offline')
      }
      customerId = actor.customerId
      users.push({ id: actor.customerId, type: 'customer', visibility: 'all', present: true })
    } else {
      users.push({ id: actor.agentId, type: 'agent', visibility: 'all', present: true })
      const extra = input.users ?? []
      if (extra.filter((u) => u.type === 'agent').length > 4) fail('validation', 'Up to 4 additional agents allowed')
      if (extra.filter((u) => u.type === 'customer').length > 1) fail('validation', 'Only one customer allowed')
      for (const u of extra) {
        if (u.id === actor.agentId) continue
        if (u.type === 'agent' && !this._store.agent(u.id)) fail('validation', `Agent not found: ${u.id}`)
        if (u.type === 'customer') {
          if (!this._store.customers.has(u.id)) fail('validation', `Customer not found: ${u.id}`)
          customerId = u.id
        }
        users.push({ id: u.id, type: u.type, visibility: 'all', present: true })
      }
    }
    const properties: JsonObject = { ...(input.properties ?? {}) }
    properties.routing = { ...objectOrEmpty(properties.routing), continuous: input.continuous === true }
    if (actor.kind === 'customer') {
      properties.source = { client_id: actor.clientId, customer_client_id: actor.clientId }
    }
    const chat: Chat = { id: newChatId(), customerId, users, properties, groupIds, threads: [] }
    const thread = this._newThread(chat, input.active !== false, input.threadProperties)
    const eventIds = this._initialEvents(chat, thread, actor, input.events)
    this._store.chats.set(chat.id, chat)
    this._webhooks.emit('incoming_chat', { chat: this.chatView(chat, thread, 'agent') }, this._ctx(actor, chat))
    this._changed(chat)
    return { chatId: chat.id, threadId: thread.id, eventIds }
  }

  public resumeChat(actor: Actor, chatId: string, input: StartChatInput): { threadId: string; eventIds: string[] } {
    const chat = this.chatFor(actor, chatId)
    if (this._store.activeThread(chat)) fail('validation', 'Chat is already active')
    this._validateEvents(actor, input.events)
    if (input.groupIds) {
      this._checkGroups(actor, input.groupIds)
      chat.groupIds = input.groupIds
    }
    if (input.properties) Object.assign(chat.properties, input.properties)
    if (input.continuous !== undefined) {
      chat.properties.routing = { ...objectOrEmpty(chat.properties.routing), continuous: input.continuous }
    }
    const requester = chat.users.find((u) => u.id === this.requesterId(actor))
    if (requester) requester.present = true
    else if (actor.kind === 'agent')
      chat.users.push({ id: actor.agentId, type: 'agent', visibility: 'all', present: true })
    const thread = this._newThread(chat, input.active !== false, input.threadProperties)
    const eventIds = this._initialEvents(chat, thread, actor, input.events)
    this._webhooks.emit('incoming_chat', { chat: this.chatView(chat, thread, 'agent') }, this._ctx(actor, chat))
    this._changed(chat)
    return { threadId: thread.id, eventIds }
  }

  public deactivateChat(actor: Actor, chatId: string, ignoreRequesterPresence = false): void {
    const chat = this.chatFor(actor, chatId)
    const thread = this._store.activeThread(chat) ?? fail('chat_inactive')
    if (!ignoreRequesterPresence) this._requirePresence(actor, chat)
    // The close leaves a system message (src/pages/messaging/references/system-activities: manual_archived_*).
    const name = this._displayName(actor)
    const system: { type: string; text: string; vars: Record<string, string> } =
      actor.kind === 'agent'
        ? { type: 'manual_archived_agent', text: `${name} archived the chat`, vars: { agent: name } }
        : { type: 'manual_archived_customer', text: `${name} archived the chat`, vars: { customer: name } }
    this._appendSystem(chat, thread, actor, system.type, system.text, system.vars)
    thread.active = false
    thread.queue = undefined
    this._webhooks.emit(
      'chat_deactivated',
      { chat_id: chat.id, thread_id: thread.id, user_id: this.requesterId(actor) },
      this._ctx(actor, chat)
    )
    this._changed(chat)
  }

  public sendEvent(actor: Actor, chatId: string, raw: unknown, attachToLastThread = false): LcEvent {
    const chat = this.chatFor(actor, chatId)
    this._requirePresence(actor, chat)
    let thread = this._store.activeThread(chat)
    // attach_to_last_thread exists only in the Customer Chat API (Send Event request table).
    if (!thread && actor.kind === 'customer' && attachToLastThread) thread = this._store.lastThread(chat)
    if (!thread) return fail('chat_inactive')
    const me = chat.users.find((u) => u.id === this.requesterId(actor))
    const visibility = raw && typeof raw === 'object' && 'visibility' in raw ? raw.visibility : undefined
    if (me?.visibility === 'agents' && visibility !== 'agents') {
      fail('validation', 'Users added with visibility "agents" can only send events visible to agents')
    }
    const event = this._appendEvent(chat, thread, actor, raw)
    this._changed(chat)
    return event
  }

  public addUser(
    actor: Actor,
    chatId: string,
    user: { id: string; type: 'agent' | 'customer'; visibility: 'all' | 'agents' },
    ignoreRequesterPresence = false
  ): void {
    const chat = this.chatFor(actor, chatId)
    const thread = this._store.activeThread(chat) ?? fail('chat_inactive')
    if (!ignoreRequesterPresence && !(actor.kind === 'agent' && actor.agentId === user.id)) {
      this._requirePresence(actor, chat)
    }
    if (user.type === 'agent' && !this._store.agent(user.id)) fail('not_found', `Agent not found: ${user.id}`)
    if (user.type === 'customer') {
      if (!this._store.customers.has(user.id)) fail('not_found', `Customer not found: ${user.id}`)
      if (user.visibility !== 'all') fail('validation', 'Customers must be added with visibility "all"')
      if (chat.customerId && chat.customerId !== user.id) fail('validation', 'Chat already has a customer')
    }
    const existing = chat.users.find((u) => u.id === user.id)
    // Re-adding a user who is already present changes nothing; we answer 200 without a webhook.
    if (existing?.present) return
    if (existing) {
      existing.present = true
      existing.visibility = user.visibility
    } else {
      chat.users.push({ id: user.id, type: user.type, visibility: user.visibility, present: true })
    }
    if (user.type === 'customer') chat.customerId = user.id
    if (!thread.userIds.includes(user.id)) thread.userIds.push(user.id)
    if (user.type === 'agent') thread.queue = undefined
    const requesterId = actor.kind === 'agent' ? actor.agentId : undefined
    const view = this.userView(chat, user.id, 'agent')
    this._webhooks.emit(
      'user_added_to_chat',
      {
        chat_id: chat.id,
        thread_id: thread.id,
        user: view,
        user_type: user.type,
        reason: 'manual',
        ...(requesterId ? { requester_id: requesterId } : {}),
      },
      this._ctx(actor, chat)
    )
    const addedName = this._userName(user.id)
    if (requesterId === user.id) {
      this._appendSystem(chat, thread, actor, 'agent_joined', `${addedName} joined the chat`, { agent: addedName })
    } else {
      const type = user.type === 'agent' ? 'agent_added' : 'customer_added'
      const by = this._displayName(actor)
      this._appendSystem(chat, thread, actor, type, `${by} added ${addedName} to the chat`, {
        agent: by,
        [user.type === 'agent' ? 'added_agent' : 'customer']: addedName,
      })
    }
    this._changed(chat)
  }

  public removeUser(actor: Actor, chatId: string, userId: string, userType: string, ignorePresence = false): void {
    const chat = this.chatFor(actor, chatId)
    // Only agents can be removed; the customer stays in the chat (Remove User from Chat request table).
    if (userType !== 'agent') fail('validation', 'Only agents can be removed from a chat')
    const thread = this._store.activeThread(chat) ?? fail('chat_inactive')
    if (!ignorePresence && !(actor.kind === 'agent' && actor.agentId === userId)) this._requirePresence(actor, chat)
    if (!chat.users.some((u) => u.id === userId && u.present)) fail('not_found', `User is not in the chat: ${userId}`)
    chat.users = chat.users.filter((u) => u.id !== userId)
    thread.userIds = thread.userIds.filter((id) => id !== userId)
    const requesterId = actor.kind === 'agent' ? actor.agentId : undefined
    this._webhooks.emit(
      'user_removed_from_chat',
      {
        chat_id: chat.id,
        thread_id: thread.id,
        user_id: userId,
        user_type: 'agent',
        reason: 'manual',
        ...(requesterId ? { requester_id: requesterId } : {}),
      },
      this._ctx(actor, chat)
    )
    const name = this._userName(userId)
    if (requesterId === userId) {
      this._appendSystem(chat, thread, actor, 'agent_left', `${name} left the chat`, { agent: name })
    } else {
      const by = this._displayName(actor)
      this._appendSystem(chat, thread, actor, 'agent_removed', `${by} removed ${name} from the chat`, {
        agent: by,
        removed_agent: name,
      })
    }
    this._changed(chat)
  }

  public transfer(
    actor: Actor,
    chatId: string,
    target: TransferTarget | undefined,
    opts: { ignoreAgentsAvailability?: boolean; ignoreRequesterPresence?: boolean }
  ): void {
    const chat = this.chatFor(actor, chatId)
    const thread = this._store.activeThread(chat) ?? fail('chat_inactive')
    if (!opts.ignoreRequesterPresence) this._requirePresence(actor, chat)
    const groupTarget: number[] | undefined =
      target === undefined ? chat.groupIds : target.type === 'group' ? target.ids : undefined
    let assigned: string | undefined
    if (groupTarget) {
      for (const id of groupTarget) {
        if (!this._store.seed.groups.some((g) => g.id === id)) fail('validation', `Group not found: ${id}`)
      }
      assigned = groupTarget.flatMap((g) => this._candidates(g)).find((id) => id !== this.requesterId(actor))
      // Without ignore_agents_availability the call fails when nobody can take the chat now (Transfer Chat).
      if (!assigned && !opts.ignoreAgentsAvailability) {
        fail('validation', 'Cannot assign any agent from requested groups')
      }
      chat.groupIds = [...groupTarget]
      thread.groupIds = [...groupTarget]
    } else if (target?.type === 'agent') {
      for (const id of target.ids) if (!this._store.agent(id)) fail('validation', `Agent not found: ${id}`)
      assigned =
        target.ids.find((id) => this._store.isAccepting(id)) ??
        (opts.ignoreAgentsAvailability ? target.ids[0] : undefined)
      if (!assigned) fail('validation', 'Cannot assign any of the requested agents')
    }
    // The previous agents lose the chat; the picked agent (if any) takes it, otherwise it waits in the queue.
    chat.users = chat.users.filter((u) => u.type !== 'agent')
    thread.userIds = thread.userIds.filter((id) => !this._store.agent(id))
    if (assigned) {
      chat.users.push({ id: assigned, type: 'agent', visibility: 'all', present: true })
      thread.userIds.push(assigned)
      thread.queue = undefined
    } else {
      const queued = [...this._store.chats.values()].filter((c) => this._store.activeThread(c)?.queue).length
      thread.queue = { position: queued + 1, wait_time: 0, queued_at: rfc3339(this._store.clock.now()) }
    }
    const requesterId = actor.kind === 'agent' ? actor.agentId : undefined
    this._webhooks.emit(
      'chat_transferred',
      {
        chat_id: chat.id,
        thread_id: thread.id,
        ...(requesterId ? { requester_id: requesterId } : {}),
        reason: 'manual',
        transferred_to: {
          ...(groupTarget ? { group_ids: groupTarget } : {}),
          ...(assigned ? { agent_ids: [assigned] } : {}),
        },
        ...(thread.queue ? { queue: thread.queue } : {}),
      },
      this._ctx(actor, chat)
    )
    const targets = groupTarget
      ? groupTarget.map((g) => this._store.seed.groups.find((x) => x.id === g)?.name ?? String(g)).join(', ')
      : this._userName(assigned ?? '')
    const by = this._displayName(actor)
    this._appendSystem(chat, thread, actor, 'chat_transferred', `${by} transferred the chat to ${targets}`, {
      initiator: by,
      targets,
    })
    this._changed(chat)
  }

  public updateCustomerSessionFields(actor: Actor, customer: Customer): void {
    // Sent only when the customer has an active chat (Update Customer, customer_session_fields_updated).
    const chat = [...this._store.chats.values()].find(
      (c) => c.customerId === customer.id && this._store.activeThread(c)
    )
    const thread = chat ? this._store.activeThread(chat) : undefined
    if (!chat || !thread) return
    this._webhooks.emit(
      'customer_session_fields_updated',
      {
        id: customer.id,
        active_chat: { chat_id: chat.id, thread_id: thread.id },
        session_fields: customer.sessionFields,
      },
      this._ctx(actor, chat)
    )
  }

  /** The Agent App's status switch, which the router and list_group_statuses follow. */
  public setRoutingStatus(agentId: string, status: RoutingStatus): void {
    this._store.routingStatus.set(agentId, status)
    // The routing_status_set sample writes the status with spaces ("accepting chats").
    this._webhooks.emit('routing_status_set', { agent_id: agentId, status: status.replace(/_/g, ' ') })
    this._feed.publish('agent', { agentId, routingStatus: status })
  }

  /** A webhook about the chat as the requester caused it, and a change for the feed (thread tags, properties). */
  public notify(actor: Actor, chat: Chat, action: string, payload: JsonObject): void {
    this._webhooks.emit(action, payload, this._ctx(actor, chat))
    this._changed(chat)
  }

  // ---- views ------------------------------------------------------------------------------------------------

  /** Agent ids are hashed in the Customer Chat API (its get_chat sample shows 32-hex agent ids). */
  public publicId(id: string, side: 'agent' | 'customer'): string {
    return side === 'customer' && this._store.agent(id) ? createHash('md5').update(id).digest('hex') : id
  }

  public userView(chat: Chat, userId: string, side: 'agent' | 'customer'): JsonObject {
    const member = chat.users.find((u) => u.id === userId)
    const agent = this._store.agent(userId)
    const seen = rfc3339(this._store.clock.now())
    if (agent) {
      if (side === 'customer') {
        return {
          id: this.publicId(userId, side),
          type: 'agent',
          name: agent.name,
          avatar: agent.avatar,
          present: member?.present ?? false,
        }
      }
      return {
        id: agent.id,
        type: 'agent',
        name: agent.name,
        email: agent.id,
        present: member?.present ?? false,
        events_seen_up_to: seen,
        avatar: agent.avatar,
        visibility: member?.visibility ?? 'all',
      }
    }
    const customer = this._store.customers.get(userId)
    return {
      id: userId,
      type: 'customer',
      ...(customer?.name ? { name: customer.name } : {}),
      ...(customer?.email ? { email: customer.email, email_verified: false } : {}),
      ...(customer?.avatar ? { avatar: customer.avatar } : {}),
      ...(customer && customer.sessionFields.length > 0 ? { session_fields: customer.sessionFields } : {}),
      ...(customer ? { created_at: rfc3339(customer.createdAtMs) } : {}),
      present: member?.present ?? false,
      events_seen_up_to: seen,
    }
  }

  public eventView(event: LcEvent, side: 'agent' | 'customer'): JsonObject {
    if (side === 'agent' || typeof event.author_id !== 'string') return event
    return { ...event, author_id: this.publicId(event.author_id, side) }
  }

  public threadView(chat: Chat, thread: Thread, side: 'agent' | 'customer'): JsonObject {
    const index = chat.threads.indexOf(thread)
    const prev = chat.threads[index - 1]
    const next = chat.threads[index + 1]
    const events =
      side === 'customer'
        ? thread.events.filter((e) => e.visibility !== 'agents').map((e) => this.eventView(e, side))
        : thread.events
    return {
      id: thread.id,
      created_at: rfc3339(thread.createdAtMs),
      active: thread.active,
      user_ids: thread.userIds.map((id) => this.publicId(id, side)),
      events,
      properties: thread.properties,
      access: { group_ids: thread.groupIds },
      ...(side === 'agent' && thread.tags.length > 0 ? { tags: thread.tags } : {}),
      ...(side === 'agent' && thread.queue ? { queue: thread.queue } : {}),
      ...(prev ? { previous_thread_id: prev.id } : {}),
      ...(next ? { next_thread_id: next.id } : {}),
    }
  }

  public chatView(chat: Chat, thread: Thread | undefined, side: 'agent' | 'customer'): JsonObject {
    return {
      id: chat.id,
      ...(thread ? { thread: this.threadView(chat, thread, side) } : {}),
      users: chat.users
        .filter((u) => side === 'agent' || u.visibility === 'all')
        .map((u) => this.userView(chat, u.id, side)),
      properties: chat.properties,
      access: { group_ids: chat.groupIds },
      ...(side === 'agent' ? { is_followed: false } : {}),
    }
  }

  // ---- internals --------------------------------------------------------------------------------------------

  private _ctx(actor: Actor, chat: Chat, authorType?: 'agent' | 'customer'): EmitContext {
    const sourceClientId =
      actor.kind === 'customer' ? actor.clientId : actor.via === 'agent_app' ? AGENT_APP_CLIENT_ID : undefined
    return { chat, sourceClientId, ...(authorType ? { authorType } : {}) }
  }

  private _checkGroups(actor: Actor, groupIds: number[]): void {
    for (const id of groupIds) {
      if (this._store.seed.groups.some((g) => g.id === id)) continue
      if (actor.kind === 'customer') fail('group_not_found', `Group not found: ${id}`)
      fail('validation', `Group not found: ${id}`)
    }
  }

  private _candidates(groupId: number): string[] {
    const group = this._store.seed.groups.find((g) => g.id === groupId)
    return group ? this._store.acceptingAgentIds(group) : []
  }

  private _groupOnline(groupId: number): boolean {
    return this._candidates(groupId).length > 0
  }

  private _requirePresence(actor: Actor, chat: Chat): void {
    const id = this.requesterId(actor)
    if (!chat.users.some((u) => u.id === id && u.present)) {
      // Observed in the wild as HTTP 403 "Requester is not user of the chat" (livechat-api.md §2.4).
      fail('authorization', 'Requester is not user of the chat')
    }
  }

  private _newThread(chat: Chat, active: boolean, properties: JsonObject | undefined): Thread {
    const thread: Thread = {
      id: newChatId(),
      createdAtMs: this._store.clock.now(),
      active,
      userIds: chat.users.filter((u) => u.present).map((u) => u.id),
      events: [],
      properties: properties ?? {},
      groupIds: [...chat.groupIds],
      tags: [],
      eventCounter: 0,
    }
    chat.threads.push(thread)
    return thread
  }

  private _collectingInitialEvents = false

  /** Checks initial events before any state changes, so a bad event leaves no half-made chat or thread. */
  private _validateEvents(actor: Actor, events: unknown[] | undefined): void {
    for (const raw of events ?? []) {
      buildEvent(raw, {
        authorId: this.requesterId(actor),
        customerAuthor: actor.kind === 'customer',
        findFile: this._cdn.findFile,
      })
    }
  }

  private _initialEvents(chat: Chat, thread: Thread, actor: Actor, events: unknown[] | undefined): string[] {
    this._collectingInitialEvents = true
    try {
      return (events ?? []).map((raw) => this._appendEvent(chat, thread, actor, raw).id)
    } finally {
      this._collectingInitialEvents = false
    }
  }

  private _appendEvent(chat: Chat, thread: Thread, actor: Actor, raw: unknown): LcEvent {
    const body = buildEvent(raw, {
      authorId: this.requesterId(actor),
      customerAuthor: actor.kind === 'customer',
      findFile: this._cdn.findFile,
    })
    const event = this._push(thread, body)
    const authorType = body.type === 'system_message' ? undefined : actor.kind
    this._emitIncomingEvent(actor, chat, thread, event, authorType)
    return event
  }

  private _appendSystem(
    chat: Chat,
    thread: Thread,
    actor: Actor,
    systemType: string,
    text: string,
    vars: Record<string, string>
  ): void {
    const event = this._push(thread, {
      type: 'system_message',
      visibility: 'all',
      text,
      system_message_type: systemType,
      text_vars: vars,
    })
    this._emitIncomingEvent(actor, chat, thread, event, undefined)
  }

  private _push(thread: Thread, body: JsonObject & { type: string }): LcEvent {
    thread.eventCounter += 1
    const event: LcEvent = {
      id: `${thread.id}_${thread.eventCounter}`,
      created_at: rfc3339(this._store.clock.now()),
      ...body,
    }
    thread.events.push(event)
    return event
  }

  private _emitIncomingEvent(
    actor: Actor,
    chat: Chat,
    thread: Thread,
    event: LcEvent,
    authorType: 'agent' | 'customer' | undefined
  ): void {
    // Initial events of start_chat/resume_chat travel inside incoming_chat, not as separate incoming_event.
    if (this._collectingInitialEvents) return
    this._webhooks.emit(
      'incoming_event',
      { chat_id: chat.id, thread_id: thread.id, event },
      this._ctx(actor, chat, authorType)
    )
  }

  private _displayName(actor: Actor): string {
    return this._userName(this.requesterId(actor))
  }

  private _userName(id: string): string {
    const agent = this._store.agent(id)
    if (agent) return agent.name
    const customer = this._store.customers.get(id)
    return customer?.name ?? 'Customer'
  }

  private _changed(chat: Chat): void {
    this._feed.publish('chat', { chatId: chat.id, active: Boolean(this._store.activeThread(chat)) })
  }
}

const objectOrEmpty = (value: Json | undefined): JsonObject =>
  value && typeof value === 'object' && !Array.isArray(value) ? value : {}
