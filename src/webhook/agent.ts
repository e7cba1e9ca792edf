import { AgentProfile, getOrCreateAgentUser } from '../botpress/agent-user'
import { withSessionLock } from '../botpress/session-lock'
import { readSession, writeSession } from '../botpress/session-state'
import { User } from '../botpress/types'
import { cacheKey, caches } from '../misc/caches'
import { loadAgentProfile } from './agent-profile'
import { BridgedChat } from './bridged-chat'
import { WebhookContext } from './types'

/**
 * The Botpress user for a LiveChat agent. With a profile from the webhook (user_added_to_chat) it is refreshed every
 * time; otherwise LiveChat is asked only when the user has no name yet, so a busy chat costs no extra calls.
 */
export const resolveAgentUser = async (
  context: WebhookContext,
  props: { livechatAgentId: string; livechatChatId: string; profile?: AgentProfile }
): Promise<User> => {
  const { client, ctx } = context
  const { livechatAgentId } = props
  const key = agentUserKey(ctx.botId, livechatAgentId)
  if (props.profile?.name) {
    const user = await getOrCreateAgentUser(client, livechatAgentId, props.profile)
    caches.agentUsers.set(key, user)
    return user
  }
  // A named user this process already resolved: every message of a busy chat would otherwise cost this call.
  const known = caches.agentUsers.get(key)
  if (known) {
    return known
  }
  const user = await getOrCreateAgentUser(client, livechatAgentId, undefined)
  if (user.name) {
    caches.agentUsers.set(key, user)
    return user
  }
  const named = await getOrCreateAgentUser(client, livechatAgentId, await loadAgentProfile(context, props))
  if (named.name) {
    caches.agentUsers.set(key, named)
  }
  return named
}

const agentUserKey = (botId: string, livechatAgentId: string) => cacheKey(botId, 'agent', livechatAgentId)

/** After Botpress answered 404 for the agent's user (deleted): the next message gets or creates it again. */
export const forgetAgentUser = (context: WebhookContext, livechatAgentId: string): void => {
  caches.agentUsers.delete(agentUserKey(context.ctx.botId, livechatAgentId))
}

/**
 * - `join`: an agent joined or wrote. Announce them unless they were already announced in this thread; a second
 *   agent chiming in (supervisor) does not take the chat from the first.
 * - `transfer`: the chat was handed to this agent. Announce unless they are the one holding it now, so that A -> B -> A
 *   gives the plugin three assignments.
 */
export type AssignmentKind = 'join' | 'transfer'

const isAnnounced = (assigned: readonly string[], livechatAgentId: string, kind: AssignmentKind): boolean =>
  kind === 'transfer' ? assigned.at(-1) === livechatAgentId : assigned.includes(livechatAgentId)

/**
 * Emits `hitlAssigned` once per agent and thread. The list in the session state is the memory; its last entry is the
 * agent who holds the chat now. The first agent message re-asserts the assignment on purpose: events caused during
 * startHitl can reach the plugin before it marks the session active, and it drops them.
 *
 * An agent who writes into a chat they were not in joins it at the same moment: user_added_to_chat and that
 * incoming_event arrive together, possibly on two served copies, and LiveChat may deliver either twice. The decision
 * is therefore taken again under the conversation's lease, on a freshly read session: exactly one of them announces.
 * The session read by the caller is only a fast path that keeps an ordinary message from taking the lease.
 */
export const announceAgent = async (
  context: WebhookContext,
  bridged: BridgedChat,
  props: { livechatAgentId: string; agentUser: User; kind: AssignmentKind }
): Promise<void> => {
  const { client, log } = context
  const { botpressConversationId } = bridged
  const { livechatAgentId, agentUser, kind } = props
  if (isAnnounced(bridged.session.assignedAgentIds, livechatAgentId, kind)) {
    return
  }
  await withSessionLock(client, botpressConversationId, async () => {
    const session = await readSession(client, botpressConversationId)
    if (!session || session.livechatThreadId !== bridged.session.livechatThreadId) {
      // A new HITL session started meanwhile: this assignment belonged to the previous one.
      return
    }
    if (isAnnounced(session.assignedAgentIds, livechatAgentId, kind)) {
      return
    }
    await client.createEvent({
      type: 'hitlAssigned',
      payload: { conversationId: botpressConversationId, userId: agentUser.id },
    })
    const assignedAgentIds = [...session.assignedAgentIds.filter((id) => id !== livechatAgentId), livechatAgentId]
    await writeSession(client, botpressConversationId, { ...session, assignedAgentIds })
    log.info('A LiveChat agent took the HITL conversation', {
      botpressConversationId,
      botpressUserId: agentUser.id,
      livechatAgentId,
      livechatChatId: session.livechatChatId,
    })
  })
}

const settledKey = (
  context: WebhookContext,
  ids: { livechatChatId: string; livechatThreadId: string; agentId: string }
) => cacheKey(context.ctx.botId, 'settled', ids.livechatChatId, ids.livechatThreadId, ids.agentId)

/**
 * Whether this process already knows that the agent needs no `hitlAssigned` in this thread: announced there (by
 * announceAgent, which returned), or the thread is no longer the session's. Neither can become false again, so the
 * agent's next messages skip the session read.
 */
export const isAgentSettled = (
  context: WebhookContext,
  ids: { livechatChatId: string; livechatThreadId: string; agentId: string }
): boolean => caches.settledAgents.get(settledKey(context, ids)) === true

export const markAgentSettled = (
  context: WebhookContext,
  ids: { livechatChatId: string; livechatThreadId: string; agentId: string }
): void => caches.settledAgents.set(settledKey(context, ids), true)
