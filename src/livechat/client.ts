import { z } from 'zod'
import { cookieValues, mergeCookies } from './cookies'
import { type AgentCredentials, parseAgentToken, regionOf } from './region'
import { type Call, Transport, type TransportOptions } from './transport'
import { type WebCall, agentApi, configurationApi, customerApi } from './web-apis'

type LiveChatClientConfig = {
  /** Base64 of `account_id:PAT`, as the Developer Console shows it. */
  agentToken: string
  organizationId: string
  /** Client ID of the LiveChat app that issues customer tokens and owns the webhooks. */
  clientId: string
}

export type LiveChatClientOptions = TransportOptions

type Caller = Pick<Call<unknown>, 'credentials' | 'query' | 'secrets'>

/**
 * The only door to LiveChat (v3.6). Method names are LiveChat actions in camelCase; each takes the documented request
 * body and resolves with the answer (validated on the fields we read), or rejects with a `LiveChatApiError`.
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

/** `expires_in` is in seconds; `entity_id` is the customer id in chats (`author_id`, `users[].id`). */
const customerTokenSchema = z.object({
  access_token: z.string().min(1),
  entity_id: z.string().min(1),
  // Documented as always present; a token without it is treated as LiveChat's default lifetime rather than refused.
  expires_in: z.number().positive().default(28_800),
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
      schema: customerTokenSchema,
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
