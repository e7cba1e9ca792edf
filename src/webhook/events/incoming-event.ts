import { getOrCreateMessage } from '../../botpress/messages'
import { isNotFound } from '../../botpress/not-found'
import { IncomingEventWebhook } from '../../livechat'
import { IncomingMessage, toBotpressMessage } from '../../mapping/to-botpress'
import { forgetSession } from '../../session/cache'
import { FoundSession } from '../../session/conversation'
import { readAssignedAgentIds } from '../../session/states'
import { forgetAgentUser, resolveAgentUser } from '../agent'
import { isAgentSettled, markAgentSettled, storeThenAnnounce } from '../announce'
import { findWebhookSession } from '../find-session'
import { WebhookContext } from '../types'

type LiveChatEvent = IncomingEventWebhook['payload']['event']

/** Only what an agent said to the customer becomes a Botpress message, from the agent's Botpress user. */
export const handleIncomingEvent = async (context: WebhookContext, webhook: IncomingEventWebhook): Promise<void> => {
  const { chat_id: livechatChatId, thread_id: livechatThreadId, event } = webhook.payload
  const session = await findWebhookSession(context, livechatChatId, livechatThreadId)
  const agentMessage = session && agentMessageOf(context, session, event)
  if (!session || !agentMessage) return
  const { livechatAgentId, message } = agentMessage
  // Side by side: a first message should cost as few round trips as it can.
  const [agentUser, unannounced] = await Promise.all([
    resolveAgentUser(context, { livechatAgentId, livechatChatId }),
    isUnannounced(context, session, livechatAgentId),
  ])
  const store = () =>
    storeAgentMessage(context, session, { userId: agentUser.id, livechatAgentId, livechatEventId: event.id, message })
  if (!unannounced) return store()
  if (await storeThenAnnounce(context, session, { livechatAgentId, agentUser, kind: 'join' }, store)) {
    markAgentSettled(context, session, livechatAgentId)
  }
}

/** The agent and Botpress message of an event; undefined for system messages, echoes, private notes, non-messages. */
const agentMessageOf = (context: WebhookContext, session: FoundSession, event: LiveChatEvent) => {
  const fields = { livechatChatId: session.livechatChatId, livechatEventId: event.id, livechatEventType: event.type }
  const livechatAgentId = event.author_id
  if (!livechatAgentId || event.type === 'system_message') {
    context.log.debug('Ignored a LiveChat system event', fields)
    return undefined
  }
  if (livechatAgentId === session.livechatCustomerId) {
    context.log.debug('Ignored the echo of a customer event', fields)
    return undefined
  }
  if (event.visibility === 'agents') {
    context.log.debug('Ignored a LiveChat event visible to agents only', fields)
    return undefined
  }
  const message = toBotpressMessage(event)
  if (!message) {
    context.log.debug('Ignored a LiveChat event that is not a message', fields)
    return undefined
  }
  return { livechatAgentId, message }
}

/** Not settled here, not the tag's holder, not in the `assignment` state (read once, then remembered). */
const isUnannounced = async (context: WebhookContext, session: FoundSession, livechatAgentId: string) => {
  if (isAgentSettled(context, session, livechatAgentId)) return false
  const announced =
    session.holderAgentId === livechatAgentId ||
    (await readAssignedAgentIds(context.client, session.botpressConversationId)).includes(livechatAgentId)
  if (announced) markAgentSettled(context, session, livechatAgentId)
  return !announced
}

/** The Botpress message, deduplicated on the LiveChat event id in one call, so that a redelivery is harmless. */
const storeAgentMessage = async (
  context: WebhookContext,
  session: FoundSession,
  props: { userId: string; livechatAgentId: string; livechatEventId: string; message: IncomingMessage }
): Promise<void> => {
  const { botpressConversationId, livechatChatId } = session
  const { userId, livechatAgentId, livechatEventId, message } = props
  const created = await getOrCreateMessage(
    context.client,
    { conversationId: botpressConversationId, userId, tags: { id: livechatEventId }, ...message },
    context.deadline
  ).catch((thrown: unknown) => {
    if (isNotFound(thrown)) {
      // The conversation or the agent's user is gone: what this process remembered of them is stale.
      forgetSession(context.ctx.botId, session)
      forgetAgentUser(context, livechatAgentId)
    }
    throw thrown
  })
  context.log.debug('Forwarded a LiveChat agent message to Botpress', {
    livechatChatId,
    livechatEventId,
    livechatAgentId,
    botpressConversationId,
    botpressMessageId: created.id,
  })
}
