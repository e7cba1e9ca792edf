import { AgentProfile, getOrCreateAgentUser } from '../botpress/agent-user'
import { writeSession } from '../botpress/session-state'
import { User } from '../botpress/types'
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
  const { client } = context
  const { livechatAgentId } = props
  if (props.profile?.name) {
    return getOrCreateAgentUser(client, livechatAgentId, props.profile)
  }
  const user = await getOrCreateAgentUser(client, livechatAgentId, undefined)
  if (user.name) {
    return user
  }
  return getOrCreateAgentUser(client, livechatAgentId, await loadAgentProfile(context, props))
}

/**
 * - `join`: an agent joined or wrote. Announce them unless they were already announced in this thread; a second
 *   agent chiming in (supervisor) does not take the chat from the first.
 * - `transfer`: the chat was handed to this agent. Announce unless they are the one holding it now, so that A -> B -> A
 *   gives the plugin three assignments.
 */
export type AssignmentKind = 'join' | 'transfer'

/**
 * Emits `hitlAssigned` once per agent and thread. The list in the session state is the memory; its last entry is the
 * agent who holds the chat now. The first agent message re-asserts the assignment on purpose: events caused during
 * startHitl can reach the plugin before it marks the session active, and it drops them.
 */
export const announceAgent = async (
  { client, log }: WebhookContext,
  bridged: BridgedChat,
  props: { livechatAgentId: string; agentUser: User; kind: AssignmentKind }
): Promise<void> => {
  const { botpressConversationId, session } = bridged
  const { livechatAgentId, agentUser, kind } = props
  const assigned = session.assignedAgentIds
  const already = kind === 'transfer' ? assigned.at(-1) === livechatAgentId : assigned.includes(livechatAgentId)
  if (already) {
    return
  }
  await client.createEvent({
    type: 'hitlAssigned',
    payload: { conversationId: botpressConversationId, userId: agentUser.id },
  })
  const assignedAgentIds = [...assigned.filter((id) => id !== livechatAgentId), livechatAgentId]
  await writeSession(client, botpressConversationId, { ...session, assignedAgentIds })
  log.info('A LiveChat agent took the HITL conversation', {
    botpressConversationId,
    botpressUserId: agentUser.id,
    livechatAgentId,
    livechatChatId: session.livechatChatId,
  })
}
