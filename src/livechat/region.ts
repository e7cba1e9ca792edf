import { LiveChatApiError } from './errors'

/**
 * LiveChat data centres are named by a token's prefix (`dal:…`, `fra-a:…`), sent as `X-Region` on Web API calls.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#data-centers
 */
const REGION_PATTERN = /^[a-z]{2,8}(-[a-z0-9]{1,8})?$/

export const isRegion = (value: unknown): value is string => typeof value === 'string' && REGION_PATTERN.test(value)

/** The region of a token: what comes before its first `:`, if that looks like a region name. */
export const regionOf = (token: string): string | undefined => {
  const prefix = token.slice(0, Math.max(0, token.indexOf(':')))
  return isRegion(prefix) ? prefix : undefined
}

/** `basic`: for `Authorization: Basic …`; `pat`: the raw PAT, only to redact it from what we log or throw. */
export type AgentCredentials = { basic: string; accountId: string; region: string | undefined; pat: string }

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

const _invalidAgentToken = (why: string): LiveChatApiError =>
  new LiveChatApiError({
    status: 0,
    type: 'invalid_configuration',
    operation: 'agent.token',
    message: `The \`agentToken\` field is not a valid LiveChat agent token: ${why}. Paste the Base64 string shown with your Personal Access Token in the LiveChat Developer Console (it encodes "<account ID>:<token>").`,
  })

/** `<account ID>:<PAT>` in clear; account IDs are UUIDs, so a bare PAT (`dal:…`) is not mistaken for one. */
const PLAIN_CREDENTIALS = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[!-~]+$/i

/**
 * `agentToken` is the Developer Console's Base64 of `<account ID>:<PAT>`, and the PAT starts with its region.
 * @see https://platform.text.com/docs/authorization/personal-access-tokens
 */
export const parseAgentToken = (agentToken: string): AgentCredentials => {
  // People paste the whole header value now and then; accept it, since the Base64 part is what we need.
  const basic = agentToken.trim().replace(/^Basic\s+/i, '')
  if (!basic) throw _invalidAgentToken('it is empty')
  if (PLAIN_CREDENTIALS.test(basic)) {
    // "<account ID>:<PAT>" pasted before encoding (a colon is never Base64): encode it as LiveChat's console would.
    return parseAgentToken(Buffer.from(basic, 'utf8').toString('base64'))
  }
  if (!BASE64.test(basic) || basic.length % 4 === 1) throw _invalidAgentToken('it is not Base64')
  const decoded = Buffer.from(basic, 'base64').toString('utf8')
  const [, accountId, pat] = /^([^:]+):(.+)$/s.exec(decoded) ?? []
  // Account ids are UUIDs and PATs are printable ASCII; anything else means the string was not the console's.
  if (!accountId || !pat || !/^[!-~]+$/.test(decoded)) {
    throw _invalidAgentToken('it does not decode to "<account ID>:<Personal Access Token>"')
  }
  return { basic, accountId, pat, region: regionOf(pat) }
}
