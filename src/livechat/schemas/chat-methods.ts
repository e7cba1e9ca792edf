import { z } from 'zod'
import { accessSchema, chatUserSchema, eventSchema, outgoingEventSchema, propertiesSchema } from './common'

/**
 * Pieces of the chat methods that the Agent and the Customer Chat API both expose, built once. agent.ts and
 * customer.ts export the public schemas made from them and spell out where the two APIs differ; index.ts does not
 * re-export this file.
 */

/** `get_chat`: the same body in both APIs. */
export const getChatRequestSchema = z.object({ chat_id: z.string(), thread_id: z.string().optional() })

/**
 * `send_event`: the same body in both APIs. `attach_to_last_thread` lets an event land in the last (inactive) thread
 * instead of failing with `chat_inactive`; v3.6 allows it for system messages only.
 */
export const sendEventRequestSchema = z.object({
  chat_id: z.string(),
  event: outgoingEventSchema,
  attach_to_last_thread: z.boolean().optional(),
})

/** The `chat` of `start_chat` and `resume_chat`, both APIs. */
export const chatInitShape = {
  properties: propertiesSchema.optional(),
  access: accessSchema.optional(),
  thread: z
    .object({ events: z.array(outgoingEventSchema).optional(), properties: propertiesSchema.optional() })
    .optional(),
}

/** `active` and `continuous` of `start_chat` and `resume_chat`, both APIs. */
export const chatActivationShape = {
  active: z.boolean().optional(),
  continuous: z.boolean().optional(),
}

/** The request side of paginated lists (`list_chats`). */
export const pageRequestShape = {
  sort_order: z.enum(['asc', 'desc']).optional(),
  limit: z.number().int().optional(),
  page_id: z.string().optional(),
}

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
export const sessionFieldsSchema = z.array(z.record(z.string(), z.string()))

/** The customer fields that `update_customer` sets, in both APIs. */
export const customerFieldsShape = {
  name: z.string().optional(),
  email: z.string().optional(),
  avatar: z.string().optional(),
  session_fields: sessionFieldsSchema.optional(),
}
