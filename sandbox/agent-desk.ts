import { z } from 'zod'
import type { LiveChatEmulator } from '../emulators/livechat'

/**
 * The agent's side of the console: the chats of the license as the LiveChat Agent App would list them, read from the
 * emulator's state (the same records the Agent Chat API answers from). Only the fields the page shows are kept.
 */

export type DeskEvent = {
  id: string
  at: string
  threadId: string
  kind: 'message' | 'file' | 'system' | 'other'
  author: 'customer' | 'agent' | 'system'
  authorName: string
  text?: string
  file?: { url: string; name: string; contentType: string }
}

export type DeskChat = {
  id: string
  active: boolean
  customer: { id: string; name: string; email?: string }
  groups: string[]
  /** Agents present in the chat now, the one holding it last (LiveChat lists users in join order). */
  agents: { id: string; name: string }[]
  threads: number
  lastAt: string
  events: DeskEvent[]
  /** What the Agent App shows beside the chat: the customer's session fields, the current thread's tags and rating. */
  sessionFields: { key: string; value: string }[]
  tags: string[]
  rating?: { score: 'good' | 'bad'; comment?: string }
}

export type DeskView = {
  agents: { id: string; name: string; avatar: string; routingStatus: string }[]
  chats: DeskChat[]
}

const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    created_at: z.string(),
    author_id: z.string().optional(),
    text: z.string().optional(),
    url: z.string().optional(),
    name: z.string().optional(),
    content_type: z.string().optional(),
    system_message_type: z.string().optional(),
  })
  .passthrough()

const stateSchema = z.object({
  chats: z.array(
    z.object({
      id: z.string(),
      customer_id: z.string().nullable(),
      users: z.array(z.object({ id: z.string(), type: z.string(), present: z.boolean() })),
      access: z.object({ group_ids: z.array(z.number()) }),
      threads: z.array(
        z.object({
          id: z.string(),
          active: z.boolean(),
          created_at: z.string(),
          events: z.array(eventSchema),
          tags: z.array(z.string()).default([]),
          properties: z
            .object({ rating: z.object({ score: z.number(), comment: z.string().optional() }).optional() })
            .passthrough()
            .default({}),
        })
      ),
    })
  ),
  customers: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      session_fields: z.array(z.record(z.string())).default([]),
    })
  ),
  routing_statuses: z.record(z.string()).default({}),
})

type LcEvent = z.infer<typeof eventSchema>

const toDeskEvent = (
  event: LcEvent,
  threadId: string,
  names: { customerId: string | null; customerName: string; agentName(id: string): string }
): DeskEvent => {
  const base = { id: event.id, at: event.created_at, threadId }
  const fromCustomer = event.author_id !== undefined && event.author_id === names.customerId
  const author = event.type === 'system_message' ? 'system' : fromCustomer ? 'customer' : 'agent'
  const authorName =
    author === 'system' ? 'System' : author === 'customer' ? names.customerName : names.agentName(event.author_id ?? '')
  switch (event.type) {
    case 'message':
      return { ...base, kind: 'message', author, authorName, text: event.text ?? '' }
    case 'system_message':
      return { ...base, kind: 'system', author, authorName, text: event.text ?? '' }
    case 'file':
      return {
        ...base,
        kind: 'file',
        author,
        authorName,
        file: { url: event.url ?? '', name: event.name ?? 'file', contentType: event.content_type ?? '' },
      }
    default:
      return { ...base, kind: 'other', author, authorName, text: `[${event.type}]` }
  }
}

export const deskView = (livechat: LiveChatEmulator): DeskView => {
  const state = stateSchema.parse(livechat.state)
  const { agents, groups } = livechat.seed
  const agentName = (id: string) => agents.find((agent) => agent.id === id)?.name ?? id
  const chats = state.chats.map((chat): DeskChat => {
    const customer = state.customers.find((candidate) => candidate.id === chat.customer_id)
    const customerName = customer?.name ?? 'Customer'
    const events = chat.threads.flatMap((thread) =>
      thread.events.map((event) =>
        toDeskEvent(event, thread.id, { customerId: chat.customer_id, customerName, agentName })
      )
    )
    const last = chat.threads.at(-1)
    const rating = last?.properties.rating
    return {
      id: chat.id,
      active: last?.active ?? false,
      customer: { id: chat.customer_id ?? '', name: customerName, ...(customer?.email && { email: customer.email }) },
      groups: chat.access.group_ids.map((id) => groups.find((group) => group.id === id)?.name ?? `Group ${id}`),
      agents: chat.users
        .filter((user) => user.type === 'agent' && user.present)
        .map((user) => ({ id: user.id, name: agentName(user.id) })),
      threads: chat.threads.length,
      lastAt: events.at(-1)?.at ?? last?.created_at ?? '',
      events,
      sessionFields: (customer?.session_fields ?? []).flatMap((field) =>
        Object.entries(field).map(([key, value]) => ({ key, value }))
      ),
      tags: last?.tags ?? [],
      ...(rating && {
        rating: { score: rating.score === 1 ? 'good' : 'bad', ...(rating.comment && { comment: rating.comment }) },
      }),
    }
  })
  return {
    agents: agents.map((agent) => ({
      id: agent.id,
      name: agent.name,
      avatar: agent.avatar,
      routingStatus: state.routing_statuses[agent.id] ?? agent.routingStatus,
    })),
    // Newest activity first, as the Agent App sorts its chat list.
    chats: chats.sort((a, b) => b.lastAt.localeCompare(a.lastAt)),
  }
}
