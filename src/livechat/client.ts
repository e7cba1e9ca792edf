import type { ZodType, ZodTypeDef } from 'zod'
import { findResumedThread, findSentEvent, findStartedChat } from './applied'
import { cookieValues, mergeCookies } from './cookies'
import { type AgentCredentials, parseAgentToken, regionOf } from './region'
import { type OutgoingEvent, type Properties, chatSchema } from './schemas/chat'
import {
  type RegisterWebhookRequest,
  type ResumeChatRequest,
  type StartChatRequest,
  agentSchema,
  customerSchema,
  customerTokenResponseSchema,
  emptyResponseSchema,
  groupSchema,
  licenseWebhooksStateResponseSchema,
  listChatsResponseSchema,
  listGroupStatusesResponseSchema,
  listWebhooksResponseSchema,
  registerWebhookResponseSchema,
  resumeChatResponseSchema,
  sendEventResponseSchema,
  startChatResponseSchema,
  uploadFileResponseSchema,
} from './schemas/methods'
import { type Call, Transport, type TransportOptions } from './transport'

type LiveChatClientConfig = {
  /** Base64 of `account_id:PAT`, as the Developer Console shows it. */
  agentToken: string
  organizationId: string
  /** Client ID of the LiveChat app that issues customer tokens and owns the webhooks. */
  clientId: string
}

export type LiveChatClientOptions = TransportOptions

/** One Web API action; `applied` finds a write LiveChat must not apply twice after a lost answer (transport.ts). */
type WebCall = <T>(action: string, body: unknown, schema: Schema<T>, applied?: Applied<T>) => Promise<T>
type Schema<T> = ZodType<T, ZodTypeDef, unknown>
type Applied<T> = () => Promise<T | undefined>
type Caller = Pick<Call<unknown>, 'credentials' | 'query' | 'secrets'>

type GetChatRequest = { chat_id: string; thread_id?: string }
type ChatThread = { chat_id: string; thread_id: string }
type OwnerRequest = { owner_client_id: string }

/**
 * The only door to LiveChat (v3.6). Method names are LiveChat actions in camelCase; each takes the documented request
 * body and resolves with the validated answer, or rejects with a `LiveChatApiError`.
 */
export class LiveChatClient {
  public readonly agent: ReturnType<typeof agentApi>
  public readonly configuration: ReturnType<typeof configurationApi>
  public readonly accounts: ReturnType<typeof accountsApi>

  private constructor(
    private readonly _config: LiveChatClientConfig,
    private readonly _transport: Transport
  ) {
    // Parsed on first use, so that a bad `agentToken` fails the agent-side calls (naming the field), not the client.
    let credentials: AgentCredentials | undefined
    const pat = (): Caller => {
      credentials ??= parseAgentToken(_config.agentToken)
      const { basic, region } = credentials
      return { credentials: { scheme: 'Basic', value: basic, region }, secrets: [basic, credentials.pat] }
    }
    this.agent = agentApi(_webCall(_transport, 'agent', pat))
    this.configuration = configurationApi(_webCall(_transport, 'configuration', pat))
    this.accounts = accountsApi(_transport, _config)
  }

  public static create(config: LiveChatClientConfig, options: LiveChatClientOptions = {}): LiveChatClient {
    return new LiveChatClient(config, new Transport(options))
  }

  /** The Customer Chat API, acting as the customer who owns `accessToken`. */
  public customer(accessToken: string) {
    return customerApi(
      _webCall(this._transport, 'customer', () => ({
        credentials: { scheme: 'Bearer', value: accessToken, region: regionOf(accessToken) },
        // Every Customer Chat API request needs it (v3.4 replaced license_id).
        query: { organization_id: this._config.organizationId },
        secrets: [accessToken],
      }))
    )
  }
}

/** `caller` is read on each call, so that a bad agent token fails the call that needs it. */
const _webCall =
  (transport: Transport, api: 'agent' | 'customer' | 'configuration', caller: () => Caller): WebCall =>
  async (action, body, schema, applied) =>
    (await transport.call({ api, action, body, schema, applied, ...caller() })).data

/** @see https://platform.text.com/docs/messaging/agent-chat-api */
const agentApi = (call: WebCall) => ({
  getChat: (request: GetChatRequest) => call('get_chat', request, chatSchema),
  listChats: (request: { limit?: number }) => call('list_chats', request, listChatsResponseSchema),
  deactivateChat: (request: { id: string; ignore_requester_presence?: boolean }) =>
    call('deactivate_chat', request, emptyResponseSchema),
  getCustomer: (request: { id: string }) => call('get_customer', request, customerSchema),
  /** The tag must exist in the license and share a group with the thread; case sensitive. */
  tagThread: (request: ChatThread & { tag: string }) => call('tag_thread', request, emptyResponseSchema),
})

type UploadFileInput = { name: string; contentType: string; content: Buffer }

