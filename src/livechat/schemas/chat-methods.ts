import { z } from 'zod'
import { accessSchema, chatUserSchema, eventSchema, propertiesSchema } from './common'

/**
 * Pieces of the chat methods that the Agent and the Customer Chat API both expose, built once. Requests are plain
 * types (ours, sent as given); answers are zod schemas (LiveChat's, validated).
 */

/** `get_chat`: the same body in both APIs. */
export type GetChatRequest = { chat_id: string; thread_id?: string }

/** The request side of paginated lists (`list_chats`). */
export type PageRequest = { sort_order?: 'asc' | 'desc'; limit?: number; page_id?: string }

/** The response side of paginated lists (`list_chats`). */
export const pageResponseShape = {
  next_page_id: z.string().optional(),
  previous_page_id: z.string().optional(),
}

/** What a chat summary holds in both APIs; each adds its own fields. */
export const chatSummaryShape = {
  id: z.string(),
  last_event_per_type: z
    .record(
      z.string(),
      z
        .object({ thread_id: z.string().optional(), thread_created_at: z.string().optional(), event: eventSchema })
        .passthrough()
    )
    .optional(),
  users: z.array(chatUserSchema).optional(),
  properties: propertiesSchema.optional(),
  access: accessSchema.optional(),
}

/** `[{"<key>": "<value>"}]` */
export type SessionFields = Record<string, string>[]

/** The customer fields that `update_customer` sets, in both APIs, and that a customer holds. */
export const customerFieldsShape = {
  name: z.string().optional(),
  email: z.string().optional(),
  avatar: z.string().optional(),
  session_fields: z.array(z.record(z.string(), z.string())).optional(),
}
export type CustomerFields = { name?: string; email?: string; avatar?: string; session_fields?: SessionFields }
