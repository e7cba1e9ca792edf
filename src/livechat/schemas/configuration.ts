import { z } from 'zod'

/**
 * Configuration API v3.6 (groups, agents, webhooks): requests (plain types, sent as given) and answers (validated).
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

/** `get_group` and `get_agent`: the id, and the optional fields to include. */
export type GetByIdRequest<Id> = { id: Id; fields?: string[] }

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

/** @see https://platform.text.com/docs/management/configuration-api#register-webhook */
export type RegisterWebhookRequest = {
  url: string
  action: string
  secret_key: string
  owner_client_id: string
  type: 'license' | 'bot'
  description?: string
  filters?: {
    author_type?: 'customer' | 'agent'
    only_my_chats?: boolean
    chat_presence?: Record<string, unknown>
    source_type?: string[]
  }
  additional_data?: string[]
}
/** @see https://platform.text.com/docs/management/configuration-api#register-webhook */
export const registerWebhookResponseSchema = z.object({ id: z.string() }).passthrough()

/** The docs' sample has no `secret_key` and no `additional_data`. @see https://platform.text.com/docs/management/configuration-api#list-webhooks */
const registeredWebhookSchema = z
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

/**
 * `list_webhooks`, `enable_license_webhooks`, `get_license_webhooks_state`: `owner_client_id` is required with a PAT.
 * @see https://platform.text.com/docs/management/configuration-api#enable-license-webhooks
 */
export type OwnerRequest = { owner_client_id: string }

/** @see https://platform.text.com/docs/management/configuration-api#unregister-webhook */
export type UnregisterWebhookRequest = OwnerRequest & { id: string }

/** @see https://platform.text.com/docs/management/configuration-api#get-license-webhooks-state */
export const licenseWebhooksStateResponseSchema = z.object({ license_webhooks_enabled: z.boolean() }).passthrough()
