import { z } from 'zod'
import {
  type CustomerFields,
  type PageRequest,
  type SessionFields,
  chatSummaryShape,
  pageResponseShape,
} from './chat-methods'
import type { Access, OutgoingEvent, Properties } from './common'

/**
 * Customer Chat Web API v3.6: every call carries `?organization_id=` and a customer Bearer token. Requests are plain
 * types (sent as given); answers are validated.
 * @see https://platform.text.com/docs/messaging/customer-chat-api
 */

/** The `chat` of `start_chat` and `resume_chat`, with their `active` and `continuous`. No `users`: the customer is. */
type ChatInit = {
  properties?: Properties
  access?: Access
  thread?: { events?: OutgoingEvent[]; properties?: Properties }
}
type ChatActivation = { active?: boolean; continuous?: boolean }

/** @see https://platform.text.com/docs/messaging/customer-chat-api#start-chat */
export type CustomerStartChatRequest = ChatActivation & { chat?: ChatInit }

/** @see https://platform.text.com/docs/messaging/customer-chat-api#resume-chat */
export type CustomerResumeChatRequest = ChatActivation & { chat: ChatInit & { id: string } }

/**
 * `attach_to_last_thread` lets an event land in the last (inactive) thread instead of failing with `chat_inactive`;
 * v3.6 allows it for system messages only.
 * @see https://platform.text.com/docs/messaging/customer-chat-api#send-event
 */
export type CustomerSendEventRequest = { chat_id: string; event: OutgoingEvent; attach_to_last_thread?: boolean }

/** No `id`: a customer updates itself. @see https://platform.text.com/docs/messaging/customer-chat-api#update-customer */
export type CustomerUpdateCustomerRequest = CustomerFields

/** @see https://platform.text.com/docs/messaging/customer-chat-api#list-chats */
export type CustomerListChatsRequest = PageRequest

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
 * Replaces the earlier session fields ("Respects the order of items. The maximum number of keys: 100").
 * @see https://platform.text.com/docs/messaging/customer-chat-api#set-customer-session-fields
 */
export type CustomerSetSessionFieldsRequest = { session_fields: SessionFields }

/** @see https://platform.text.com/docs/messaging/customer-chat-api#update-thread-properties */
export type CustomerUpdateThreadPropertiesRequest = { chat_id: string; thread_id: string; properties: Properties }

/** "One of the optional parameters needs to be included": every group, or some. */
export type ListGroupStatusesRequest = { all: true } | { group_ids: number[] }

/** The three documented values; anything else fails here, so that no caller guesses what it means. */
const groupStatusSchema = z.enum(['online', 'online_for_queue', 'offline'])
export type GroupStatus = z.infer<typeof groupStatusSchema>

/**
 * Statuses by group id (as object keys); a group LiveChat does not know is left out ("the id won't be included").
 * @see https://platform.text.com/docs/messaging/customer-chat-api#list-group-statuses
 */
export const listGroupStatusesResponseSchema = z
  .object({ groups_status: z.record(z.string(), groupStatusSchema) })
  .passthrough()
