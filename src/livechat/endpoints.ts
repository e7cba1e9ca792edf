/**
 * Where LiveChat lives. Base URLs are read from the environment at call time, so that tests and the sandbox can
 * point a running client at an emulator.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#methods
 */
export type LiveChatApi = 'agent' | 'customer' | 'configuration' | 'accounts'

const _baseUrl = (url: string | undefined, fallback: string): string => (url || fallback).replace(/\/+$/, '')

export const webApiActionUrl = (api: Exclude<LiveChatApi, 'accounts'>, action: string): string =>
  `${_baseUrl(process.env.LIVECHAT_API_URL, 'https://api.livechatinc.com')}/v3.6/${api}/action/${action}`

/** @see https://platform.text.com/docs/authorization/customer-authorization */
export const customerTokenUrl = (): string =>
  `${_baseUrl(process.env.LIVECHAT_ACCOUNTS_URL, 'https://accounts.livechat.com')}/v2/customer/token`

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
