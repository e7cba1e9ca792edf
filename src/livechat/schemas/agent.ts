import { z } from 'zod'
import { type PageRequest, chatSummaryShape, customerFieldsShape, pageResponseShape } from './chat-methods'
import { accessSchema, propertiesSchema } from './common'

/**
 * Agent Chat Web API v3.6: requests (plain types, sent as given) and answers (validated).
 * @see https://platform.text.com/docs/messaging/agent-chat-api
 */

/** `limit`: up to 100 per page (the Customer API allows 25). @see https://platform.text.com/docs/messaging/agent-chat-api#list-chats */
export type AgentListChatsRequest = PageRequest & {
  filters?: {
    /** v3.6: `true` active only, `false` inactive only, absent both (replaces v3.5 `include_active`). */
    active?: boolean | null
    include_chats_without_threads?: boolean
    group_ids?: number[]
    properties?: Record<string, Record<string, Record<string, unknown>>>
  }
}

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#chat-summaries */
const agentChatSummarySchema = z
  .object({
    ...chatSummaryShape,
    last_thread_summary: z
      .object({
        id: z.string(),
        created_at: z.string().optional(),
        user_ids: z.array(z.string()).optional(),
        properties: propertiesSchema.optional(),
        active: z.boolean().optional(),
        access: accessSchema.optional(),
      })
      .passthrough()
      .optional(),
    is_followed: z.boolean().optional(),
  })
  .passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api#list-chats */
export const agentListChatsResponseSchema = z
  .object({
    chats_summary: z.array(agentChatSummarySchema),
    /** `total_chats` in the Customer API. */
    found_chats: z.number().optional(),
    ...pageResponseShape,
  })
  .passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api#deactivate-chat */
export type AgentDeactivateChatRequest = { id: string; ignore_requester_presence?: boolean }

/**
 * The tag must exist in the license (Configuration API, List Tags) and share a group with the thread; case sensitive.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#tag-thread
 */
export type AgentTagThreadRequest = { chat_id: string; thread_id: string; tag: string }

/** @see https://platform.text.com/docs/messaging/agent-chat-api#start-chat */
export const startChatResponseSchema = z
  .object({ chat_id: z.string(), thread_id: z.string(), event_ids: z.array(z.string()).optional() })
  .passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api#resume-chat */
export const resumeChatResponseSchema = z
  .object({ thread_id: z.string(), event_ids: z.array(z.string()).optional() })
  .passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#customer */
export const customerSchema = z
  .object({
    id: z.string(),
    type: z.string().optional(),
    ...customerFieldsShape,
    created_at: z.string().optional(),
    statistics: z.record(z.string(), z.unknown()).optional(),
    chat_ids: z.array(z.string()).optional(),
  })
  .passthrough()
export type Customer = z.infer<typeof customerSchema>
