import { notFound } from '../errors'
import { Route, parseBody, route, tagsFromQuery } from '../router'
import { createConversationBody, updateConversationBody } from '../schemas'
import { Store, mergeTags, newId, now, tagsMatch } from '../store'
import { Conversation } from '../types'

export const getConversationOr404 = (store: Store, id: string): Conversation => {
  const conversation = store.findConversation(id)
  if (!conversation) throw notFound(`Conversation ${id}`)
  return conversation
}

export const createConversation = (
  store: Store,
  fields: { channel: string; tags: Conversation['tags']; integration: string }
): Conversation => {
  const at = now()
  const conversation: Conversation = { id: newId(), createdAt: at, updatedAt: at, ...fields }
  store.conversations.push(conversation)
  return conversation
}

const sortKeys = ['createdAt', 'updatedAt'] as const

export const conversationRoutes: Route[] = [
  route('POST', '/v1/chat/conversations', (ctx) => {
    const { channel, tags, integrationName } = parseBody(createConversationBody, ctx.body)
    const integration = ctx.caller.integrationName ?? integrationName ?? 'unknown'
    return { conversation: createConversation(ctx.store, { channel, tags, integration }) }
  }),
  route('POST', '/v1/chat/conversations/get-or-create', (ctx) => {
    const { channel, tags, integrationName } = parseBody(createConversationBody, ctx.body)
    const integration = ctx.caller.integrationName ?? integrationName ?? 'unknown'
    // The cloud matches on the channel plus every tag given; with no tag, nothing identifies a conversation.
    const found =
      Object.keys(tags).length > 0
        ? ctx.store.conversations.find(
            (c) => c.channel === channel && c.integration === integration && tagsMatch(c.tags, tags)
          )
        : undefined
    return { conversation: found ?? createConversation(ctx.store, { channel, tags, integration }) }
  }),
  route('GET', '/v1/chat/conversations/:id', (ctx) => ({
    conversation: getConversationOr404(ctx.store, ctx.param('id')),
  })),
  route('PUT', '/v1/chat/conversations/:id', (ctx) => {
    const conversation = getConversationOr404(ctx.store, ctx.param('id'))
    const update = parseBody(updateConversationBody, ctx.body)
    conversation.tags = mergeTags(conversation.tags, update.tags)
    if (update.currentTaskId !== undefined) conversation.currentTaskId = update.currentTaskId
    conversation.updatedAt = now()
    return { conversation }
  }),
  route('GET', '/v1/chat/conversations', (ctx) => {
    const tags = tagsFromQuery(ctx.query)
    const integrationName = ctx.query.get('integrationName')
    const participantIds = ctx.query.getAll('participantIds')
    // Participants are approximated by message authors: the emulator has no participant list.
    const hasParticipants = (c: Conversation) =>
      participantIds.every((id) => ctx.store.messages.some((m) => m.conversationId === c.id && m.userId === id))
    const conversations = ctx.store.conversations.filter(
      (c) => tagsMatch(c.tags, tags) && (!integrationName || c.integration === integrationName) && hasParticipants(c)
    )
    const sortField = sortKeys.find((k) => k === ctx.query.get('sortField'))
    if (sortField) {
      const sign = ctx.query.get('sortDirection') === 'desc' ? -1 : 1
      conversations.sort((a, b) => sign * a[sortField].localeCompare(b[sortField]))
    }
    return { conversations, meta: {} }
  }),
  route('DELETE', '/v1/chat/conversations/:id', (ctx) => {
    const conversation = getConversationOr404(ctx.store, ctx.param('id'))
    ctx.store.conversations.splice(ctx.store.conversations.indexOf(conversation), 1)
    return {}
  }),
]
