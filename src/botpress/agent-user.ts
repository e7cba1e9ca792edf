import { Client, User } from './types'
import { refreshUserProfile } from './user-profile'

export type AgentProfile = { name?: string; avatar?: string }

/** LiveChat avatars often come without a scheme (`cdn.livechatinc.com/avatars/1.png`); Botpress needs a URL. */
const avatarUrlOf = (avatar: string | undefined): string | undefined => {
  const trimmed = avatar?.trim()
  if (!trimmed) return undefined
  if (/^https?:\/\//i.test(trimmed)) return trimmed
  return `https://${trimmed.replace(/^\/+/, '')}`
}

/**
 * The Botpress user that stands for a LiveChat agent, found by the `agentId` tag only (client 0.29.1 has no
 * `discriminateByTags`: get-or-create matches every tag given), then renamed when LiveChat shows another name or avatar.
 * The HITL plugin shows this name to the end user and uses the picture to impersonate the agent in webchat.
 */
export const getOrCreateAgentUser = async (
  client: Client,
  livechatAgentId: string,
  profile: AgentProfile | undefined
): Promise<User> => {
  const name = profile?.name?.trim() || undefined
  const pictureUrl = avatarUrlOf(profile?.avatar)
  const { user } = await client.getOrCreateUser({ tags: { agentId: livechatAgentId }, name, pictureUrl })
  return nameAgentUser(client, user, profile)
}

/** Gives an agent's Botpress user the name and avatar LiveChat shows; one update, and only when they changed. */
export const nameAgentUser = (client: Client, user: User, profile: AgentProfile | undefined): Promise<User> =>
  refreshUserProfile(client, user, {
    name: profile?.name?.trim() || undefined,
    pictureUrl: avatarUrlOf(profile?.avatar),
  })
