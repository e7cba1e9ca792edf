import type { ZodType, ZodTypeDef } from 'zod'
import { type AgentCredentials, parseAgentToken, regionOf } from './region'
import { type CustomerTokenRequest, customerTokenResponseSchema } from './schemas/accounts'
import {
  type AgentAddUserToChatRequest,
  type AgentDeactivateChatRequest,
  type AgentGetChatRequest,
  type AgentGetChatResponse,
  type AgentGetCustomerRequest,
  type AgentListChatsRequest,
  type AgentListChatsResponse,
  type AgentListThreadsRequest,
  type AgentListThreadsResponse,
  type AgentRemoveUserFromChatRequest,
  type AgentSendEventRequest,
  type AgentStartChatRequest,
  type AgentTransferChatRequest,
  type AgentUpdateCustomerRequest,
  type Customer,
  type ResumeChatResponse,
  type StartChatResponse,
  agentGetChatResponseSchema,
  agentListChatsResponseSchema,
  agentListThreadsResponseSchema,
  customerSchema,
  resumeChatResponseSchema,
  startChatResponseSchema,
} from './schemas/agent'
import {
  type Chat,
  type EmptyResponse,
  type SendEventResponse,
  type UploadFileResponse,
  chatSchema,
  emptyResponseSchema,
  sendEventResponseSchema,
  uploadFileResponseSchema,
} from './schemas/common'
import {
  type Agent,
  type GetAgentRequest,
  type GetGroupRequest,
  type Group,
  type LicenseWebhooksRequest,
  type LicenseWebhooksStateResponse,
  type ListAgentsRequest,
  type ListAgentsResponse,
  type ListGroupsRequest,
  type ListGroupsResponse,
  type ListWebhooksRequest,
  type ListWebhooksResponse,
  type RegisterWebhookRequest,
  type RegisterWebhookResponse,
  type UnregisterWebhookRequest,
  agentSchema,
  groupSchema,
  licenseWebhooksStateResponseSchema,
  listAgentsResponseSchema,
  listGroupsResponseSchema,
  listWebhooksResponseSchema,
  registerWebhookResponseSchema,
} from './schemas/configuration'
import {
  type CustomerDeactivateChatRequest,
  type CustomerGetChatRequest,
  type CustomerListChatsRequest,
  type CustomerListChatsResponse,
  type CustomerResumeChatRequest,
  type CustomerSendEventRequest,
  type CustomerStartChatRequest,
  type CustomerUpdateCustomerRequest,
  type ListGroupStatusesRequest,
  type ListGroupStatusesResponse,
  type SetCustomerSessionFieldsRequest,
  customerListChatsResponseSchema,
  listGroupStatusesResponseSchema,
} from './schemas/customer'
import { type CallResult, type Credentials, Transport, type TransportOptions } from './transport'

export type LiveChatClientConfig = {
  /** Base64 of `account_id:PAT`, as the Developer Console shows it. */
  agentToken: string
  organizationId: string
  /** Client ID of the LiveChat app that issues customer tokens and owns the webhooks. */
  clientId: string
}

export type LiveChatClientOptions = TransportOptions

export type UploadFileInput = { name: string; contentType: string; content: Buffer }

export type IssueCustomerTokenInput = {
  /** Cookies returned by a previous call: send them back to renew the token of the SAME customer. */
  cookies?: string
  /** Must be one of the app's Redirect URIs; LiveChat defaults it to the Origin header, which a server has not. */
  redirectUri: string
}

