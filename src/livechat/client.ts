import type { ZodType, ZodTypeAny, ZodTypeDef, z } from 'zod'
import { findResumedThread, findSentEvent, findStartedChat, firstCustomId } from './applied'
import type { LiveChatApi } from './endpoints'
import { type AgentCredentials, parseAgentToken, regionOf } from './region'
import { type CustomerTokenRequest, customerTokenResponseSchema } from './schemas/accounts'
import {
  type Customer,
  type ResumeChatResponse,
  type StartChatResponse,
  agentDeactivateChatRequestSchema,
  agentGetChatRequestSchema,
  agentGetChatResponseSchema,
  agentGetCustomerRequestSchema,
  agentListChatsRequestSchema,
  agentListChatsResponseSchema,
  agentTagThreadRequestSchema,
  customerSchema,
  resumeChatResponseSchema,
  startChatResponseSchema,
} from './schemas/agent'
import {
  type SendEventResponse,
  type UploadFileResponse,
  chatSchema,
  emptyResponseSchema,
  sendEventResponseSchema,
  uploadFileResponseSchema,
} from './schemas/common'
import {
  agentSchema,
  getAgentRequestSchema,
  getGroupRequestSchema,
  groupSchema,
  licenseWebhooksRequestSchema,
  licenseWebhooksStateResponseSchema,
  listWebhooksRequestSchema,
  listWebhooksResponseSchema,
  registerWebhookRequestSchema,
  registerWebhookResponseSchema,
  unregisterWebhookRequestSchema,
} from './schemas/configuration'
import {
  type CustomerResumeChatRequest,
  type CustomerSendEventRequest,
  type CustomerStartChatRequest,
  customerDeactivateChatRequestSchema,
  customerGetChatRequestSchema,
  customerListChatsRequestSchema,
  customerListChatsResponseSchema,
  customerSetSessionFieldsRequestSchema,
  customerUpdateCustomerRequestSchema,
  customerUpdateThreadPropertiesRequestSchema,
  listGroupStatusesRequestSchema,
  listGroupStatusesResponseSchema,
} from './schemas/customer'
import { type Call, type CallResult, Transport, type TransportOptions } from './transport'

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

/** The agent's PAT, for the Agent and Configuration APIs. */
const _agentCaller = (credentials: AgentCredentials): Caller => ({
  credentials: { scheme: 'Basic', value: credentials.basic, region: credentials.region },
  secrets: [credentials.basic, credentials.pat],
})

/**
 * The Agent, Customer and Configuration Web APIs. Most methods are declared as data with {@link WebApi._method}:
 * the action, the request schema (it only types the body, which is sent as given) and the response schema.
 */
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

  /** The method for `action`: takes the body `request` types, resolves with what `response` validates. */
  protected _method<Req extends ZodTypeAny, Res>(
    action: string,
    request: Req,
    response: Schema<Res>
  ): (request: z.input<Req>) => Promise<Res>
  /** The same, for a request that may be left out: `fallback` is sent instead. */
  protected _method<Req extends ZodTypeAny, Res>(
    action: string,
    request: Req,
    response: Schema<Res>,
    fallback: z.input<Req>
  ): (request?: z.input<Req>) => Promise<Res>
  protected _method<Res>(action: string, _request: ZodTypeAny, response: Schema<Res>, fallback?: unknown) {
    return (request: unknown = fallback): Promise<Res> => this._call(action, request, response)
  }
}

/** @see https://platform.text.com/docs/messaging/agent-chat-api */
export class AgentApi extends WebApi {
  public constructor(
    transport: Transport,
    private readonly _credentials: () => AgentCredentials
  ) {
    super('agent', transport)
  }

  public readonly getChat = this._method('get_chat', agentGetChatRequestSchema, agentGetChatResponseSchema)
  public readonly listChats = this._method('list_chats', agentListChatsRequestSchema, agentListChatsResponseSchema, {})
  public readonly deactivateChat = this._method(
    'deactivate_chat',
    agentDeactivateChatRequestSchema,
    emptyResponseSchema
  )
  public readonly getCustomer = this._method('get_customer', agentGetCustomerRequestSchema, customerSchema)
  public readonly tagThread = this._method('tag_thread', agentTagThreadRequestSchema, emptyResponseSchema)

