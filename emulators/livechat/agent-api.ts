import { z } from 'zod'
import { requireScope } from './auth'
import type { Cdn } from './cdn'
import type { Actor, ChatOps } from './chat-ops'
import { fail } from './errors'
import type { UploadedPart } from './http'
import { openPage, pageOf } from './paging'
import { type Chat, type JsonObject, type Store, rfc3339 } from './store'

// Agent Chat Web API v3.6: src/pages/messaging/agent-chat-api/index.mdx. One handler per documented method.

export type AgentCall = {
  actor: Actor & { kind: 'agent' }
  scopes: string[]
  body: unknown
  file: () => Promise<UploadedPart | undefined>
}
type Handler = (call: AgentCall) => unknown

export const parse = <T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> => {
  const result = schema.safeParse(body)
  if (!result.success) {
    const issue = result.error.issues[0]
    return fail('validation', `\`${issue?.path.join('.') || 'body'}\`: ${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

const CHATS_RW = ['chats--all:rw', 'chats--access:rw']
const CHATS_RO = ['chats--all:ro', 'chats--access:ro']
const properties = z.record(z.record(z.unknown())).transform((p) => JSON.parse(JSON.stringify(p)) as JsonObject)
/** "The maximum number of keys: 100" (Set Customer Session Fields); counted over every object of the array. */
export const sessionFields = z
  .array(z.record(z.string()))
  .refine((fields) => fields.reduce((keys, field) => keys + Object.keys(field).length, 0) <= 100, {
    message: 'The maximum number of keys is 100',
  })

const chatInput = z.object({
  properties: properties.optional(),
  access: z.object({ group_ids: z.array(z.number().int()) }).optional(),
  users: z.array(z.object({ id: z.string(), type: z.enum(['agent', 'customer']) })).optional(),
  thread: z.object({ events: z.array(z.unknown()).optional(), properties: properties.optional() }).optional(),
})
const startChat = z.object({
  chat: chatInput.optional(),
  active: z.boolean().optional(),
  continuous: z.boolean().optional(),
})
const resumeChat = z.object({
  chat: chatInput.extend({ id: z.string() }),
  active: z.boolean().optional(),
  continuous: z.boolean().optional(),
})

const toStartInput = (
  chat: z.infer<typeof chatInput> | undefined,
  body: { active?: boolean; continuous?: boolean }
) => ({
  ...(chat?.users ? { users: chat.users } : {}),
  ...(chat?.access ? { groupIds: chat.access.group_ids } : {}),
  ...(chat?.properties ? { properties: chat.properties } : {}),
  ...(chat?.thread?.properties ? { threadProperties: chat.thread.properties } : {}),
  ...(chat?.thread?.events ? { events: chat.thread.events } : {}),
  ...(body.active !== undefined ? { active: body.active } : {}),
  ...(body.continuous !== undefined ? { continuous: body.continuous } : {}),
})

export const customerView = (store: Store, id: string): JsonObject => {
  const customer = store.customers.get(id)
  if (!customer) return fail('not_found', `Customer not found: ${id}`)
  const chats = [...store.chats.values()].filter((c) => c.customerId === id)
  return {
    id: customer.id,
    type: 'customer',
    ...(customer.name ? { name: customer.name } : {}),
    ...(customer.email ? { email: customer.email, email_verified: false } : {}),
    ...(customer.avatar ? { avatar: customer.avatar } : {}),
    session_fields: customer.sessionFields,
    created_at: rfc3339(customer.createdAtMs),
    chat_ids: chats.map((c) => c.id),
    statistics: {
      chats_count: chats.length,
      threads_count: chats.reduce((n, c) => n + c.threads.length, 0),
      visits_count: 0,
      page_views_count: 0,
      greetings_shown_count: 0,
      greetings_accepted_count: 0,
    },
  }
}

const chatSummary = (ops: ChatOps, store: Store, chat: Chat): JsonObject => {
  const last = store.lastThread(chat)
  const lastEventPerType: JsonObject = {}
  for (const thread of chat.threads) {
    for (const event of thread.events) {
      lastEventPerType[event.type] = { thread_id: thread.id, thread_created_at: rfc3339(thread.createdAtMs), event }
    }
  }
  return {
    id: chat.id,
    last_event_per_type: lastEventPerType,
    users: chat.users.map((u) => ops.userView(chat, u.id, 'agent')),
    ...(last
      ? {
          last_thread_summary: {
            id: last.id,
            created_at: rfc3339(last.createdAtMs),
            user_ids: last.userIds,
            properties: last.properties,
            active: last.active,
            access: { group_ids: last.groupIds },
            ...(last.queue ? { queue: last.queue } : {}),
          },
        }
      : {}),
    properties: chat.properties,
    access: { group_ids: chat.groupIds },
    is_followed: false,
  }
}

export const sortedChats = (store: Store, chats: Chat[], sort: 'asc' | 'desc'): Chat[] =>
  [...chats].sort((a, b) => {
    const diff = (store.lastThread(a)?.createdAtMs ?? 0) - (store.lastThread(b)?.createdAtMs ?? 0)
    return sort === 'asc' ? diff : -diff
  })

export const listThreads = (ops: ChatOps, actor: Actor, body: unknown, side: 'agent' | 'customer') => {
  const req = parse(
    z.object({
      chat_id: z.string(),
      sort_order: z.enum(['asc', 'desc']).optional(),
      limit: z.number().int().optional(),
      page_id: z.string().optional(),
      min_events_count: z.number().int().min(1).max(100).optional(),
      filters: z.object({ from: z.string().optional(), to: z.string().optional() }).optional(),
    }),
    body
  )
  if (req.min_events_count !== undefined && req.limit !== undefined) {
    fail('validation', '`limit` and `min_events_count` cannot be used together')
  }
  const chat = ops.chatFor(actor, req.chat_id)
  const state = openPage({ ...req, filters: req.filters }, { limit: 3, max: 100 })
  const threads = state.sort === 'asc' ? [...chat.threads] : [...chat.threads].reverse()
  const page = pageOf(threads, state)
  return {
    threads: page.items.map((t) => ops.threadView(chat, t, side)),
    found_threads: chat.threads.length,
    ...(page.next ? { next_page_id: page.next } : {}),
    ...(page.previous ? { previous_page_id: page.previous } : {}),
  }
}

export const agentHandlers = (ops: ChatOps, store: Store, cdn: Cdn): Record<string, Handler> => ({
  start_chat: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(startChat, body)
    const result = ops.startChat(actor, toStartInput(req.chat, req))
    return {
      chat_id: result.chatId,
      thread_id: result.threadId,
      ...(result.eventIds.length > 0 ? { event_ids: result.eventIds } : {}),
    }
  },
  resume_chat: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(resumeChat, body)
    const result = ops.resumeChat(actor, req.chat.id, toStartInput(req.chat, req))
    return { thread_id: result.threadId, ...(result.eventIds.length > 0 ? { event_ids: result.eventIds } : {}) }
  },
  deactivate_chat: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(z.object({ id: z.string(), ignore_requester_presence: z.boolean().optional() }), body)
    ops.deactivateChat(actor, req.id, req.ignore_requester_presence === true)
    return {}
  },
  get_chat: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RO)
    const req = parse(z.object({ chat_id: z.string(), thread_id: z.string().optional() }), body)
    const chat = ops.chatFor(actor, req.chat_id)
    const thread = req.thread_id ? chat.threads.find((t) => t.id === req.thread_id) : store.lastThread(chat)
    if (req.thread_id && !thread) return fail('not_found', `Thread not found: ${req.thread_id}`)
    return ops.chatView(chat, thread, 'agent')
  },
  list_chats: ({ scopes, body }) => {
    requireScope(scopes, CHATS_RO)
    const req = parse(
      z.object({
        // v3.6 renamed include_active to `active` (Agent Chat API changelog, v3.6).
        filters: z
          .object({
            active: z.boolean().optional(),
            include_chats_without_threads: z.boolean().optional(),
            group_ids: z.array(z.number().int()).max(200).optional(),
          })
          .optional(),
        sort_order: z.enum(['asc', 'desc']).optional(),
        limit: z.number().int().optional(),
        page_id: z.string().optional(),
      }),
      body
    )
    const state = openPage(req, { limit: 10, max: 100 })
    const filters = (state.filters ?? {}) as NonNullable<typeof req.filters>
    const chats = [...store.chats.values()].filter(
      (c) =>
        (filters.active === undefined || Boolean(store.activeThread(c)) === filters.active) &&
        (!filters.group_ids || c.groupIds.some((g) => filters.group_ids?.includes(g)))
    )
    const page = pageOf(sortedChats(store, chats, state.sort), state)
    return {
      chats_summary: page.items.map((c) => chatSummary(ops, store, c)),
      found_chats: chats.length,
      ...(page.next ? { next_page_id: page.next } : {}),
      ...(page.previous ? { previous_page_id: page.previous } : {}),
    }
  },
  list_threads: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RO)
    return listThreads(ops, actor, body, 'agent')
  },
  add_user_to_chat: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(
      z.object({
        chat_id: z.string(),
        user_id: z.string(),
        user_type: z.enum(['agent', 'customer']),
        visibility: z.enum(['all', 'agents']),
        ignore_requester_presence: z.boolean().optional(),
      }),
      body
    )
    ops.addUser(
      actor,
      req.chat_id,
      { id: req.user_id, type: req.user_type, visibility: req.visibility },
      req.ignore_requester_presence === true
    )
    return {}
  },
  remove_user_from_chat: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(
      z.object({
        chat_id: z.string(),
        user_id: z.string(),
        user_type: z.enum(['agent', 'customer']),
        ignore_requester_presence: z.boolean().optional(),
      }),
      body
    )
    ops.removeUser(actor, req.chat_id, req.user_id, req.user_type, req.ignore_requester_presence === true)
    return {}
  },
  transfer_chat: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(
      z.object({
        id: z.string(),
        target: z
          .discriminatedUnion('type', [
            z.object({ type: z.literal('group'), ids: z.array(z.number().int()).min(1) }),
            z.object({ type: z.literal('agent'), ids: z.array(z.string()).min(1) }),
          ])
          .optional(),
        ignore_agents_availability: z.boolean().optional(),
        ignore_requester_presence: z.boolean().optional(),
      }),
      body
    )
    ops.transfer(actor, req.id, req.target, {
      ignoreAgentsAvailability: req.ignore_agents_availability === true,
      ignoreRequesterPresence: req.ignore_requester_presence === true,
    })
    return {}
  },
  send_event: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(z.object({ chat_id: z.string(), event: z.unknown() }), body)
    return { event_id: ops.sendEvent(actor, req.chat_id, req.event).id }
  },
  // upload_file needs no scope (Agent Chat API, Upload File "Required scopes": -).
  upload_file: async ({ file }) => cdn.upload(await file()),
  get_customer: ({ scopes, body }) => {
    requireScope(scopes, ['customers:ro'])
    const req = parse(z.object({ id: z.string() }), body)
    return customerView(store, req.id)
  },
  update_customer: ({ actor, scopes, body }) => {
    requireScope(scopes, ['customers:rw'])
    const req = parse(
      z.object({
        id: z.string().uuid(),
        name: z.string().optional(),
        email: z.string().optional(),
        avatar: z.string().optional(),
        session_fields: sessionFields.optional(),
      }),
      body
    )
    const { id, ...fields } = req
    if (Object.keys(fields).length === 0) fail('validation', 'At least one field besides `id` is required')
    const customer = store.customers.get(id)
    if (!customer) return fail('not_found', `Customer not found: ${id}`)
    Object.assign(customer, {
      ...(fields.name !== undefined ? { name: fields.name } : {}),
      ...(fields.email !== undefined ? { email: fields.email } : {}),
      ...(fields.avatar !== undefined ? { avatar: fields.avatar } : {}),
      ...(fields.session_fields ? { sessionFields: fields.session_fields } : {}),
    })
    if (fields.session_fields) ops.updateCustomerSessionFields(actor, customer)
    return {}
  },
})
