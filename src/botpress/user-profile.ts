import { Client, User } from './types'

/**
 * Keeps a Botpress user's name and picture in step with what the other side shows now (the HITL plugin displays them
 * to the end user); one update only when something changed, and never a blank over a known value.
 */
export const refreshUserProfile = async (
  client: Client,
  user: User,
  profile: { name?: string; pictureUrl?: string }
): Promise<User> => {
  const nameChanged = profile.name !== undefined && user.name !== profile.name
  const pictureChanged = profile.pictureUrl !== undefined && user.pictureUrl !== profile.pictureUrl
  if (!nameChanged && !pictureChanged) {
    return user
  }
  const { user: updated } = await client.updateUser({
    id: user.id,
    // `tags` is required by the typed client; an empty object changes none of them.
    tags: {},
    ...(nameChanged && { name: profile.name }),
    ...(pictureChanged && { pictureUrl: profile.pictureUrl }),
  })
  return updated
}
