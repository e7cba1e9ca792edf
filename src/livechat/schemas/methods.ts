import { z } from 'zod'
import type { OutgoingEvent, Properties } from './chat'

/**
 * The answers of the methods the client calls, validated with the fields this integration reads, and the request
 * bodies too long to spell out in the client's signatures (requests are ours: typed, sent as given).
 * @see https://platform.text.com/docs/messaging/customer-chat-api
 * @see https://platform.text.com/docs/management/configuration-api
 */

/** Methods documented as "No response payload (200 OK)" answer `{}`; any object will do. */
export const emptyResponseSchema = z.object({})

export const customerSchema = z.object({ id: z.string() })

/** The customer's own chats; `active` says whether the last thread is open. */
export const listChatsResponseSchema = z.object({
  chats_summary: z.array(
    z.object({ id: z.string(), last_thread_id: z.string().optional(), active: z.boolean().optional() })
  ),
})
export type ListChatsResponse = z.infer<typeof listChatsResponseSchema>

/** The `chat` of `start_chat` and `resume_chat`. No `users`: the customer is the one asking. */
type ChatInit = {
  properties?: Properties
  access?: { group_ids?: number[] }
  thread?: { events?: OutgoingEvent[]; properties?: Properties }
}
type ChatActivation = { active?: boolean; continuous?: boolean }
export type StartChatRequest = ChatActivation & { chat?: ChatInit }
export type ResumeChatRequest = ChatActivation & { chat: ChatInit & { id: string } }

export const startChatResponseSchema = z.object({ chat_id: z.string(), thread_id: z.string() })
export const resumeChatResponseSchema = z.object({ thread_id: z.string() })
export const sendEventResponseSchema = z.object({ event_id: z.string() })
/** `{"url": "https://cdn.livechat-files.com/…"}` */
export const uploadFileResponseSchema = z.object({ url: z.string() })

/** The three documented values; anything else fails here, so that no caller guesses what it means. */
const groupStatusSchema = z.enum(['online', 'online_for_queue', 'offline'])
export type GroupStatus = z.infer<typeof groupStatusSchema>
/** By group id (object keys); a group LiveChat does not know is left out. */
export const listGroupStatusesResponseSchema = z.object({ groups_status: z.record(z.string(), groupStatusSchema) })

/** Group ids are integers; 0 is "General". */
export const groupSchema = z.object({
  id: z.number(),
  name: z.string(),
  agent_priorities: z.record(z.string(), z.string()).optional(),
  routing_status: z.string().optional(),
})
export type Group = z.infer<typeof groupSchema>

/** `get_agent` has `avatar`, `list_agents` `avatar_path`; either may lack a scheme. */
export const agentSchema = z.object({
  name: z.string().optional(),
  avatar: z.string().optional(),
  avatar_path: z.string().optional(),
})

export type RegisterWebhookRequest = {
  url: string
  action: string
  secret_key: string
  owner_client_id: string
  type: 'license' | 'bot'
  description?: string
  filters?: { author_type?: 'customer' | 'agent' }
}
export const registerWebhookResponseSchema = z.object({ id: z.string() })

/** The docs' sample has no `secret_key` and no `additional_data`. */
const registeredWebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  action: z.string(),
  filters: z.record(z.string(), z.unknown()).optional(),
})
export type RegisteredWebhook = z.infer<typeof registeredWebhookSchema>
export const listWebhooksResponseSchema = z.array(registeredWebhookSchema)

export const licenseWebhooksStateResponseSchema = z.object({ license_webhooks_enabled: z.boolean() })

/** `expires_in` is in seconds; `entity_id` is the customer id in chats (`author_id`, `users[].id`). */
export const customerTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  entity_id: z.string().min(1),
  // Documented as always present; a token without it is treated as LiveChat's default lifetime rather than refused.
  expires_in: z.number().positive().default(28_800),
})