/**
 * @see https://platform.text.com/docs/messaging/customer-chat-api
 * The three writes the agent would see twice (start_chat, resume_chat, send_event): when their first event carries a
 * `custom_id`, a lost answer is followed by a read for it (applied.ts) before anything is sent again.
 */
const customerApi = (call: WebCall) => {
  const api = {
    startChat: (request: StartChatRequest) => {
      const customId = request.chat?.thread?.events?.[0]?.custom_id
      const applied = customId ? () => findStartedChat(api, customId) : undefined
      return call('start_chat', request, startChatResponseSchema, applied)
    },
    resumeChat: (request: ResumeChatRequest) => {
      const customId = request.chat.thread?.events?.[0]?.custom_id
      const applied = customId ? () => findResumedThread(api, request.chat.id, customId) : undefined
      return call('resume_chat', request, resumeChatResponseSchema, applied)
    },
    /** `attach_to_last_thread` lands an event in the last, inactive thread; v3.6 allows it for system messages. */
    sendEvent: (request: { chat_id: string; event: OutgoingEvent; attach_to_last_thread?: boolean }) => {
      const customId = request.event.custom_id
      const applied = customId ? () => findSentEvent(api, request.chat_id, customId) : undefined
      return call('send_event', request, sendEventResponseSchema, applied)
    },
    /** Multipart with a single `file` field, max 10 MB. */
    uploadFile: ({ name, contentType, content }: UploadFileInput) => {
      const form = new FormData()
      form.append('file', new Blob([content], { type: contentType }), name)
      return call('upload_file', form, uploadFileResponseSchema)
    },
    deactivateChat: (request: { id: string }) => call('deactivate_chat', request, emptyResponseSchema),
    getChat: (request: GetChatRequest) => call('get_chat', request, chatSchema),
    listChats: (request: { limit?: number }) => call('list_chats', request, listChatsResponseSchema),
    /** The customer of the token: the body is empty. */
    getCustomer: () => call('get_customer', {}, customerSchema),
    updateCustomer: (request: { name?: string; email?: string; avatar?: string; session_fields?: SessionFields }) =>
      call('update_customer', request, emptyResponseSchema),
    /** Replaces the earlier session fields, in order (at most 100 keys). */
    setCustomerSessionFields: (request: { session_fields: SessionFields }) =>
      call('set_customer_session_fields', request, emptyResponseSchema),
    updateThreadProperties: (request: ChatThread & { properties: Properties }) =>
      call('update_thread_properties', request, emptyResponseSchema),
    /** "One of the optional parameters needs to be included": every group, or some. */
    listGroupStatuses: (request: { all: true } | { group_ids: number[] }) =>
      call('list_group_statuses', request, listGroupStatusesResponseSchema),
  }
  return api
}

/** `[{"<key>": "<value>"}]` */
type SessionFields = Record<string, string>[]

/** `owner_client_id` is required with a PAT. @see https://platform.text.com/docs/management/configuration-api */
const configurationApi = (call: WebCall) => ({
  getGroup: (request: { id: number; fields?: string[] }) => call('get_group', request, groupSchema),
  getAgent: (request: { id: string }) => call('get_agent', request, agentSchema),
  registerWebhook: (request: RegisterWebhookRequest) =>
    call('register_webhook', request, registerWebhookResponseSchema),
  listWebhooks: (request: OwnerRequest) => call('list_webhooks', request, listWebhooksResponseSchema),
  unregisterWebhook: (request: OwnerRequest & { id: string }) =>
    call('unregister_webhook', request, emptyResponseSchema),
  enableLicenseWebhooks: (request: OwnerRequest) => call('enable_license_webhooks', request, emptyResponseSchema),
  getLicenseWebhooksState: (request: OwnerRequest) =>
    call('get_license_webhooks_state', request, licenseWebhooksStateResponseSchema),
})

/** @see https://platform.text.com/docs/authorization/customer-authorization */
const accountsApi = (transport: Transport, config: LiveChatClientConfig) => ({
  /**
   * Cookie grant. Without the identity cookies LiveChat creates a new customer on every call, so the previous answer's
   * cookies go back in a `Cookie` header: the same customer gets a fresh token. The cookies are a secret.
   * `redirectUri` must be one of the app's Redirect URIs (LiveChat defaults it to an Origin a server does not send).
   */
  issueCustomerToken: async ({ cookies, redirectUri }: { cookies?: string; redirectUri: string }) => {
    const sent = cookies?.trim() || undefined
    const { data, headers } = await transport.call({
      api: 'accounts',
      action: 'customer_token',
      credentials: { scheme: 'none', cookies: sent },
      body: {
        grant_type: 'cookie',
        client_id: config.clientId,
        organization_id: config.organizationId,
        response_type: 'token',
        redirect_uri: redirectUri,
      },
      schema: customerTokenResponseSchema,
      secrets: cookieValues(sent),
    })
    return {
      accessToken: data.access_token,
      customerId: data.entity_id,
      expiresAt: new Date(transport.now() + data.expires_in * 1000),
      cookies: mergeCookies(sent, headers['set-cookie']),
    }
  },
})