  protected _caller(): Caller {
    return _agentCaller(this._credentials())
  }
}

/** @see https://platform.text.com/docs/messaging/customer-chat-api */
export class CustomerApi extends WebApi {
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
  public startChat(request: CustomerStartChatRequest = {}): Promise<StartChatResponse> {
    const customId = firstCustomId(request.chat?.thread?.events)
    const applied = customId ? () => findStartedChat(this, customId) : undefined
    return this._call('start_chat', request, startChatResponseSchema, applied)
  }
  public resumeChat(request: CustomerResumeChatRequest): Promise<ResumeChatResponse> {
    const customId = firstCustomId(request.chat.thread?.events)
    const applied = customId ? () => findResumedThread(this, request.chat.id, customId) : undefined
    return this._call('resume_chat', request, resumeChatResponseSchema, applied)
  }
  public sendEvent(request: CustomerSendEventRequest): Promise<SendEventResponse> {
    const customId = request.event.custom_id
    const applied = customId ? () => findSentEvent(this, request.chat_id, customId) : undefined
    return this._call('send_event', request, sendEventResponseSchema, applied)
  }
  public uploadFile(file: UploadFileInput): Promise<UploadFileResponse> {
    return this._call('upload_file', _fileForm(file), uploadFileResponseSchema)
  }
  public readonly deactivateChat = this._method(
    'deactivate_chat',
    customerDeactivateChatRequestSchema,
    emptyResponseSchema
  )
  public readonly getChat = this._method('get_chat', customerGetChatRequestSchema, chatSchema)
  public readonly listChats = this._method(
    'list_chats',
    customerListChatsRequestSchema,
    customerListChatsResponseSchema,
    {}
  )
  /** The customer of the token: the body is empty. */
  public getCustomer(): Promise<Customer> {
    return this._call('get_customer', {}, customerSchema)
  }
  public readonly updateCustomer = this._method(
    'update_customer',
    customerUpdateCustomerRequestSchema,
    emptyResponseSchema
  )
  public readonly setCustomerSessionFields = this._method(
    'set_customer_session_fields',
    customerSetSessionFieldsRequestSchema,
    emptyResponseSchema
  )
  public readonly updateThreadProperties = this._method(
    'update_thread_properties',
    customerUpdateThreadPropertiesRequestSchema,
    emptyResponseSchema
  )
  public readonly listGroupStatuses = this._method(
    'list_group_statuses',
    listGroupStatusesRequestSchema,
    listGroupStatusesResponseSchema
  )

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
export class ConfigurationApi extends WebApi {
  public constructor(
    transport: Transport,
    private readonly _credentials: () => AgentCredentials
  ) {
    super('configuration', transport)
  }

  public readonly getGroup = this._method('get_group', getGroupRequestSchema, groupSchema)
  public readonly getAgent = this._method('get_agent', getAgentRequestSchema, agentSchema)
  public readonly registerWebhook = this._method(
    'register_webhook',
    registerWebhookRequestSchema,
    registerWebhookResponseSchema
  )
  public readonly listWebhooks = this._method('list_webhooks', listWebhooksRequestSchema, listWebhooksResponseSchema)
  public readonly unregisterWebhook = this._method(
    'unregister_webhook',
    unregisterWebhookRequestSchema,
    emptyResponseSchema
  )
  public readonly enableLicenseWebhooks = this._method(
    'enable_license_webhooks',
    licenseWebhooksRequestSchema,
    emptyResponseSchema
  )
  public readonly getLicenseWebhooksState = this._method(
    'get_license_webhooks_state',
    licenseWebhooksRequestSchema,
    licenseWebhooksStateResponseSchema
  )

  protected _caller(): Caller {
    return _agentCaller(this._credentials())
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
