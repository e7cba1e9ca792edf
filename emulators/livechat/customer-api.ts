import { z } from 'zod'
import { listThreads, parse, sessionFields, sortedChats } from './agent-api'
import type { Cdn } from './cdn'
import type { Actor, ChatOps } from './chat-ops'
import { fail } from './errors'
import type { UploadedPart } from './http'
import { openPage, pageOf } from './paging'
import { type JsonObject, type Store, rfc3339 } from './store'

// Customer Chat Web API v3.6: src/pages/messaging/customer-chat-api/index.mdx. No scopes: the customer token is
// the whole authorization. Agents appear with hashed ids on this side (see ChatOps.publicId).

export type CustomerCall = {
  actor: Actor & { kind: 'customer' }
  body: unknown
  file: () => Promise<UploadedPart | undefined>
}
type Handler = (call: CustomerCall) => unknown

const properties = z.record(z.record(z.unknown())).transform((p) => JSON.parse(JSON.stringify(p)) as JsonObject)
const chatInput = z.object({
  properties: properties.optional(),
  access: z.object({ group_ids: z.array(z.number().int()) }).optional(),
  thread: z.object({ events: z.array(z.unknown()).optional(), properties: properties.optional() }).optional(),
})

const startInput = (chat: z.infer<typeof chatInput> | undefined, body: { active?: boolean; continuous?: boolean }) => ({
  ...(chat?.access ? { groupIds: chat.access.group_ids } : {}),
  ...(chat?.properties ? { properties: chat.properties } : {}),
  ...(chat?.thread?.properties ? { threadProperties: chat.thread.properties } : {}),
  ...(chat?.thread?.events ? { events: chat.thread.events } : {}),
  ...(body.active !== undefined ? { active: body.active } : {}),
  ...(body.continuous !== undefined ? { continuous: body.continuous } : {}),
})

