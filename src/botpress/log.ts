import * as bp from '.botpress'

/**
 * What a log line may carry: ids, counts and outcomes. There is deliberately no free-form field, so a token, cookie,
 * webhook secret, email address or message text cannot end up in the bot owner's logs by accident.
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
  /** A sentence written by this integration or an error message that is known to hold no secret (see describeError). */
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
  return {
    debug: (message, fields) => forBot.debug(format(message, fields)),
    info: (message, fields) => forBot.info(format(message, fields)),
    warn: (message, fields) => forBot.warn(format(message, fields)),
    error: (message, fields) => forBot.error(format(message, fields)),
  }
}
