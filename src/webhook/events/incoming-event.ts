import { readSession } from '../../botpress/session-state'
import { User } from '../../botpress/types'
import { IncomingEventWebhook } from '../../livechat'
import { toBotpressMessage } from '../../mapping/to-botpress'
import { announceAgent, resolveAgentUser } from '../agent'
import { BridgedChat, findBridgedChat } from '../bridged-chat'
import { WebhookContext } from '../types'

/**
 * An agent who writes into a chat they were not in joins it at the same moment: LiveChat sends user_added_to_chat and
 * this incoming_event back to back, and both would announce the agent (state has no compare-and-set). Waiting a
 * moment and reading the session again lets the join win the common case; the first message then only re-asserts
 * an assignment that was really never announced (dropped during startHitl, or no user_added_to_chat webhook).
 */
const REASSERT_DELAY_MS = 750

const reassertAgent = async (
  context: WebhookContext,
  bridged: BridgedChat,
  livechatAgentId: string,
  agentUser: User
) => {
  await new Promise((resolve) => setTimeout(resolve, REASSERT_DELAY_MS))
  const session = await readSession(context.client, bridged.botpressConversationId)
  const fresh = session ? { ...bridged, session } : bridged
  await announceAgent(context, fresh, { livechatAgentId, agentUser, kind: 'join' })
}

/**
 * An event in a bridged chat. Only what an agent said to the customer becomes a Botpress message, from the agent's
 * Botpress user; deduplicated on the LiveChat event id in one call, so a redelivery is harmless.
 * Ignored: system messages (no author), our own customer's events (echoes of what we sent), private notes
 * (`visibility: agents`, never meant for the end user) and events that are not messages (forms, custom).
 */
export const handleIncomingEvent = async (context: WebhookContext, webhook: IncomingEventWebhook): Promise<void> => {
  const { client, log } = context
  const { chat_id: livechatChatId, thread_id: livechatThreadId, event } = webhook.payload
  const fields = { livechatChatId, livechatEventId: event.id, livechatEventType: event.type }

  const bridged = await findBridgedChat(context, livechatChatId)
  if (!bridged) {
    return
  }
  const livechatAgentId = event.author_id
  if (!livechatAgentId || event.type === 'system_message') {
    log.debug('Ignored a LiveChat system event', fields)
    return
  }
  if (livechatAgentId === bridged.session.livechatCustomerId) {
    log.debug('Ignored the echo of a customer event', fields)
    return
  }
  if (event.visibility === 'agents') {
    log.debug('Ignored a LiveChat event visible to agents only', fields)
    return
  }
  const message = toBotpressMessage(event)
  if (!message) {
    log.debug('Ignored a LiveChat event that is not a message', fields)
    return
  }

  const agentUser = await resolveAgentUser(context, { livechatAgentId, livechatChatId })
  if (
    livechatThreadId === bridged.session.livechatThreadId &&
    !bridged.session.assignedAgentIds.includes(livechatAgentId)
  ) {
    // Announced before the message so that the plugin names the agent before showing what they wrote.
    await reassertAgent(context, bridged, livechatAgentId, agentUser)
  }
  const { message: created } = await client.getOrCreateMessage({
    conversationId: bridged.botpressConversationId,
    userId: agentUser.id,
    tags: { id: event.id },
    ...message,
  })
  log.debug('Forwarded a LiveChat agent message to Botpress', {
    ...fields,
    livechatAgentId,
    botpressConversationId: bridged.botpressConversationId,
    botpressMessageId: created.id,
  })
}