export const customerHandlers = (ops: ChatOps, store: Store, cdn: Cdn): Record<string, Handler> => {
  const me = (actor: CustomerCall['actor']) => {
    const customer = store.customers.get(actor.customerId)
    return customer ?? fail('authentication', 'Invalid access token')
  }
  const updateCustomer = (
    actor: CustomerCall['actor'],
    fields: { name?: string; email?: string; avatar?: string; session_fields?: Record<string, string>[] }
  ) => {
    const customer = me(actor)
    if (fields.name !== undefined) customer.name = fields.name
    if (fields.email !== undefined) customer.email = fields.email
    if (fields.avatar !== undefined) customer.avatar = fields.avatar
    if (fields.session_fields) {
      customer.sessionFields = fields.session_fields
      ops.updateCustomerSessionFields(actor, customer)
    }
  }
  return {
    start_chat: ({ actor, body }) => {
      const req = parse(
        z.object({ chat: chatInput.optional(), active: z.boolean().optional(), continuous: z.boolean().optional() }),
        body
      )
      const result = ops.startChat(actor, startInput(req.chat, req))
      return {
        chat_id: result.chatId,
        thread_id: result.threadId,
        ...(result.eventIds.length > 0 ? { event_ids: result.eventIds } : {}),
      }
    },
    resume_chat: ({ actor, body }) => {
      const req = parse(
        z.object({
          chat: chatInput.extend({ id: z.string() }),
          active: z.boolean().optional(),
          continuous: z.boolean().optional(),
        }),
        body
      )
      const result = ops.resumeChat(actor, req.chat.id, startInput(req.chat, req))
      return { thread_id: result.threadId, ...(result.eventIds.length > 0 ? { event_ids: result.eventIds } : {}) }
    },
    deactivate_chat: ({ actor, body }) => {
      const req = parse(z.object({ id: z.string() }), body)
      ops.deactivateChat(actor, req.id)
      return {}
    },
    send_event: ({ actor, body }) => {
      const req = parse(
        z.object({ chat_id: z.string(), event: z.unknown(), attach_to_last_thread: z.boolean().optional() }),
        body
      )
      return { event_id: ops.sendEvent(actor, req.chat_id, req.event, req.attach_to_last_thread === true).id }
    },
    upload_file: async ({ file }) => cdn.upload(await file()),
    get_chat: ({ actor, body }) => {
      const req = parse(z.object({ chat_id: z.string(), thread_id: z.string().optional() }), body)
      const chat = ops.chatFor(actor, req.chat_id)
      const thread = req.thread_id ? chat.threads.find((t) => t.id === req.thread_id) : store.lastThread(chat)
      if (req.thread_id && !thread) return fail('not_found', `Thread not found: ${req.thread_id}`)
      return ops.chatView(chat, thread, 'customer')
    },
    list_chats: ({ actor, body }) => {
      const req = parse(
        z.object({
          limit: z.number().int().optional(),
          sort_order: z.enum(['asc', 'desc']).optional(),
          page_id: z.string().optional(),
        }),
        body
      )
      const state = openPage(req, { limit: 10, max: 25 })
      const mine = [...store.chats.values()].filter((c) => c.customerId === actor.customerId)
      const page = pageOf(sortedChats(store, mine, state.sort), state)
      return {
        chats_summary: page.items.map((chat) => {
          const last = store.lastThread(chat)
          const lastEventPerType: JsonObject = {}
          for (const thread of chat.threads) {
            for (const event of thread.events.filter((e) => e.visibility !== 'agents')) {
              lastEventPerType[event.type] = {
                thread_id: thread.id,
                thread_created_at: rfc3339(thread.createdAtMs),
                event: ops.eventView(event, 'customer'),
              }
            }
          }
          return {
            id: chat.id,
            ...(last ? { last_thread_id: last.id, last_thread_created_at: rfc3339(last.createdAtMs) } : {}),
            last_event_per_type: lastEventPerType,
            users: chat.users.filter((u) => u.visibility === 'all').map((u) => ops.userView(chat, u.id, 'customer')),
            access: { group_ids: chat.groupIds },
            properties: chat.properties,
            active: Boolean(store.activeThread(chat)),
          }
        }),
        total_chats: mine.length,
        ...(page.next ? { next_page_id: page.next } : {}),
        ...(page.previous ? { previous_page_id: page.previous } : {}),
      }
    },
    list_threads: ({ actor, body }) => listThreads(ops, actor, body, 'customer'),
    get_customer: ({ actor }) => {
      const customer = me(actor)
      return {
        id: customer.id,
        type: 'customer',
        ...(customer.name ? { name: customer.name } : {}),
        ...(customer.email ? { email: customer.email } : {}),
        ...(customer.avatar ? { avatar: customer.avatar } : {}),
        ...(customer.sessionFields.length > 0 ? { session_fields: customer.sessionFields } : {}),
      }
    },
    update_customer: ({ actor, body }) => {
      const req = parse(
        z.object({
          name: z.string().optional(),
          email: z.string().optional(),
          avatar: z.string().optional(),
          session_fields: sessionFields.optional(),
        }),
        body
      )
      if (Object.keys(req).length === 0) fail('validation', 'At least one optional parameter is required')
      updateCustomer(actor, req)
      return {}
    },
    set_customer_session_fields: ({ actor, body }) => {
      const req = parse(z.object({ session_fields: sessionFields }), body)
      updateCustomer(actor, { session_fields: req.session_fields })
      return {}
    },
    list_group_statuses: ({ body }) => {
      const req = parse(
        z.object({ all: z.boolean().optional(), group_ids: z.array(z.number().int()).optional() }),
        body
      )
      if (req.all !== true && !req.group_ids) fail('validation', 'One of `all` or `group_ids` is required')
      // Unknown group ids are left out of the answer (List Group Statuses response note).
      const groups = store.seed.groups.filter((g) => req.all === true || req.group_ids?.includes(g.id))
      const statuses: JsonObject = {}
      for (const g of groups) statuses[String(g.id)] = store.groupStatus(g)
      return { groups_status: statuses }
    },
  }
}
