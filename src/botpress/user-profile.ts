import { Client, User } from './types'

/** Keeps a user's name and picture as the other side shows them: one update when changed, never a blank. */
export const refreshUserProfile = async (
  client: Client,
  user: User,
  profile: { name?: string; pictureUrl?: string }
): Promise<User> => {
  const nameChanged = profile.name !== undefined && user.name !== profile.name
  const pictureChanged = profile.pictureUrl !== undefined && user.pictureUrl !== profile.pictureUrl
  if (!nameChanged && !pictureChanged) return user
  const { user: updated } = await client.updateUser({
    id: user.id,
    tags: {}, // required by the typed client; an empty object changes none
    ...(nameChanged && { name: profile.name }),
    ...(pictureChanged && { pictureUrl: profile.pictureUrl }),
  })
  return updated
}
