import { LiveChatClient, REQUEST_TIMEOUT_MS } from '../livechat'
import { Configuration, readConfiguration } from './configuration'
import { Deadline, shortenedByEnv } from './deadline'
import { Log } from './log'
import { Client } from './types'
import * as bp from '.botpress'

export type LiveChat = ReturnType<typeof LiveChatClient.create>

/** What an action hands down to the steps it calls. */
export type Clients = { client: Client; ctx: bp.Context; lc: LiveChat; log: Log }

/**
 * One LiveChat client per runtime request, logging its retries through `log`. `deadline` caps every call, retries
 * included; `LIVECHAT_HITL_REQUEST_TIMEOUT_MS` may shorten one request's 8 s (the tests do).
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
