import { z } from 'zod'
import { type AgentCall, parse } from './agent-api'
import { requireScope } from './auth'
import type { CustomerCall } from './customer-api'
import type { Json } from './store'
import type { ThreadOps } from './thread-ops'

// The thread methods of both chat APIs (v3.6): Tag Thread (Agent Chat API, "Required scopes": chats--all:rw or
// chats--access:rw) and Update Thread Properties (both APIs; the customer side has no scopes).

const CHATS_RW = ['chats--all:rw', 'chats--access:rw']

const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(json)])
)
const updateProperties = z.object({
  chat_id: z.string(),
  thread_id: z.string(),
  properties: z.record(z.record(json)),
})

export const agentThreadHandlers = (threads: ThreadOps): Record<string, (call: AgentCall) => unknown> => ({
  tag_thread: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(z.object({ chat_id: z.string(), thread_id: z.string(), tag: z.string().min(1) }), body)
    threads.tagThread(actor, req.chat_id, req.thread_id, req.tag)
    return {}
  },
  update_thread_properties: ({ actor, scopes, body }) => {
    requireScope(scopes, CHATS_RW)
    const req = parse(updateProperties, body)
    threads.updateThreadProperties(actor, req.chat_id, req.thread_id, req.properties)
    return {}
  },
})

export const customerThreadHandlers = (threads: ThreadOps): Record<string, (call: CustomerCall) => unknown> => ({
  update_thread_properties: ({ actor, body }) => {
    const req = parse(updateProperties, body)
    threads.updateThreadProperties(actor, req.chat_id, req.thread_id, req.properties)
    return {}
  },
})
