import { getOrCreateMessage } from '../../botpress/messages'
import { isNotFound } from '../../botpress/not-found'
import { IncomingEventWebhook } from '../../livechat'
import { toBotpressMessage } from '../../mapping/to-botpress'
import { announceAgent, forgetAgentUser, isAgentSettled, markAgentSettled, resolveAgentUser } from '../agent'
import { findBridgedChat, findHitlChat, forgetHitlChat } from '../bridged-chat'
import { WebhookContext } from '../types'

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

  // The conversation and customer of the chat come from the process cache when it bridged or saw this chat before.
  const chat = await findHitlChat(context, livechatChatId)
  if (!chat) {
    return
  }
  const livechatAgentId = event.author_id
  if (!livechatAgentId || event.type === 'system_message') {
    log.debug('Ignored a LiveChat system event', fields)
    return
  }
  if (livechatAgentId === chat.livechatCustomerId) {
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
  const ids = { livechatChatId, livechatThreadId, agentId: livechatAgentId }
  // A failed announcement must not cost the message: it is stored anyway, then the failure makes LiveChat redeliver,
  // and the redelivery announces again (the message itself is deduplicated by its event id).
  let announceFailure: { thrown: unknown } | undefined
  if (!isAgentSettled(context, ids)) {
    // A cold lookup just read the session; otherwise it is read now, once per agent and thread.
    const bridged = chat.session
      ? { botpressConversationId: chat.botpressConversationId, session: chat.session }
      : await findBridgedChat(context, livechatChatId)
    if (!bridged) {
      return
    }
    if (livechatThreadId === bridged.session.livechatThreadId) {
      if (!bridged.session.assignedAgentIds.includes(livechatAgentId)) {
        // Announced before the message so that the plugin names the agent before showing what they wrote. When the
        // join is being handled at the same moment, this waits for it under the session lease and announces nothing.
        await announceAgent(context, bridged, { livechatAgentId, agentUser, kind: 'join' }).catch((thrown: unknown) => {
          announceFailure = { thrown }
        })
      }
      if (!announceFailure) markAgentSettled(context, ids)
    }
  }
  const botpressConversationId = chat.botpressConversationId
  const created = await getOrCreateMessage(client, {
    conversationId: botpressConversationId,
    userId: agentUser.id,
    tags: { id: event.id },
    ...message,
  }).catch((thrown: unknown) => {
    if (isNotFound(thrown)) {
      // The conversation or the agent's user is gone: what this process remembered of them is stale.
      forgetHitlChat(context, livechatChatId)
      forgetAgentUser(context, livechatAgentId)
    }
    throw thrown
  })
  log.debug('Forwarded a LiveChat agent message to Botpress', {
    ...fields,
    livechatAgentId,
    botpressConversationId,
    botpressMessageId: created.id,
  })
  if (announceFailure) {
    throw announceFailure.thrown
  }
}
