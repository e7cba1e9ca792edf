/**
 * The one place that knows where LiveChat lives. Base URLs are read from the environment at call time (not at
 * import time) so that tests and the sandbox can point a running client at an emulator.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#methods
 */

/** LiveChat Web API version used for the Agent, Customer and Configuration APIs. Change it here only. */
const LIVECHAT_API_VERSION = '3.6'

const DEFAULT_API_URL = 'https://api.livechatinc.com'
const DEFAULT_ACCOUNTS_URL = 'https://accounts.livechat.com'

export type LiveChatApi = 'agent' | 'customer' | 'configuration' | 'accounts'

const _trimSlash = (url: string): string => url.replace(/\/+$/, '')

const apiBaseUrl = (): string => _trimSlash(process.env.LIVECHAT_API_URL || DEFAULT_API_URL)
const accountsBaseUrl = (): string => _trimSlash(process.env.LIVECHAT_ACCOUNTS_URL || DEFAULT_ACCOUNTS_URL)

/** `POST {api}/v3.6/{agent|customer|configuration}/action/<action>` */
export const webApiActionUrl = (api: Exclude<LiveChatApi, 'accounts'>, action: string): string =>
  `${apiBaseUrl()}/v${LIVECHAT_API_VERSION}/${api}/action/${action}`

/**
 * Customer token endpoint (cookie grant).
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
export const customerTokenUrl = (): string => `${accountsBaseUrl()}/v2/customer/token`

/**
 * Files LiveChat already holds: `upload_file` answers `https://cdn.livechat-files.com/api/file/...`, and a file event's
 * `url` "has to point to the LiveChat CDN".
 * @see https://platform.text.com/docs/messaging/customer-chat-api/data-structures#file
 */
export const isLiveChatCdnUrl = (url: string): boolean => {
  try {
    const { protocol, hostname } = new URL(url)
    return protocol === 'https:' && (hostname === 'cdn.livechat-files.com' || hostname.endsWith('.livechat-files.com'))
  } catch {
    return false
  }
}
