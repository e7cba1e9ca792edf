import { LiveChatClient } from '../livechat'
import { Configuration, readConfiguration } from './configuration'
import { Log } from './log'
import * as bp from '.botpress'

export type LiveChat = ReturnType<typeof LiveChatClient.create>

/**
 * One LiveChat client per runtime request (the runtime gives every request a fresh context anyway). The client logs
 * its retries through `log`; its messages are redacted by the client itself.
 */
export const createLiveChat = (ctx: bp.Context, log: Log): { lc: LiveChat; configuration: Configuration } => {
  const configuration = readConfiguration(ctx)
  const { agentToken, organizationId, clientId } = configuration
  return { lc: LiveChatClient.create({ agentToken, organizationId, clientId }, { logger: log }), configuration }
}
