import { checkMessagePayload } from '../definition'
import { ApiError, notFound } from '../errors'
import { Route, RouteContext, parseBody, route, tagsFromQuery } from '../router'
import { createMessageBody, updateMessageBody } from '../schemas'
import { Store, mergeTags, newId, now, tagsMatch } from '../store'
import { Message } from '../types'
import { getConversationOr404 } from './conversations'
import { getUserOr404 } from './users'

export const getMessageOr404 = (store: Store, id: string): Message => {
  const message = store.findMessage(id)
  if (!message) throw notFound(`Message ${id}`)
  return message
}

export const storeMessage = (store: Store, fields: Omit<Message, 'id' | 'createdAt'>): Message => {
  const message: Message = { id: newId(), createdAt: now(), ...fields }
  store.messages.push(message)
  return message
}

/** Messages the integration creates come *into* the bot: direction `incoming`. */
const parseNewMessage = (ctx: RouteContext): Omit<Message, 'id' | 'createdAt'> => {
  const { payload, userId, conversationId, type, tags } = parseBody(createMessageBody, ctx.body)
  const conversation = getConversationOr404(ctx.store, conversationId)
  getUserOr404(ctx.store, userId)
  const problem = checkMessagePayload(ctx.caller.definition, conversation.channel, type, payload)
  if (problem) throw new ApiError('InvalidPayload', problem)
  return { type, payload, direction: 'incoming', userId, conversationId, tags }
}

export const messageRoutes: Route[] = [
  route('POST', '/v1/chat/messages', (ctx) => ({ message: storeMessage(ctx.store, parseNewMessage(ctx)) })),
  route('POST', '/v1/chat/messages/get-or-create', (ctx) => {
    const fields = parseNewMessage(ctx)
    // Matches on the conversation plus every tag given (the delivery id), which makes webhook retries idempotent.
    const found =
      Object.keys(fields.tags).length > 0
        ? ctx.store.messages.find((m) => m.conversationId === fields.conversationId && tagsMatch(m.tags, fields.tags))
        : undefined
    return { message: found ?? storeMessage(ctx.store, fields) }
  }),
  route('GET', '/v1/chat/messages/:id', (ctx) => ({ message: getMessageOr404(ctx.store, ctx.param('id')) })),
  // `ack({ tags })` lands here.
  route('PUT', '/v1/chat/messages/:id', (ctx) => {
    const message = getMessageOr404(ctx.store, ctx.param('id'))
    message.tags = mergeTags(message.tags, parseBody(updateMessageBody, ctx.body).tags)
    return { message }
  }),
  route('GET', '/v1/chat/messages', (ctx) => {
    const tags = tagsFromQuery(ctx.query)
    const conversationId = ctx.query.get('conversationId')
    const messages = ctx.store.messages.filter(
      (m) => (!conversationId || m.conversationId === conversationId) && tagsMatch(m.tags, tags)
    )
    return { messages, meta: {} }
  }),
  route('DELETE', '/v1/chat/messages/:id', (ctx) => {
    const message = getMessageOr404(ctx.store, ctx.param('id'))
    ctx.store.messages.splice(ctx.store.messages.indexOf(message), 1)
    return {}
  }),
]
