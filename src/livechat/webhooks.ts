import { z } from 'zod'
import { chatUserSchema, eventSchema, propertiesSchema } from './schemas/common'

/**
 * LiveChat webhook bodies (v3.6). Fields are required only where the docs say they are always present; everything is
 * `.passthrough()` because payloads grow between versions (`queue`, `transferred_from`, …).
 * @see https://platform.text.com/docs/management/webhooks
 */

/**
 * `additional_data` keys appear only when requested at registration, and the docs' `chat_transferred` sample has no
 * `additional_data` at all.
 * @see https://platform.text.com/docs/management/webhooks#webhook-data-structure
 */
const additionalDataSchema = z
  .object({
    chat_properties: propertiesSchema.optional(),
    chat_presence_user_ids: z.array(z.string()).optional(),
  })
  .passthrough()

/** What every webhook carries besides `action` and `payload`. */
const envelopeShape = {
  webhook_id: z.string(),
  secret_key: z.string(),
  organization_id: z.string(),
  additional_data: additionalDataSchema.optional(),
}

/**
 * The envelope alone, whatever the action: enough to check the secret and tell an unknown action from a malformed
 * body. The docs' sample `organization_id` is not a valid UUID, so its format is not checked.
 * @see https://platform.text.com/docs/management/webhooks#webhook-data-structure
 */
export const webhookEnvelopeSchema = z
  .object({ ...envelopeShape, action: z.string(), payload: z.record(z.string(), z.unknown()) })
  .passthrough()
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>

/** @see https://platform.text.com/docs/management/webhooks#incoming_event */
export const incomingEventWebhookSchema = z
  .object({
    ...envelopeShape,
    action: z.literal('incoming_event'),
    payload: z.object({ chat_id: z.string(), thread_id: z.string(), event: eventSchema }).passthrough(),
  })
  .passthrough()
export type IncomingEventWebhook = z.infer<typeof incomingEventWebhookSchema>

/** `user_id` is missing when the router closed the thread (e.g. inactivity). @see https://platform.text.com/docs/management/webhooks#chat_deactivated */
export const chatDeactivatedWebhookSchema = z
  .object({
    ...envelopeShape,
    action: z.literal('chat_deactivated'),
    payload: z.object({ chat_id: z.string(), thread_id: z.string(), user_id: z.string().optional() }).passthrough(),
  })
  .passthrough()
export type ChatDeactivatedWebhook = z.infer<typeof chatDeactivatedWebhookSchema>

/** Where a chat went (`transferred_to`). */
const transferTargetSchema = z
  .object({ group_ids: z.array(z.number()).optional(), agent_ids: z.array(z.string()).optional() })
  .passthrough()

/**
 * `thread_id` only if the chat is active, `requester_id` only for agent-initiated transfers, `queue` only when
 * queued (`queued_at` in v3.6 docs, `queued_at_us` in v3.5). Reasons: manual, inactive, assigned, unassigned, other.
 * @see https://platform.text.com/docs/management/webhooks#chat_transferred
 */
export const chatTransferredWebhookSchema = z
  .object({
    ...envelopeShape,
    action: z.literal('chat_transferred'),
    payload: z
      .object({
        chat_id: z.string(),
        thread_id: z.string().optional(),
        requester_id: z.string().optional(),
        // Documented, but never read: a body without it is still a transfer.
        reason: z.string().optional(),
        transferred_to: transferTargetSchema,
        queue: z
          .object({
            position: z.number().optional(),
            wait_time: z.number().optional(),
            queued_at: z.string().optional(),
            queued_at_us: z.string().optional(),
          })
          .passthrough()
          .optional(),
      })
      .passthrough(),
  })
  .passthrough()
export type ChatTransferredWebhook = z.infer<typeof chatTransferredWebhookSchema>

/**
 * `thread_id` only when the chat is active, `requester_id` only when an agent made the change.
 * @see https://platform.text.com/docs/management/webhooks#user_added_to_chat
 */
export const userAddedToChatWebhookSchema = z
  .object({
    ...envelopeShape,
    action: z.literal('user_added_to_chat'),
    payload: z
      .object({
        chat_id: z.string(),
        thread_id: z.string().optional(),
        user_type: z.string().optional(),
        // Documented, but never read: a body without it still says who joined.
        reason: z.string().optional(),
        requester_id: z.string().optional(),
        user: chatUserSchema,
      })
      .passthrough(),
  })
  .passthrough()
export type UserAddedToChatWebhook = z.infer<typeof userAddedToChatWebhookSchema>
