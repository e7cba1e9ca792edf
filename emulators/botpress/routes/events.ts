import { checkEventPayload } from '../definition'
import { ApiError, notFound } from '../errors'
import { Route, parseBody, route } from '../router'
import { createEventBody } from '../schemas'
import { newId, now } from '../store'
import { BotpressEvent } from '../types'

/**
 * The typed client sends the type exactly as written, `hitlAssigned` or `livechat-hitl:hitlAssigned`; the cloud
 * knows both. Event names cannot hold a colon, so whatever precedes the last one is the integration prefix.
 */
export const normaliseEventType = (type: string): string => type.slice(type.lastIndexOf(':') + 1)

const filters = ['type', 'conversationId', 'userId', 'messageId', 'status'] as const

export const eventRoutes: Route[] = [
  route('POST', '/v1/chat/events', (ctx) => {
    const { type, payload, conversationId, userId, messageId } = parseBody(createEventBody, ctx.body)
    const normalised = normaliseEventType(type)
    const problem = checkEventPayload(ctx.caller.definition, normalised, payload)
    if (problem) throw new ApiError('InvalidPayload', problem)
    const event: BotpressEvent = {
      id: newId(),
      createdAt: now(),
      type: normalised,
      payload,
      ...(conversationId !== undefined && { conversationId }),
      ...(userId !== undefined && { userId }),
      ...(messageId !== undefined && { messageId }),
      // No bot runs here to process it.
      status: 'pending',
      failureReason: null,
    }
    ctx.store.events.push(event)
    return { event }
  }),
  route('GET', '/v1/chat/events/:id', (ctx) => {
    const event = ctx.store.events.find((e) => e.id === ctx.param('id'))
    if (!event) throw notFound(`Event ${ctx.param('id')}`)
    return { event }
  }),
  route('GET', '/v1/chat/events', (ctx) => {
    const wanted = filters.flatMap((key) => {
      const value = ctx.query.get(key)
      return value === null ? [] : [{ key, value: key === 'type' ? normaliseEventType(value) : value }]
    })
    const events = ctx.store.events.filter((e) => wanted.every(({ key, value }) => e[key] === value))
    return { events, meta: {} }
  }),
]
