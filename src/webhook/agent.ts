import { AgentProfile, getOrCreateAgentUser, nameAgentUser } from '../botpress/agent-user'
import { cacheKey, caches } from '../botpress/caches'
import { describeError } from '../botpress/errors'
import { User } from '../botpress/types'
import { WebhookContext } from './types'

type AgentProps = { livechatAgentId: string; livechatChatId: string }

/**
 * The Botpress user for a LiveChat agent. A profile from the webhook (user_added_to_chat) refreshes it every time;
 * otherwise LiveChat is asked only when the user has no name yet, so a busy chat costs no extra calls.
 */
export const resolveAgentUser = async (
  context: WebhookContext,
  props: AgentProps & { profile?: AgentProfile }
): Promise<User> => {
  const { client, ctx } = context
  const key = agentUserKey(ctx.botId, props.livechatAgentId)
  if (props.profile?.name) {
    const user = await getOrCreateAgentUser(client, props.livechatAgentId, props.profile)
    caches.agentUsers.set(key, user)
    return user
  }
  const known = caches.agentUsers.get(key)
  if (known) return known
  const user = await getOrCreateAgentUser(client, props.livechatAgentId, undefined)
  // Created by this very call, or by a message before any join: LiveChat names it.
  const named = user.name ? user : await nameAgentUser(client, user, await loadAgentProfile(context, props))
  if (named.name) caches.agentUsers.set(key, named)
  return named
}

const agentUserKey = (botId: string, livechatAgentId: string) => cacheKey(botId, 'agent', livechatAgentId)

/** After Botpress answered 404 for the agent's user (deleted): the next message gets or creates it again. */
export const forgetAgentUser = (context: WebhookContext, livechatAgentId: string): void => {
  caches.agentUsers.delete(agentUserKey(context.ctx.botId, livechatAgentId))
}

/**
 * Name and avatar from the chat's users (what the customer sees), else the Configuration API. A failure only costs
 * the name, so it is logged, not thrown.
 */
const loadAgentProfile = async (
  { liveChat, log }: WebhookContext,
  { livechatAgentId, livechatChatId }: AgentProps
): Promise<AgentProfile> => {
  try {
    const chat = await liveChat().agent.getChat({ chat_id: livechatChatId })
    const agent = chat.users?.find((user) => user.id === livechatAgentId)
    if (agent?.name) return { name: agent.name, avatar: agent.avatar }
  } catch (thrown) {
    log.debug('Could not read the agent from the LiveChat chat', {
      livechatAgentId,
      livechatChatId,
      ...describeError(thrown),
    })
  }
  try {
    const agent = await liveChat().configuration.getAgent({ id: livechatAgentId })
    return { name: agent.name, avatar: agent.avatar ?? agent.avatar_path }
  } catch (thrown) {
    log.warn('Could not read the LiveChat agent’s name', { livechatAgentId, ...describeError(thrown) })
    return {}
  }
}
