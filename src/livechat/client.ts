import type { ZodType, ZodTypeDef } from 'zod'
import { findResumedThread, findSentEvent, findStartedChat, firstCustomId } from './applied'
import { cookieValues, mergeCookies } from './cookies'
import type { LiveChatApi } from './endpoints'
import { type AgentCredentials, parseAgentToken, regionOf } from './region'
import { type CustomerTokenRequest, customerTokenResponseSchema } from './schemas/accounts'
import {
  type AgentDeactivateChatRequest,
  type AgentListChatsRequest,
  type AgentTagThreadRequest,
  agentListChatsResponseSchema,
  customerSchema,
  resumeChatResponseSchema,
  startChatResponseSchema,
} from './schemas/agent'
import type { GetChatRequest } from './schemas/chat-methods'
import { chatSchema, emptyResponseSchema, sendEventResponseSchema, uploadFileResponseSchema } from './schemas/common'
import {
  type GetByIdRequest,
  type OwnerRequest,
  type RegisterWebhookRequest,
  type UnregisterWebhookRequest,
  agentSchema,
  groupSchema,
  licenseWebhooksStateResponseSchema,
  listWebhooksResponseSchema,
  registerWebhookResponseSchema,
} from './schemas/configuration'
import {
  type CustomerListChatsRequest,
  type CustomerResumeChatRequest,
  type CustomerSendEventRequest,
  type CustomerSetSessionFieldsRequest,
  type CustomerStartChatRequest,
  type CustomerUpdateCustomerRequest,
  type CustomerUpdateThreadPropertiesRequest,
  type ListGroupStatusesRequest,
  customerListChatsResponseSchema,
  listGroupStatusesResponseSchema,
} from './schemas/customer'
import { type Call, Transport, type TransportOptions } from './transport'

type LiveChatClientConfig = {
  /** Base64 of `account_id:PAT`, as the Developer Console shows it. */
  agentToken: string
  organizationId: string
  /** Client ID of the LiveChat app that issues customer tokens and owns the webhooks. */
  clientId: string
}

export type LiveChatClientOptions = TransportOptions

type UploadFileInput = { name: string; contentType: string; content: Buffer }

type IssueCustomerTokenInput = {
  /** Cookies returned by a previous call: send them back to renew the token of the SAME customer. */
  cookies?: string
  /** Must be one of the app's Redirect URIs; LiveChat defaults it to the Origin header, which a server has not. */
  redirectUri: string
}

type Schema<T> = ZodType<T, ZodTypeDef, unknown>

/**
 * The only door to LiveChat. Method names are LiveChat actions in camelCase; each takes the documented v3.6 request
 * body and resolves with the documented, zod-validated response, or rejects with a `LiveChatApiError`.
 * Base URLs are read from `LIVECHAT_API_URL` / `LIVECHAT_ACCOUNTS_URL` on each call.
 */
export class LiveChatClient {
  public readonly agent: AgentApi
  public readonly configuration: ConfigurationApi
  public readonly accounts: AccountsApi

  private constructor(
    private readonly _config: LiveChatClientConfig,
    private readonly _transport: Transport,
    now: () => number
  ) {
    const agentCredentials = _lazyAgentCredentials(_config.agentToken)
    this.agent = new AgentApi('agent', _transport, agentCredentials)
    this.configuration = new ConfigurationApi('configuration', _transport, agentCredentials)
    this.accounts = new AccountsApi(_transport, _config, now)
  }

  public static create(config: LiveChatClientConfig, options: LiveChatClientOptions = {}): LiveChatClient {
    return new LiveChatClient(config, new Transport(options), options.now ?? Date.now)
  }

  /** The Customer Chat API, acting as the customer who owns `accessToken`. */
  public customer(accessToken: string): CustomerApi {
    return new CustomerApi(this._transport, accessToken, this._config.organizationId)
  }
}

/**
 * The token is checked on first use rather than in `create`, so that a bad `agentToken` fails agent and
 * configuration calls with a message naming the field, without breaking customer-side calls.
 */
