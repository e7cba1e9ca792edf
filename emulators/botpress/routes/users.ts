import { notFound } from '../errors'
import { Route, parseBody, route, tagsFromQuery } from '../router'
import { createUserBody, updateUserBody } from '../schemas'
import { Store, mergeTags, newId, now, tagsMatch } from '../store'
import { User } from '../types'

export const getUserOr404 = (store: Store, id: string): User => {
  const user = store.findUser(id)
  if (!user) throw notFound(`User ${id}`)
  return user
}

const createUser = (store: Store, fields: { tags: User['tags']; name?: string; pictureUrl?: string }): User => {
  const at = now()
  const user: User = { id: newId(), createdAt: at, updatedAt: at, ...fields }
  store.users.push(user)
  return user
}

/** A test helper and the bot-user seed use this too. */
export const seedUser = (
  store: Store,
  fields: { tags?: User['tags']; name?: string; pictureUrl?: string } = {}
): User => createUser(store, { ...fields, tags: fields.tags ?? {} })

const userFields = (body: unknown) => {
  const { tags, name, pictureUrl } = parseBody(createUserBody, body)
  return { tags, name, pictureUrl }
}

export const userRoutes: Route[] = [
  route('POST', '/v1/chat/users', (ctx) => ({ user: createUser(ctx.store, userFields(ctx.body)) })),
  route('POST', '/v1/chat/users/get-or-create', (ctx) => {
    const fields = userFields(ctx.body)
    // With no tag there is nothing to recognise the user by, so every call creates one.
    const found =
      Object.keys(fields.tags).length > 0 ? ctx.store.users.find((u) => tagsMatch(u.tags, fields.tags)) : undefined
    return { user: found ?? createUser(ctx.store, fields) }
  }),
  route('GET', '/v1/chat/users/:id', (ctx) => ({ user: getUserOr404(ctx.store, ctx.param('id')) })),
  route('PUT', '/v1/chat/users/:id', (ctx) => {
    const user = getUserOr404(ctx.store, ctx.param('id'))
    const update = parseBody(updateUserBody, ctx.body)
    user.tags = mergeTags(user.tags, update.tags)
    if (update.name !== undefined) user.name = update.name
    if (update.pictureUrl === null) user.pictureUrl = undefined
    else if (update.pictureUrl !== undefined) user.pictureUrl = update.pictureUrl
    user.updatedAt = now()
    return { user }
  }),
  route('GET', '/v1/chat/users', (ctx) => {
    const tags = tagsFromQuery(ctx.query)
    const conversationId = ctx.query.get('conversationId')
    // Participants are approximated by message authors: the emulator has no participant list.
    const inConversation = (u: User) =>
      !conversationId || ctx.store.messages.some((m) => m.conversationId === conversationId && m.userId === u.id)
    return { users: ctx.store.users.filter((u) => tagsMatch(u.tags, tags) && inConversation(u)), meta: {} }
  }),
  route('DELETE', '/v1/chat/users/:id', (ctx) => {
    const user = getUserOr404(ctx.store, ctx.param('id'))
    ctx.store.users.splice(ctx.store.users.indexOf(user), 1)
    return {}
  }),
]
