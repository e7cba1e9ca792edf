import { z } from 'zod'
import {
  chatActivationShape,
  chatInitShape,
  chatSummaryShape,
  customerFieldsShape,
  getChatRequestSchema,
  pageRequestShape,
  pageResponseShape,
  sendEventRequestSchema,
  sessionFieldsSchema,
} from './chat-methods'
import { propertiesSchema } from './common'

/**
 * Customer Chat Web API v3.6: every call carries `?organization_id=` and a customer Bearer token.
 * @see https://platform.text.com/docs/messaging/customer-chat-api
 */

/** @see https://platform.text.com/docs/messaging/customer-chat-api#start-chat */
export const customerStartChatRequestSchema = z
  .object({
    // No `users`: the customer is the chat's user.
    chat: z.object(chatInitShape).optional(),
    ...chatActivationShape,
  })
  .passthrough()
export type CustomerStartChatRequest = z.input<typeof customerStartChatRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#resume-chat */
export const customerResumeChatRequestSchema = z
  .object({
    chat: z.object({ id: z.string(), ...chatInitShape }).passthrough(),
    ...chatActivationShape,
  })
  .passthrough()
export type CustomerResumeChatRequest = z.input<typeof customerResumeChatRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#send-event */
export const customerSendEventRequestSchema = sendEventRequestSchema
export type CustomerSendEventRequest = z.input<typeof customerSendEventRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#deactivate-chat */
export const customerDeactivateChatRequestSchema = z.object({ id: z.string() })
export type CustomerDeactivateChatRequest = z.input<typeof customerDeactivateChatRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#get-chat */
export const customerGetChatRequestSchema = getChatRequestSchema
export type CustomerGetChatRequest = z.input<typeof customerGetChatRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#update-customer */
export const customerUpdateCustomerRequestSchema = z
  // No `id`: a customer updates itself.
  .object(customerFieldsShape)
  .passthrough()
export type CustomerUpdateCustomerRequest = z.input<typeof customerUpdateCustomerRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#list-chats */
export const customerListChatsRequestSchema = z.object(pageRequestShape)
export type CustomerListChatsRequest = z.input<typeof customerListChatsRequestSchema>

/** The customer's own chats, newest first by default; `active` says whether its last thread is open. */
export const customerListChatsResponseSchema = z
  .object({
    chats_summary: z.array(
      z
        .object({
          ...chatSummaryShape,
          last_thread_id: z.string().optional(),
          last_thread_created_at: z.string().optional(),
          active: z.boolean().optional(),
        })
        .passthrough()
    ),
    total_chats: z.number().optional(),
    ...pageResponseShape,
  })
  .passthrough()
export type CustomerListChatsResponse = z.infer<typeof customerListChatsResponseSchema>
/**
 * Sets the customer's session fields, replacing the earlier ones (the request table: "Respects the order of items. The
 * maximum number of keys: 100").
 * @see https://platform.text.com/docs/messaging/customer-chat-api#set-customer-session-fields
 */
export const customerSetSessionFieldsRequestSchema = z.object({ session_fields: sessionFieldsSchema })
export type CustomerSetSessionFieldsRequest = z.input<typeof customerSetSessionFieldsRequestSchema>

/** @see https://platform.text.com/docs/messaging/customer-chat-api#update-thread-properties */
export const customerUpdateThreadPropertiesRequestSchema = z.object({
  chat_id: z.string(),
  thread_id: z.string(),
  properties: propertiesSchema,
})
export type CustomerUpdateThreadPropertiesRequest = z.input<typeof customerUpdateThreadPropertiesRequestSchema>

/** "One of the optional parameters needs to be included": every group, or some. */
export const listGroupStatusesRequestSchema = z.union([
  z.object({ all: z.literal(true) }),
  z.object({ group_ids: z.array(z.number().int()) }),
])
export type ListGroupStatusesRequest = z.input<typeof listGroupStatusesRequestSchema>

/** The three documented values; anything else fails here, so that no caller guesses what it means. */
export const groupStatusSchema = z.enum(['online', 'online_for_queue', 'offline'])
export type GroupStatus = z.infer<typeof groupStatusSchema>

/**
 * Statuses by group id (as object keys); a group LiveChat does not know is left out ("the id won't be included").
 * @see https://platform.text.com/docs/messaging/customer-chat-api#list-group-statuses
 */
export const listGroupStatusesResponseSchema = z
  .object({ groups_status: z.record(z.string(), groupStatusSchema) })
  .passthrough()
export type ListGroupStatusesResponse = z.infer<typeof listGroupStatusesResponseSchema>
