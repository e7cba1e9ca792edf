import { z } from 'zod'
import {
  chatSummaryShape,
  customerFieldsShape,
  getChatRequestSchema,
  pageRequestShape,
  pageResponseShape,
} from './chat-methods'
import { accessSchema, chatSchema, propertiesSchema } from './common'

/**
 * Agent Chat Web API v3.6: requests (typed from zod, sent as given) and responses (validated).
 * @see https://platform.text.com/docs/messaging/agent-chat-api
 */

/** @see https://platform.text.com/docs/messaging/agent-chat-api#get-chat */
export const agentGetChatRequestSchema = getChatRequestSchema
export type AgentGetChatRequest = z.input<typeof agentGetChatRequestSchema>
/** @see https://platform.text.com/docs/messaging/agent-chat-api#get-chat */
export const agentGetChatResponseSchema = chatSchema
export type AgentGetChatResponse = z.infer<typeof agentGetChatResponseSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api#list-chats */
export const agentListChatsRequestSchema = z
  .object({
    filters: z
      .object({
        /** v3.6: `true` active only, `false` inactive only, absent both (replaces v3.5 `include_active`). */
        active: z.boolean().nullable().optional(),
        include_chats_without_threads: z.boolean().optional(),
        group_ids: z.array(z.number()).optional(),
        properties: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).optional(),
      })
      .passthrough()
      .optional(),
    /** Up to 100 per page (the Customer API allows 25). */
    ...pageRequestShape,
  })
  .passthrough()
export type AgentListChatsRequest = z.input<typeof agentListChatsRequestSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#chat-summaries */
export const agentChatSummarySchema = z
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
export type AgentChatSummary = z.infer<typeof agentChatSummarySchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api#list-chats */
export const agentListChatsResponseSchema = z
  .object({
    chats_summary: z.array(agentChatSummarySchema),
    /** `total_chats` in the Customer API. */
    found_chats: z.number().optional(),
    ...pageResponseShape,
  })
  .passthrough()
export type AgentListChatsResponse = z.infer<typeof agentListChatsResponseSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api#deactivate-chat */
export const agentDeactivateChatRequestSchema = z.object({
  id: z.string(),
  ignore_requester_presence: z.boolean().optional(),
})
export type AgentDeactivateChatRequest = z.input<typeof agentDeactivateChatRequestSchema>

/**
 * The tag must exist in the license (Configuration API, List Tags) and share a group with the thread; case sensitive.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#tag-thread
 */
export const agentTagThreadRequestSchema = z.object({ chat_id: z.string(), thread_id: z.string(), tag: z.string() })
export type AgentTagThreadRequest = z.input<typeof agentTagThreadRequestSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api#start-chat */
export const startChatResponseSchema = z
  .object({ chat_id: z.string(), thread_id: z.string(), event_ids: z.array(z.string()).optional() })
  .passthrough()
export type StartChatResponse = z.infer<typeof startChatResponseSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api#resume-chat */
export const resumeChatResponseSchema = z
  .object({ thread_id: z.string(), event_ids: z.array(z.string()).optional() })
  .passthrough()
export type ResumeChatResponse = z.infer<typeof resumeChatResponseSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api#get-customer */
export const agentGetCustomerRequestSchema = z.object({ id: z.string() })
export type AgentGetCustomerRequest = z.input<typeof agentGetCustomerRequestSchema>
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
