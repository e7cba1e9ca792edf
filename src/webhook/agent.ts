import { AgentProfile, getOrCreateAgentUser, nameAgentUser } from '../botpress/agent-user'
import { cacheKey, caches } from '../botpress/caches'
import { User } from '../botpress/types'
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
