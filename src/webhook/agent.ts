import { AgentProfile, getOrCreateAgentUser, nameAgentUser } from '../botpress/agent-user'
import { HitlChat, tagHolderAgent } from '../botpress/hitl-conversation'
import { withSessionLock } from '../botpress/session-lock'
import { isSessionStopped, readAssignedAgentIds, writeAssignedAgentIds } from '../botpress/session-states'
import { User } from '../botpress/types'
import { cacheKey, caches } from '../misc/caches'
import { describeError } from '../misc/errors'
import { loadAgentProfile } from './agent-profile'
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
  // Created by this very call, or by a message before any join: LiveChat names it, on the user just returned.
  const named = await nameAgentUser(client, user, await loadAgentProfile(context, props))
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
 * - `join`: an agent joined or wrote. Announce them unless they were already announced in this session; a second
 *   agent chiming in (supervisor) does not take the chat from the first.
 * - `transfer`: the chat was handed to this agent. Announce unless they are the one holding it now, so that A -> B -> A
 *   gives the plugin three assignments.
 */
export type AssignmentKind = 'join' | 'transfer'

export const isAnnounced = (assigned: readonly string[], livechatAgentId: string, kind: AssignmentKind): boolean =>
  kind === 'transfer' ? assigned.at(-1) === livechatAgentId : assigned.includes(livechatAgentId)

/**
 * Emits `hitlAssigned` once per agent and session. The `assignment` state is the memory; its last entry is the agent
 * who holds the chat now, also written to the conversation's `agentId` tag so that a copy that never saw the chat
 * knows it from the lookup that finds the conversation. The first agent message re-asserts the assignment on purpose:
 * events caused during startHitl can reach the plugin before it marks the session active, and it drops them.
 *
 * An agent who writes into a chat they were not in joins it at the same moment: user_added_to_chat and that
 * incoming_event arrive together, possibly on two served copies, and LiveChat may deliver either twice. The decision
 * is therefore taken under the conversation's lease, on freshly read states: exactly one of them announces, and
 * nobody announces into a session that has ended.
 */
export const announceAgent = async (
  context: WebhookContext,
  chat: HitlChat,
  props: { livechatAgentId: string; agentUser: User; kind: AssignmentKind }
): Promise<void> => {
  const { client, log } = context
  const { botpressConversationId } = chat
  const { livechatAgentId, agentUser, kind } = props
  await withSessionLock(client, botpressConversationId, async () => {
    const [assigned, stopped] = await Promise.all([
      readAssignedAgentIds(client, botpressConversationId),
      isSessionStopped(client, botpressConversationId),
    ])
    if (stopped) {
      log.debug('Ignored an agent assignment in a HITL session that has ended', {
        botpressConversationId,
        livechatAgentId,
      })
      return
    }
    if (isAnnounced(assigned, livechatAgentId, kind)) {
      return
    }
    await client.createEvent({
      type: 'hitlAssigned',
      payload: { conversationId: botpressConversationId, userId: agentUser.id },
    })
    const assignedAgentIds = [...assigned.filter((id) => id !== livechatAgentId), livechatAgentId]
    await Promise.all([
      writeAssignedAgentIds(client, botpressConversationId, assignedAgentIds),
      // Only a hint for other copies: without it they read the state instead.
      tagHolderAgent(client, chat, livechatAgentId).catch((thrown: unknown) =>
        log.warn('Could not tag the conversation with the agent holding the chat', {
          botpressConversationId,
          ...describeError(thrown),
        })
      ),
    ])
    log.info('A LiveChat agent took the HITL conversation', {
      botpressConversationId,
      botpressUserId: agentUser.id,
      livechatAgentId,
      livechatChatId: chat.livechatChatId,
    })
  })
}

const settledKey = (context: WebhookContext, chat: HitlChat, livechatAgentId: string) =>
  cacheKey(context.ctx.botId, 'settled', chat.livechatThreadId, livechatAgentId)

/**
 * Whether this process already knows that the agent needs no `hitlAssigned` in this session (announceAgent returned
 * for them). That cannot become false again within a thread, so the agent's next messages skip the state read.
 */
export const isAgentSettled = (context: WebhookContext, chat: HitlChat, livechatAgentId: string): boolean =>
  caches.settledAgents.get(settledKey(context, chat, livechatAgentId)) === true

export const markAgentSettled = (context: WebhookContext, chat: HitlChat, livechatAgentId: string): void =>
  caches.settledAgents.set(settledKey(context, chat, livechatAgentId), true)
