import { z } from 'zod'
import { chatUserSchema, eventSchema } from './chat'

/**
 * LiveChat webhook bodies (v3.6): the fields this integration reads, required only where the docs say they are always
 * there, and whatever else LiveChat sent, kept. `additional_data` keys come only when asked for at registration.
 * @see https://platform.text.com/docs/management/webhooks
 */
const envelopeShape = {
  webhook_id: z.string(),
  secret_key: z.string(),
  // The docs' sample is not a valid UUID, so the format is not checked.
  organization_id: z.string(),
  additional_data: z.object({ chat_presence_user_ids: z.array(z.string()).optional() }).optional(),
}

/** The envelope alone, whatever the action: enough to check the secret and tell an unknown action from a bad body. */
export const webhookEnvelopeSchema = z.object({
  ...envelopeShape,
  action: z.string(),
  payload: z.record(z.string(), z.unknown()),
})
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>

const webhookOf = <Action extends string, Payload extends z.ZodRawShape>(action: Action, payload: Payload) =>
  z.object({
    ...envelopeShape,
    action: z.literal(action),
    payload: z.object({ chat_id: z.string(), ...payload }).passthrough(),
  })

export const incomingEventWebhookSchema = webhookOf('incoming_event', { thread_id: z.string(), event: eventSchema })
export type IncomingEventWebhook = z.infer<typeof incomingEventWebhookSchema>

/** `user_id` is missing when the router closed the thread (e.g. inactivity). */
export const chatDeactivatedWebhookSchema = webhookOf('chat_deactivated', {
  thread_id: z.string(),
  user_id: z.string().optional(),
})
export type ChatDeactivatedWebhook = z.infer<typeof chatDeactivatedWebhookSchema>

/** `thread_id` only if the chat is active. */
export const chatTransferredWebhookSchema = webhookOf('chat_transferred', {
  thread_id: z.string().optional(),
  transferred_to: z.object({ group_ids: z.array(z.number()).optional(), agent_ids: z.array(z.string()).optional() }),
})
export type ChatTransferredWebhook = z.infer<typeof chatTransferredWebhookSchema>

/** `thread_id` only when the chat is active; `user_type` names the user's type when `user.type` does not. */
export const userAddedToChatWebhookSchema = webhookOf('user_added_to_chat', {
  thread_id: z.string().optional(),
  user_type: z.string().optional(),
  user: chatUserSchema,
})
export type UserAddedToChatWebhook = z.infer<typeof userAddedToChatWebhookSchema>
