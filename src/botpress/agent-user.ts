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

const profileOf = (profile: AgentProfile | undefined) => ({
  name: profile?.name?.trim() || undefined,
  pictureUrl: avatarUrlOf(profile?.avatar),
})

/**
 * The Botpress user of a LiveChat agent (the HITL plugin shows its name and picture to the end user), found by the
 * `agentId` tag only (get-or-create matches every tag given), then renamed when LiveChat shows another profile.
 */
export const getOrCreateAgentUser = async (
  client: Client,
  livechatAgentId: string,
  profile: AgentProfile | undefined
): Promise<User> => {
  const { user } = await client.getOrCreateUser({ tags: { agentId: livechatAgentId }, ...profileOf(profile) })
  return nameAgentUser(client, user, profile)
}

/** Gives an agent's Botpress user the name and avatar LiveChat shows; one update, and only when they changed. */
export const nameAgentUser = (client: Client, user: User, profile: AgentProfile | undefined): Promise<User> =>
  refreshUserProfile(client, user, profileOf(profile))