const _lazyAgentCredentials = (agentToken: string): (() => AgentCredentials) => {
  let parsed: AgentCredentials | undefined
  return () => {
    parsed ??= parseAgentToken(agentToken)
    return parsed
  }
}

/**
 * `upload_file` is multipart with a single `file` field, max 10 MB.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#upload-file
 */
const _fileForm = ({ name, contentType, content }: UploadFileInput): FormData => {
  const form = new FormData()
  form.append('file', new Blob([content], { type: contentType }), name)
  return form
}

/** Who calls a Web API, and the exact secret values to mask. */
type Caller = Pick<Call<unknown>, 'credentials' | 'query' | 'secrets'>

/** The Agent, Customer and Configuration Web APIs: each method is one `_call`. */
abstract class WebApi {
  protected constructor(
    private readonly _api: Exclude<LiveChatApi, 'accounts'>,
    private readonly _transport: Transport
  ) {}

  /** Read on each call, so that a bad agent token fails the call that needs it, not the client. */
  protected abstract _caller(): Caller

  /** `applied`: for a write LiveChat must not apply twice, how to find it after a lost answer (see transport.ts). */
  protected async _call<T>(
    action: string,
    body: unknown,
    schema: Schema<T>,
    applied?: () => Promise<T | undefined>
  ): Promise<T> {
    const { data } = await this._transport.call({ api: this._api, action, body, schema, applied, ...this._caller() })
    return data
  }
}

/** The Agent and Configuration APIs: both called with the agent's PAT. */
abstract class PatApi extends WebApi {
  public constructor(
    api: 'agent' | 'configuration',
    transport: Transport,
    private readonly _credentials: () => AgentCredentials
  ) {
    super(api, transport)
  }

  protected _caller(): Caller {
    const { basic, region, pat } = this._credentials()
    return { credentials: { scheme: 'Basic', value: basic, region }, secrets: [basic, pat] }
  }
}

/** @see https://platform.text.com/docs/messaging/agent-chat-api */
class AgentApi extends PatApi {
  public readonly getChat = (request: GetChatRequest) => this._call('get_chat', request, chatSchema)
  public readonly listChats = (request: AgentListChatsRequest = {}) =>
    this._call('list_chats', request, agentListChatsResponseSchema)
  public readonly deactivateChat = (request: AgentDeactivateChatRequest) =>
    this._call('deactivate_chat', request, emptyResponseSchema)
  public readonly getCustomer = (request: { id: string }) => this._call('get_customer', request, customerSchema)
  public readonly tagThread = (request: AgentTagThreadRequest) => this._call('tag_thread', request, emptyResponseSchema)
}

/** @see https://platform.text.com/docs/messaging/customer-chat-api */
class CustomerApi extends WebApi {
  public constructor(
    transport: Transport,
    private readonly _accessToken: string,
    private readonly _organizationId: string
  ) {
    super('customer', transport)
  }

  /*
   * The three writes the agent would see twice. When their first event carries a `custom_id`, a lost answer is
   * followed by a read that finds the write (src/livechat/applied.ts) before anything is sent again; without one, the
   * lost answer is an error marked `ambiguous`.
   */
  public startChat(request: CustomerStartChatRequest = {}) {
    const customId = firstCustomId(request.chat?.thread?.events)
    const applied = customId ? () => findStartedChat(this, customId) : undefined
    return this._call('start_chat', request, startChatResponseSchema, applied)
  }
  public resumeChat(request: CustomerResumeChatRequest) {
    const customId = firstCustomId(request.chat.thread?.events)
    const applied = customId ? () => findResumedThread(this, request.chat.id, customId) : undefined
    return this._call('resume_chat', request, resumeChatResponseSchema, applied)
  }
  public sendEvent(request: CustomerSendEventRequest) {
    const customId = request.event.custom_id
    const applied = customId ? () => findSentEvent(this, request.chat_id, customId) : undefined
    return this._call('send_event', request, sendEventResponseSchema, applied)
  }
  public readonly uploadFile = (file: UploadFileInput) =>
    this._call('upload_file', _fileForm(file), uploadFileResponseSchema)
  public readonly deactivateChat = (request: { id: string }) =>
    this._call('deactivate_chat', request, emptyResponseSchema)
  public readonly getChat = (request: GetChatRequest) => this._call('get_chat', request, chatSchema)
  public readonly listChats = (request: CustomerListChatsRequest = {}) =>
    this._call('list_chats', request, customerListChatsResponseSchema)
  /** The customer of the token: the body is empty. */
  public readonly getCustomer = () => this._call('get_customer', {}, customerSchema)
  public readonly updateCustomer = (request: CustomerUpdateCustomerRequest) =>
    this._call('update_customer', request, emptyResponseSchema)
  public readonly setCustomerSessionFields = (request: CustomerSetSessionFieldsRequest) =>
    this._call('set_customer_session_fields', request, emptyResponseSchema)
  public readonly updateThreadProperties = (request: CustomerUpdateThreadPropertiesRequest) =>
    this._call('update_thread_properties', request, emptyResponseSchema)
  public readonly listGroupStatuses = (request: ListGroupStatusesRequest) =>
    this._call('list_group_statuses', request, listGroupStatusesResponseSchema)

