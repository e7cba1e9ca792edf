import { getOrCreateMessage } from '../../botpress/messages'
import { isNotFound } from '../../botpress/not-found'
import { readAssignedAgentIds } from '../../botpress/session-states'
import { IncomingEventWebhook } from '../../livechat'
import { toBotpressMessage } from '../../mapping/to-botpress'
import { forgetHitlChat } from '../../misc/caches'
import { announceAgent, forgetAgentUser, isAgentSettled, markAgentSettled, resolveAgentUser } from '../agent'
import { findBridgedChat } from '../bridged-chat'
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

  // The session comes from the process cache when it opened or saw this thread before.
  const chat = await findBridgedChat(context, livechatChatId, livechatThreadId)
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
  // A failed announcement must not cost the message: it is stored anyway, then the failure makes LiveChat redeliver,
  // and the redelivery announces again (the message itself is deduplicated by its event id).
  let announceFailure: { thrown: unknown } | undefined
  if (!isAgentSettled(context, chat, livechatAgentId)) {
    // The agent holding the chat (the lookup's tag) needs nothing; anyone else is checked against the state, once.
    const settled =
      chat.holderAgentId === livechatAgentId ||
      (await readAssignedAgentIds(client, chat.botpressConversationId)).includes(livechatAgentId)
    if (!settled) {
      // Announced before the message so that the plugin names the agent before showing what they wrote. When the
      // join is being handled at the same moment, this waits for it under the session lease and announces nothing.
      await announceAgent(context, chat, { livechatAgentId, agentUser, kind: 'join' }).catch((thrown: unknown) => {
        announceFailure = { thrown }
      })
    }
    if (!announceFailure) markAgentSettled(context, chat, livechatAgentId)
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
      forgetHitlChat(context.ctx.botId, chat)
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
