import { z } from 'zod'

/**
 * Configuration API v3.6 (groups, agents, webhooks).
 * @see https://platform.text.com/docs/management/configuration-api
 */

/** Group ids are integers; 0 is "General". @see https://platform.text.com/docs/management/configuration-api#get-group */
export const groupSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    language_code: z.string().optional(),
    agent_priorities: z.record(z.string(), z.string()).optional(),
    routing_status: z.string().optional(),
  })
  .passthrough()
export type Group = z.infer<typeof groupSchema>

/** @see https://platform.text.com/docs/management/configuration-api#get-group */
export const getGroupRequestSchema = z.object({ id: z.number(), fields: z.array(z.string()).optional() })
export type GetGroupRequest = z.input<typeof getGroupRequestSchema>

/**
 * Agent id is the login e-mail. `list_agents` has `avatar_path`, `get_agent` has `avatar`; either may lack a scheme.
 * @see https://platform.text.com/docs/management/configuration-api#get-agent
 */
export const agentSchema = z
  .object({
    id: z.string(),
    account_id: z.string().optional(),
    name: z.string().optional(),
    avatar: z.string().optional(),
    avatar_path: z.string().optional(),
    job_title: z.string().optional(),
    role: z.string().optional(),
    login_status: z.string().optional(),
  })
  .passthrough()
export type Agent = z.infer<typeof agentSchema>

/** @see https://platform.text.com/docs/management/configuration-api#get-agent */
export const getAgentRequestSchema = z.object({ id: z.string(), fields: z.array(z.string()).optional() })
export type GetAgentRequest = z.input<typeof getAgentRequestSchema>

/** @see https://platform.text.com/docs/management/configuration-api#register-webhook */
export const registerWebhookRequestSchema = z
  .object({
    url: z.string(),
    action: z.string(),
    secret_key: z.string(),
    owner_client_id: z.string(),
    type: z.enum(['license', 'bot']),
    description: z.string().optional(),
    filters: z
      .object({
        author_type: z.enum(['customer', 'agent']).optional(),
        only_my_chats: z.boolean().optional(),
        chat_presence: z.record(z.string(), z.unknown()).optional(),
        source_type: z.array(z.string()).optional(),
      })
      .passthrough()
      .optional(),
    additional_data: z.array(z.string()).optional(),
  })
  .passthrough()
export type RegisterWebhookRequest = z.input<typeof registerWebhookRequestSchema>
/** @see https://platform.text.com/docs/management/configuration-api#register-webhook */
export const registerWebhookResponseSchema = z.object({ id: z.string() }).passthrough()
export type RegisterWebhookResponse = z.infer<typeof registerWebhookResponseSchema>

/** @see https://platform.text.com/docs/management/configuration-api#list-webhooks */
export const listWebhooksRequestSchema = z.object({ owner_client_id: z.string() })
export type ListWebhooksRequest = z.input<typeof listWebhooksRequestSchema>
/** The docs' sample has no `secret_key` and no `additional_data`. @see https://platform.text.com/docs/management/configuration-api#list-webhooks */
export const registeredWebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    action: z.string(),
    description: z.string().optional(),
    filters: z.record(z.string(), z.unknown()).optional(),
    owner_client_id: z.string().optional(),
    type: z.string().optional(),
  })
  .passthrough()
export type RegisteredWebhook = z.infer<typeof registeredWebhookSchema>
/** @see https://platform.text.com/docs/management/configuration-api#list-webhooks */
export const listWebhooksResponseSchema = z.array(registeredWebhookSchema)
export type ListWebhooksResponse = z.infer<typeof listWebhooksResponseSchema>

/** @see https://platform.text.com/docs/management/configuration-api#unregister-webhook */
export const unregisterWebhookRequestSchema = z.object({ id: z.string(), owner_client_id: z.string() })
export type UnregisterWebhookRequest = z.input<typeof unregisterWebhookRequestSchema>

/** `owner_client_id` is required with a PAT. @see https://platform.text.com/docs/management/configuration-api#enable-license-webhooks */
export const licenseWebhooksRequestSchema = z.object({ owner_client_id: z.string() })
export type LicenseWebhooksRequest = z.input<typeof licenseWebhooksRequestSchema>
/** @see https://platform.text.com/docs/management/configuration-api#get-license-webhooks-state */
export const licenseWebhooksStateResponseSchema = z.object({ license_webhooks_enabled: z.boolean() }).passthrough()
export type LicenseWebhooksStateResponse = z.infer<typeof licenseWebhooksStateResponseSchema>
