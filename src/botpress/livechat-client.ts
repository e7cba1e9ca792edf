import { LiveChatClient, REQUEST_TIMEOUT_MS } from '../livechat'
import { Configuration, readConfiguration } from './configuration'
import { Deadline, shortenedByEnv } from './deadline'
import { Log } from './log'
import * as bp from '.botpress'

export type LiveChat = ReturnType<typeof LiveChatClient.create>

/**
 * One LiveChat client per runtime request (the runtime gives every request a fresh context anyway). The client logs
 * its retries through `log`; its messages are redacted by the client itself. `deadline` caps every call, retries
 * included (a webhook's answer cannot wait). `LIVECHAT_HITL_REQUEST_TIMEOUT_MS` may shorten one request's 8 s, never
 * lengthen it (the tests do, to pass a stalled request without waiting).
 */
export const createLiveChat = (
  ctx: bp.Context,
  log: Log,
  options: { deadline?: Deadline } = {}
): { lc: LiveChat; configuration: Configuration } => {
  const configuration = readConfiguration(ctx)
  const { agentToken, organizationId, clientId } = configuration
  const requestTimeoutMs = shortenedByEnv('LIVECHAT_HITL_REQUEST_TIMEOUT_MS', REQUEST_TIMEOUT_MS)
  const lc = LiveChatClient.create(
    { agentToken, organizationId, clientId },
    { logger: log, requestTimeoutMs, ...options }
  )
  return { lc, configuration }
}