  protected _caller(): Caller {
    return {
      credentials: { scheme: 'Bearer', value: this._accessToken, region: regionOf(this._accessToken) },
      // Every Customer Chat API request needs it (v3.4 replaced license_id).
      query: { organization_id: this._organizationId },
      secrets: [this._accessToken],
    }
  }
}

/** @see https://platform.text.com/docs/management/configuration-api */
class ConfigurationApi extends PatApi {
  public readonly getGroup = (request: GetByIdRequest<number>) => this._call('get_group', request, groupSchema)
  public readonly getAgent = (request: GetByIdRequest<string>) => this._call('get_agent', request, agentSchema)
  public readonly registerWebhook = (request: RegisterWebhookRequest) =>
    this._call('register_webhook', request, registerWebhookResponseSchema)
  public readonly listWebhooks = (request: OwnerRequest) =>
    this._call('list_webhooks', request, listWebhooksResponseSchema)
  public readonly unregisterWebhook = (request: UnregisterWebhookRequest) =>
    this._call('unregister_webhook', request, emptyResponseSchema)
  public readonly enableLicenseWebhooks = (request: OwnerRequest) =>
    this._call('enable_license_webhooks', request, emptyResponseSchema)
  public readonly getLicenseWebhooksState = (request: OwnerRequest) =>
    this._call('get_license_webhooks_state', request, licenseWebhooksStateResponseSchema)
}

/** @see https://platform.text.com/docs/authorization/customer-authorization */
class AccountsApi {
  public constructor(
    private readonly _transport: Transport,
    private readonly _config: LiveChatClientConfig,
    private readonly _now: () => number
  ) {}

  /**
   * Cookie grant. Without the identity cookies LiveChat creates a brand-new customer on every call, so the cookies
   * of the previous answer are sent back in a `Cookie` header: the same customer gets a fresh token. The answer's
   * `cookies` (`name=value; name=value` of `__lc_cid`, `__lc_cst`) are a secret: store them as such.
   */
  public async issueCustomerToken({ cookies, redirectUri }: IssueCustomerTokenInput) {
    const body: CustomerTokenRequest = {
      grant_type: 'cookie',
      client_id: this._config.clientId,
      organization_id: this._config.organizationId,
      response_type: 'token',
      redirect_uri: redirectUri,
    }
    const sent = cookies?.trim() || undefined
    const { data, headers } = await this._transport.call({
      api: 'accounts',
      action: 'customer_token',
      credentials: { scheme: 'none', cookies: sent },
      body,
      schema: customerTokenResponseSchema,
      secrets: cookieValues(sent),
    })
    return {
      accessToken: data.access_token,
      /** `entity_id`: the customer id in chats (`author_id`, `users[].id`). */
      customerId: data.entity_id,
      expiresAt: new Date(this._now() + data.expires_in * 1000),
      cookies: mergeCookies(sent, headers['set-cookie']),
    }
  }
}