export type IssuedCustomerToken = {
  accessToken: string
  /** `entity_id`: the customer id in chats (`author_id`, `users[].id`). */
  customerId: string
  expiresAt: Date
  /** `name=value; name=value` of the identity cookies (`__lc_cid`, `__lc_cst`): a secret, store it as such. */
  cookies: string
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
    this.agent = new AgentApi(_transport, agentCredentials)
    this.configuration = new ConfigurationApi(_transport, agentCredentials)
    this.accounts = new AccountsApi(_transport, _config, now)
  }

  public static create(config: LiveChatClientConfig, options: LiveChatClientOptions = {}): LiveChatClient {
    return new LiveChatClient(config, new Transport(options), options.now ?? Date.now)
  }

  /** The Customer Chat API, acting as the customer who owns `accessToken`. */
  public customer(accessToken: string): CustomerApi {
    return new CustomerApi(this._transport, accessToken, this._config.organizationId)
  }

  /** Region learnt from a `misdirected_request`, if any (for diagnostics). */
  public get learntRegion(): string | undefined {
    return this._transport.region
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

const _basic = (credentials: AgentCredentials): Credentials => ({
  scheme: 'Basic',
  value: credentials.basic,
  region: credentials.region,
})

/**
 * `upload_file` is multipart with a single `file` field, max 10 MB.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#upload-file
 */
const _fileForm = ({ name, contentType, content }: UploadFileInput): FormData => {
  const form = new FormData()
  form.append('file', new Blob([content], { type: contentType }), name)
  return form
}

/** @see https://platform.text.com/docs/messaging/agent-chat-api */
export class AgentApi {
  public constructor(
    private readonly _transport: Transport,
    private readonly _credentials: () => AgentCredentials
  ) {}

  public getChat(request: AgentGetChatRequest): Promise<AgentGetChatResponse> {
    return this._call('get_chat', request, agentGetChatResponseSchema)
  }
  public listChats(request: AgentListChatsRequest = {}): Promise<AgentListChatsResponse> {
    return this._call('list_chats', request, agentListChatsResponseSchema)
  }
  public listThreads(request: AgentListThreadsRequest): Promise<AgentListThreadsResponse> {
    return this._call('list_threads', request, agentListThreadsResponseSchema)
  }
  public startChat(request: AgentStartChatRequest = {}): Promise<StartChatResponse> {
    return this._call('start_chat', request, startChatResponseSchema)
  }
  public deactivateChat(request: AgentDeactivateChatRequest): Promise<EmptyResponse> {
    return this._call('deactivate_chat', request, emptyResponseSchema)
  }
  public transferChat(request: AgentTransferChatRequest): Promise<EmptyResponse> {
    return this._call('transfer_chat', request, emptyResponseSchema)
  }
  public addUserToChat(request: AgentAddUserToChatRequest): Promise<EmptyResponse> {
    return this._call('add_user_to_chat', request, emptyResponseSchema)
  }
  public removeUserFromChat(request: AgentRemoveUserFromChatRequest): Promise<EmptyResponse> {
    return this._call('remove_user_from_chat', request, emptyResponseSchema)
  }
  public sendEvent(request: AgentSendEventRequest): Promise<SendEventResponse> {
    return this._call('send_event', request, sendEventResponseSchema)
  }
  public uploadFile(file: UploadFileInput): Promise<UploadFileResponse> {
    return this._call('upload_file', _fileForm(file), uploadFileResponseSchema)
  }
  public getCustomer(request: AgentGetCustomerRequest): Promise<Customer> {
    return this._call('get_customer', request, customerSchema)
  }
  public updateCustomer(request: AgentUpdateCustomerRequest): Promise<EmptyResponse> {
    return this._call('update_customer', request, emptyResponseSchema)
  }

  private async _call<T>(action: string, body: unknown, schema: Schema<T>): Promise<T> {
    const credentials = this._credentials()
    const { data } = await this._transport.call({
      api: 'agent',
      action,
      credentials: _basic(credentials),
      body,
      schema,
      secrets: [credentials.basic, credentials.pat],
    })
    return data
  }
}

/** @see https://platform.text.com/docs/messaging/customer-chat-api */
export class CustomerApi {
  public constructor(
    private readonly _transport: Transport,
    private readonly _accessToken: string,
    private readonly _organizationId: string
  ) {}

  public startChat(request: CustomerStartChatRequest = {}): Promise<StartChatResponse> {
    return this._call('start_chat', request, startChatResponseSchema)
  }
  public resumeChat(request: CustomerResumeChatRequest): Promise<ResumeChatResponse> {
    return this._call('resume_chat', request, resumeChatResponseSchema)
  }
  public sendEvent(request: CustomerSendEventRequest): Promise<SendEventResponse> {
    return this._call('send_event', request, sendEventResponseSchema)
  }
  public uploadFile(file: UploadFileInput): Promise<UploadFileResponse> {
    return this._call('upload_file', _fileForm(file), uploadFileResponseSchema)
  }
  public deactivateChat(request: CustomerDeactivateChatRequest): Promise<EmptyResponse> {
    return this._call('deactivate_chat', request, emptyResponseSchema)
  }
  public getChat(request: CustomerGetChatRequest): Promise<Chat> {
    return this._call('get_chat', request, chatSchema)
  }
  public listChats(request: CustomerListChatsRequest = {}): Promise<CustomerListChatsResponse> {
    return this._call('list_chats', request, customerListChatsResponseSchema)
  }
  public getCustomer(): Promise<Customer> {
    return this._call('get_customer', {}, customerSchema)
  }
  public updateCustomer(request: CustomerUpdateCustomerRequest): Promise<EmptyResponse> {
    return this._call('update_customer', request, emptyResponseSchema)
  }
  public setCustomerSessionFields(request: SetCustomerSessionFieldsRequest): Promise<EmptyResponse> {
    return this._call('set_customer_session_fields', request, emptyResponseSchema)
  }
  public listGroupStatuses(request: ListGroupStatusesRequest): Promise<ListGroupStatusesResponse> {
    return this._call('list_group_statuses', request, listGroupStatusesResponseSchema)
  }

  private async _call<T>(action: string, body: unknown, schema: Schema<T>): Promise<T> {
    const { data } = await this._transport.call({
      api: 'customer',
      action,
      credentials: { scheme: 'Bearer', value: this._accessToken, region: regionOf(this._accessToken) },
      // Every Customer Chat API request needs it (v3.4 replaced license_id).
      query: { organization_id: this._organizationId },
      body,
      schema,
      secrets: [this._accessToken],
    })
    return data
  }
}

/** @see https://platform.text.com/docs/management/configuration-api */
export class ConfigurationApi {
  public constructor(
    private readonly _transport: Transport,
    private readonly _credentials: () => AgentCredentials
  ) {}

  public listGroups(request: ListGroupsRequest = {}): Promise<ListGroupsResponse> {
    return this._call('list_groups', request, listGroupsResponseSchema)
  }
  public getGroup(request: GetGroupRequest): Promise<Group> {
    return this._call('get_group', request, groupSchema)
  }
  public listAgents(request: ListAgentsRequest = {}): Promise<ListAgentsResponse> {
    return this._call('list_agents', request, listAgentsResponseSchema)
  }
  public getAgent(request: GetAgentRequest): Promise<Agent> {
    return this._call('get_agent', request, agentSchema)
  }
  public registerWebhook(request: RegisterWebhookRequest): Promise<RegisterWebhookResponse> {
    return this._call('register_webhook', request, registerWebhookResponseSchema)
  }
  public listWebhooks(request: ListWebhooksRequest): Promise<ListWebhooksResponse> {
    return this._call('list_webhooks', request, listWebhooksResponseSchema)
  }
  public unregisterWebhook(request: UnregisterWebhookRequest): Promise<EmptyResponse> {
    return this._call('unregister_webhook', request, emptyResponseSchema)
  }
  public enableLicenseWebhooks(request: LicenseWebhooksRequest): Promise<EmptyResponse> {
    return this._call('enable_license_webhooks', request, emptyResponseSchema)
  }
  public disableLicenseWebhooks(request: LicenseWebhooksRequest): Promise<EmptyResponse> {
    return this._call('disable_license_webhooks', request, emptyResponseSchema)
  }
  public getLicenseWebhooksState(request: LicenseWebhooksRequest): Promise<LicenseWebhooksStateResponse> {
    return this._call('get_license_webhooks_state', request, licenseWebhooksStateResponseSchema)
  }

  private async _call<T>(action: string, body: unknown, schema: Schema<T>): Promise<T> {
    const credentials = this._credentials()
    const { data } = await this._transport.call({
      api: 'configuration',
      action,
      credentials: _basic(credentials),
      body,
      schema,
      secrets: [credentials.basic, credentials.pat],
    })
    return data
  }
}

/** @see https://platform.text.com/docs/authorization/customer-authorization */
export class AccountsApi {
  public constructor(
    private readonly _transport: Transport,
    private readonly _config: LiveChatClientConfig,
    private readonly _now: () => number = Date.now
  ) {}

  /**
   * Cookie grant. Without the identity cookies LiveChat creates a brand-new customer on every call, so the cookies
   * of the previous answer are sent back in a `Cookie` header: the same customer gets a fresh token.
   */
  public async issueCustomerToken({ cookies, redirectUri }: IssueCustomerTokenInput): Promise<IssuedCustomerToken> {
    const body: CustomerTokenRequest = {
      grant_type: 'cookie',
      client_id: this._config.clientId,
      organization_id: this._config.organizationId,
      response_type: 'token',
      redirect_uri: redirectUri,
    }
    const sent = cookies?.trim() || undefined
    const result: CallResult<{ access_token: string; entity_id: string; expires_in: number }> =
      await this._transport.call({
        api: 'accounts',
        action: 'customer_token',
        credentials: { scheme: 'none', cookies: sent },
        body,
        schema: customerTokenResponseSchema,
        secrets: _cookieValues(sent),
      })
    return {
      accessToken: result.data.access_token,
      customerId: result.data.entity_id,
      expiresAt: new Date(this._now() + result.data.expires_in * 1000),
      cookies: mergeCookies(sent, result.headers['set-cookie']),
    }
  }
}

const _cookieValues = (cookies: string | undefined): string[] =>
  (cookies ?? '')
    .split(';')
    .map((pair) => pair.slice(pair.indexOf('=') + 1).trim())
    .filter((value) => value.length > 0)

/**
 * Applies `Set-Cookie` headers to a `Cookie` header value: new values replace old ones, `Max-Age=0` or a past
 * `Expires` removes a cookie, attributes are dropped.
 * @see https://www.rfc-editor.org/rfc/rfc6265#section-5.2
 */
export const mergeCookies = (previous: string | undefined, setCookie: unknown, now: number = Date.now()): string => {
  const jar = new Map<string, string>()
  for (const pair of (previous ?? '').split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0) {
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    }
  }
  const lines = Array.isArray(setCookie) ? setCookie : typeof setCookie === 'string' ? [setCookie] : []
  for (const line of lines) {
    if (typeof line !== 'string') {
      continue
    }
    const [first = '', ...attributes] = line.split(';')
    const eq = first.indexOf('=')
    if (eq <= 0) {
      continue
    }
    const name = first.slice(0, eq).trim()
    const value = first.slice(eq + 1).trim()
    const expired = attributes.some((attribute) => {
      const [key = '', raw = ''] = attribute.split('=').map((part) => part.trim())
      if (key.toLowerCase() === 'max-age') {
        return Number(raw) <= 0
      }
      if (key.toLowerCase() === 'expires') {
        const at = Date.parse(attribute.slice(attribute.indexOf('=') + 1))
        return !Number.isNaN(at) && at <= now
      }
      return false
    })
    if (expired) {
      jar.delete(name)
    } else {
      jar.set(name, value)
    }
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}
