import * as bp from '.botpress'

/**
 * What a log line may carry: ids, counts and outcomes. No free-form field, so that no token, cookie, secret, email or
 * message text reaches the bot owner's logs by accident.
 */
export type LogFields = {
  botpressConversationId?: string
  botpressUserId?: string
  botpressMessageId?: string
  livechatChatId?: string
  livechatThreadId?: string
  livechatEventId?: string
  livechatEventType?: string
  livechatAgentId?: string
  livechatCustomerId?: string
  livechatGroupId?: number
  /** A chat tag the bot asked for (a label of the license, chosen by the bot builder). */
  livechatTag?: string
  webhookAction?: string
  status?: number
  count?: number
  errorType?: string
  /** A sentence of this integration, or an error message known to hold no secret (see describeError). */
  reason?: string
}

export type Log = Record<'debug' | 'info' | 'warn' | 'error', (message: string, fields?: LogFields) => void>

const format = (message: string, fields: LogFields = {}): string => {
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`)
  return parts.length ? `${message} (${parts.join(', ')})` : message
}

/** Wraps `logger.forBot()`: in SDK 0.10.10 the integration logger has no other level and no metadata argument. */
export const createLog = (logger: bp.Logger): Log => {
  const forBot = logger.forBot()
  const at = (level: keyof Log) => (message: string, fields?: LogFields) => forBot[level](format(message, fields))
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
