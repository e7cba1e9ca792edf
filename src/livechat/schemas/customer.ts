import { z } from 'zod'
import { accessSchema, chatUserSchema, eventSchema, outgoingEventSchema, propertiesSchema } from './common'

/**
 * Customer Chat Web API v3.6: every call carries `?organization_id=` and a customer Bearer token.
 * @see https://platform.text.com/docs/messaging/customer-chat-api
 */

/** @see https://platform.text.com/docs/messaging/customer-chat-api#start-chat */
export const customerStartChatRequestSchema = z
  .object({
    chat: z
      .object({
        properties: propertiesSchema.optional(),
        access: accessSchema.optional(),
        thread: z
          .object({ events: z.array(outgoingEventSchema).optional(), properties: propertiesSchema.optional() })
          .optional(),
      })
      .optional(),
    active: z.boolean().optional(),
    continuous: z.boolean().optional(),
  })
  .passthrough()
export type CustomerStartChatRequest = z.input<typeof customerStartChatRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#resume-chat */
export const customerResumeChatRequestSchema = z
  .object({
    chat: z
      .object({
        id: z.string(),
        properties: propertiesSchema.optional(),
        access: accessSchema.optional(),
        thread: z
          .object({ events: z.array(outgoingEventSchema).optional(), properties: propertiesSchema.optional() })
          .optional(),
      })
      .passthrough(),
    active: z.boolean().optional(),
    continuous: z.boolean().optional(),
  })
  .passthrough()
export type CustomerResumeChatRequest = z.input<typeof customerResumeChatRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#send-event */
export const customerSendEventRequestSchema = z.object({
  chat_id: z.string(),
  event: outgoingEventSchema,
  /** Lets an event land in the last (inactive) thread instead of failing with `chat_inactive`. */
  attach_to_last_thread: z.boolean().optional(),
})
export type CustomerSendEventRequest = z.input<typeof customerSendEventRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#deactivate-chat */
export const customerDeactivateChatRequestSchema = z.object({ id: z.string() })
export type CustomerDeactivateChatRequest = z.input<typeof customerDeactivateChatRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#get-chat */
export const customerGetChatRequestSchema = z.object({ chat_id: z.string(), thread_id: z.string().optional() })
export type CustomerGetChatRequest = z.input<typeof customerGetChatRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#list-chats */
export const customerListChatsRequestSchema = z
  .object({
    limit: z.number().int().optional(),
    sort_order: z.enum(['asc', 'desc']).optional(),
    page_id: z.string().optional(),
  })
  .passthrough()
export type CustomerListChatsRequest = z.input<typeof customerListChatsRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api/data-structures#chat-summaries */
export const customerChatSummarySchema = z
  .object({
    id: z.string(),
    last_thread_id: z.string().optional(),
    last_thread_created_at: z.string().optional(),
    last_event_per_type: z
      .record(
        z.string(),
        z
          .object({ thread_id: z.string().optional(), thread_created_at: z.string().optional(), event: eventSchema })
          .passthrough()
      )
      .optional(),
    users: z.array(chatUserSchema).optional(),
    access: accessSchema.optional(),
    properties: propertiesSchema.optional(),
    active: z.boolean().optional(),
  })
  .passthrough()
export type CustomerChatSummary = z.infer<typeof customerChatSummarySchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#list-chats */
export const customerListChatsResponseSchema = z
  .object({
    chats_summary: z.array(customerChatSummarySchema),
    total_chats: z.number().optional(),
    next_page_id: z.string().optional(),
    previous_page_id: z.string().optional(),
  })
  .passthrough()
export type CustomerListChatsResponse = z.infer<typeof customerListChatsResponseSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#update-customer */
export const customerUpdateCustomerRequestSchema = z
  .object({
    name: z.string().optional(),
    email: z.string().optional(),
    avatar: z.string().optional(),
    session_fields: z.array(z.record(z.string(), z.string())).optional(),
  })
  .passthrough()
export type CustomerUpdateCustomerRequest = z.input<typeof customerUpdateCustomerRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#set-customer-session-fields */
export const setCustomerSessionFieldsRequestSchema = z.object({
  session_fields: z.array(z.record(z.string(), z.string())),
})
export type SetCustomerSessionFieldsRequest = z.input<typeof setCustomerSessionFieldsRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#list-group-statuses */
export const listGroupStatusesRequestSchema = z.union([
  z.object({ all: z.literal(true) }),
  z.object({ group_ids: z.array(z.number()) }),
])
export type ListGroupStatusesRequest = z.input<typeof listGroupStatusesRequestSchema>
/** `{"groups_status": {"19": "online"}}`, unknown group ids omitted. @see https://platform.text.com/docs/messaging/customer-chat-api#list-group-statuses */
export const listGroupStatusesResponseSchema = z
  .object({ groups_status: z.record(z.string(), z.string()) })
  .passthrough()
export type ListGroupStatusesResponse = z.infer<typeof listGroupStatusesResponseSchema>
