// LiveChat's error envelope: {"error":{"type","message","data"?}}.
// Types and default messages: livechat-public-docs src/constants/index.js (ERRORS) and the "Possible errors"
// list at the end of each API page. HTTP statuses are not documented for v3 Web APIs; the mapping below follows
// third-party observations (401 authentication, 403 requester not in chat, 422 limits), see livechat-api.md §6.2.

export type ErrorType =
  | 'authentication'
  | 'authorization'
  | 'missing_access'
  | 'validation'
  | 'not_found'
  | 'chat_inactive'
  | 'limit_reached'
  | 'entity_too_large'
  | 'misdirected_request'
  | 'too_many_requests'
  | 'request_timeout'
  | 'service_unavailable'
  | 'internal'
  | 'group_not_found'
  | 'groups_offline'
  | 'license_not_found'

const STATUS: Record<ErrorType, number> = {
  authentication: 401,
  authorization: 403,
  missing_access: 403,
  validation: 400,
  not_found: 404,
  chat_inactive: 422,
  limit_reached: 422,
  entity_too_large: 413,
  misdirected_request: 421,
  too_many_requests: 429,
  request_timeout: 504,
  service_unavailable: 503,
  internal: 500,
  group_not_found: 404,
  groups_offline: 422,
  license_not_found: 404,
}

const DEFAULT_MESSAGE: Record<ErrorType, string> = {
  authentication: 'Authentication error',
  authorization: 'Authorization error',
  missing_access: 'Missing access',
  validation: 'Wrong format of request',
  not_found: 'Not found',
  chat_inactive: 'Chat is inactive',
  limit_reached: 'Limit reached',
  entity_too_large: 'Upload limit exceeded (10MB).',
  misdirected_request: 'Wrong region',
  too_many_requests: 'Too many requests',
  request_timeout: 'Request timed out',
  service_unavailable: 'Service unavailable',
  internal: 'Internal server error',
  group_not_found: 'Group not found',
  groups_offline: 'Groups offline',
  license_not_found: 'License not found',
}

export class LiveChatError extends Error {
  public readonly status: number

  public constructor(
    public readonly type: ErrorType,
    message?: string,
    public readonly data?: Record<string, unknown>
  ) {
    super(message ?? DEFAULT_MESSAGE[type])
    this.status = STATUS[type]
  }

  public toBody(): { error: { type: ErrorType; message: string; data?: Record<string, unknown> } } {
    return { error: { type: this.type, message: this.message, ...(this.data ? { data: this.data } : {}) } }
  }
}

export const fail = (type: ErrorType, message?: string, data?: Record<string, unknown>): never => {
  throw new LiveChatError(type, message, data)
}

/** The accounts server answers with its own OAuth envelope, not the chat APIs' one (customer accounts spec v2). */
export class OAuthError extends Error {
  public constructor(
    public readonly code: string,
    public readonly description: string,
    public readonly status = 401
  ) {
    super(description)
  }

  public toBody(): { oauth_exception: string; exception_description: string } {
    return { oauth_exception: this.code, exception_description: this.description }
  }
}
