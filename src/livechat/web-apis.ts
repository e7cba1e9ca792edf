import { type ZodType, type ZodTypeDef, z } from 'zod'
import { findResumedThread, findSentEvent, findStartedChat } from './applied'
import { type OutgoingEvent, type Properties, chatSchema } from './chat'

/** One Web API action; `applied` finds a write LiveChat must not apply twice after a lost answer (transport.ts). */
export type WebCall = <T>(action: string, body: unknown, schema: Schema<T>, applied?: Applied<T>) => Promise<T>
type Schema<T> = ZodType<T, ZodTypeDef, unknown>
type Applied<T> = () => Promise<T | undefined>

/** Methods documented as "No response payload (200 OK)" answer `{}`; any object will do. */
const emptySchema = z.object({})
const customerSchema = z.object({ id: z.string() })
/** The requester's chats; for a customer, `active` says whether the last thread is open. */
const listChatsSchema = z.object({
  chats_summary: z.array(
    z.object({ id: z.string(), last_thread_id: z.string().optional(), active: z.boolean().optional() })
  ),
})
export type ListChatsResponse = z.infer<typeof listChatsSchema>

type ChatThread = { chat_id: string; thread_id: string }

/** @see https://platform.text.com/docs/messaging/agent-chat-api */
export const agentApi = (call: WebCall) => ({
  getChat: (request: { chat_id: string }) => call('get_chat', request, chatSchema),
  listChats: (request: { limit?: number }) => call('list_chats', request, listChatsSchema),
  deactivateChat: (request: { id: string; ignore_requester_presence?: boolean }) =>
    call('deactivate_chat', request, emptySchema),
  getCustomer: (request: { id: string }) => call('get_customer', request, customerSchema),
  /** The tag must exist in the license and share a group with the thread; case sensitive. */
  tagThread: (request: ChatThread & { tag: string }) => call('tag_thread', request, emptySchema),
})

/** The `chat` of `start_chat` and `resume_chat`. No `users`: the customer is the one asking. */
type ChatInit = {
  properties?: Properties
  access?: { group_ids?: number[] }
  thread?: { events?: OutgoingEvent[]; properties?: Properties }
}
type ChatActivation = { active?: boolean; continuous?: boolean }
type UploadFileInput = { name: string; contentType: string; content: Buffer }
/** `[{"<key>": "<value>"}]` */
export type SessionFields = Record<string, string>[]

/** The three documented values; anything else fails here, so that no caller guesses what it means. */
const groupStatusSchema = z.enum(['online', 'online_for_queue', 'offline'])
export type GroupStatus = z.infer<typeof groupStatusSchema>

/**
 * @see https://platform.text.com/docs/messaging/customer-chat-api
 * start_chat, resume_chat, send_event: a `custom_id` on the first event lets applied.ts find them after a lost answer.
 */
export const customerApi = (call: WebCall) => {
  const api = {
    startChat: (request: ChatActivation & { chat?: ChatInit }) => {
      const customId = request.chat?.thread?.events?.[0]?.custom_id
      const applied = customId ? () => findStartedChat(api, customId) : undefined
      return call('start_chat', request, z.object({ chat_id: z.string(), thread_id: z.string() }), applied)
    },
    resumeChat: (request: ChatActivation & { chat: ChatInit & { id: string } }) => {
      const customId = request.chat.thread?.events?.[0]?.custom_id
      const applied = customId ? () => findResumedThread(api, request.chat.id, customId) : undefined
      return call('resume_chat', request, z.object({ thread_id: z.string() }), applied)
    },
    /** `attach_to_last_thread` lands an event in the last, inactive thread; v3.6 allows it for system messages. */
    sendEvent: (request: { chat_id: string; event: OutgoingEvent; attach_to_last_thread?: boolean }) => {
      const customId = request.event.custom_id
      const applied = customId ? () => findSentEvent(api, request.chat_id, customId) : undefined
      return call('send_event', request, z.object({ event_id: z.string() }), applied)
    },
    /** Multipart with a single `file` field, max 10 MB; answers a `https://cdn.livechat-files.com/…` URL. */
    uploadFile: ({ name, contentType, content }: UploadFileInput) => {
      const form = new FormData()
      form.append('file', new Blob([content], { type: contentType }), name)
      return call('upload_file', form, z.object({ url: z.string() }))
    },
    deactivateChat: (request: { id: string }) => call('deactivate_chat', request, emptySchema),
    getChat: (request: { chat_id: string }) => call('get_chat', request, chatSchema),
    listChats: (request: { limit?: number }) => call('list_chats', request, listChatsSchema),
    /** The customer of the token: the body is empty. */
    getCustomer: () => call('get_customer', {}, customerSchema),
    updateCustomer: (request: { name?: string; email?: string; avatar?: string; session_fields?: SessionFields }) =>
      call('update_customer', request, emptySchema),
    /** Replaces the earlier session fields, in order (at most 100 keys). */
    setCustomerSessionFields: (request: { session_fields: SessionFields }) =>
      call('set_customer_session_fields', request, emptySchema),
    updateThreadProperties: (request: ChatThread & { properties: Properties }) =>
      call('update_thread_properties', request, emptySchema),
    /** Every group or some; a group LiveChat does not know is left out of the answer. */
    listGroupStatuses: (request: { all: true } | { group_ids: number[] }) =>
      call('list_group_statuses', request, z.object({ groups_status: z.record(z.string(), groupStatusSchema) })),
  }
  return api
}

/** Group ids are integers; 0 is "General". */
const groupSchema = z.object({
  id: z.number(),
  name: z.string(),
  agent_priorities: z.record(z.string(), z.string()).optional(),
  routing_status: z.string().optional(),
})
export type Group = z.infer<typeof groupSchema>

/** `get_agent` has `avatar`, `list_agents` `avatar_path`; either may lack a scheme. */
const agentSchema = z.object({
  name: z.string().optional(),
  avatar: z.string().optional(),
  avatar_path: z.string().optional(),
})

/** The docs' sample has no `secret_key` and no `additional_data`. */
const registeredWebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  action: z.string(),
  filters: z.record(z.string(), z.unknown()).optional(),
})
export type RegisteredWebhook = z.infer<typeof registeredWebhookSchema>

type RegisterWebhookRequest = {
  url: string
  action: string
  secret_key: string
  owner_client_id: string
  type: 'license' | 'bot'
  description?: string
  filters?: { author_type?: 'customer' | 'agent' }
}
/** `owner_client_id` is required with a PAT. */
type OwnerRequest = { owner_client_id: string }

/** @see https://platform.text.com/docs/management/configuration-api */
export const configurationApi = (call: WebCall) => ({
  getGroup: (request: { id: number; fields?: string[] }) => call('get_group', request, groupSchema),
  getAgent: (request: { id: string }) => call('get_agent', request, agentSchema),
  registerWebhook: (request: RegisterWebhookRequest) => call('register_webhook', request, z.object({ id: z.string() })),
  listWebhooks: (request: OwnerRequest) => call('list_webhooks', request, z.array(registeredWebhookSchema)),
  unregisterWebhook: (request: OwnerRequest & { id: string }) => call('unregister_webhook', request, emptySchema),
  enableLicenseWebhooks: (request: OwnerRequest) => call('enable_license_webhooks', request, emptySchema),
  getLicenseWebhooksState: (request: OwnerRequest) =>
    call('get_license_webhooks_state', request, z.object({ license_webhooks_enabled: z.boolean() })),
})
