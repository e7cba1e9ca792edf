export {
  AccountsApi,
  AgentApi,
  ConfigurationApi,
  CustomerApi,
  LiveChatClient,
  mergeCookies,
  type IssueCustomerTokenInput,
  type IssuedCustomerToken,
  type LiveChatClientConfig,
  type LiveChatClientOptions,
  type UploadFileInput,
} from './client'
export {
  DEFAULT_ACCOUNTS_URL,
  DEFAULT_API_URL,
  LIVECHAT_API_VERSION,
  accountsBaseUrl,
  apiBaseUrl,
  isLiveChatCdnUrl,
} from './endpoints'
export {
  LiveChatApiError,
  REQUIRED_SCOPES,
  isExpiredCustomerToken,
  isLiveChatApiError,
  isRedirectUriRefusal,
  type LiveChatApiErrorProps,
  type LiveChatErrorType,
} from './errors'
export { redact, redactText, redactValue } from './redact'
export { isRegion, parseAgentToken, regionOf, type AgentCredentials } from './region'
export { MAX_ATTEMPTS, REQUEST_TIMEOUT_MS, TOTAL_BUDGET_MS, backoffMs, parseRetryAfter, shouldRetry } from './retry'
export type { LiveChatLogger } from './transport'
export * from './schemas/accounts'
export * from './schemas/agent'
export * from './schemas/common'
export * from './schemas/configuration'
export * from './schemas/customer'
export * from './webhooks'
