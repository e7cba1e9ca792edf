import { z } from '@botpress/sdk'
import { describe, expect, it } from 'vitest'
import definition from '../../integration.definition'
import { configuration } from '../../src/definitions/configuration'
import { hitlInterface } from '../../src/definitions/hitl-interface'

/**
 * The hitl 2.1.0 contract is declared in this project (the pinned SDK only ships 0.2.0). These tests pin its public
 * shape, field by field, so that an edit that drifts from what today's HITL plugin expects fails here.
 */

type Shape = Record<string, z.ZodTypeAny>

/** `{ field: 'required' | 'optional' }` of an object schema. */
const fieldsOf = (schema: z.ZodTypeAny): Record<string, 'required' | 'optional'> => {
  const shape = (schema as z.AnyZodObject).shape as Shape
  return Object.fromEntries(
    Object.entries(shape).map(([key, value]) => [key, value.isOptional() ? 'optional' : 'required'])
  )
}

type ObjectSchema = { schema: z.ZodTypeAny }
type Resolved = {
  actions: Record<string, { input: ObjectSchema; output: ObjectSchema }>
  events: Record<string, ObjectSchema>
  channels: Record<string, { messages: Record<string, ObjectSchema> }>
}

/** SDK 0.10.10's `ResolvedInterface` type swaps its actions and events arguments, so the result is read as records. */
const resolved: Resolved = hitlInterface.resolve({
  entities: { hitlSession: { name: 'hitlSession', schema: z.object({ groupId: z.number().optional() }) } },
}).resolved as unknown as Resolved

/** A record's entry, or a failure naming what is missing. */
const get = <T>(record: Record<string, T> | undefined, key: string): T => {
  const value = record?.[key]
  if (value === undefined) throw new Error(`${key} is not declared`)
  return value
}

describe('the hitl interface declaration', () => {
  it('is hitl 2.1.0 with the hitlSession entity', () => {
    expect(hitlInterface.name).toBe('hitl')
    expect(hitlInterface.version).toBe('2.1.0')
    expect(Object.keys(hitlInterface.entities)).toEqual(['hitlSession'])
  })

  it('declares createUser, startHitl and stopHitl with the 2.1.0 inputs and outputs', () => {
    expect(Object.keys(resolved.actions).sort()).toEqual(['createUser', 'startHitl', 'stopHitl'])
    expect(fieldsOf(get(resolved.actions, 'createUser').input.schema)).toEqual({
      name: 'required',
      pictureUrl: 'optional',
      email: 'optional',
    })
    expect(fieldsOf(get(resolved.actions, 'createUser').output.schema)).toEqual({ userId: 'required' })
    expect(fieldsOf(get(resolved.actions, 'startHitl').input.schema)).toEqual({
      userId: 'required',
      title: 'optional',
      description: 'optional',
      hitlSession: 'optional',
      messageHistory: 'required',
    })
    expect(fieldsOf(get(resolved.actions, 'startHitl').output.schema)).toEqual({ conversationId: 'required' })
    expect(fieldsOf(get(resolved.actions, 'stopHitl').input.schema)).toEqual({ conversationId: 'required' })
    expect(fieldsOf(get(resolved.actions, 'stopHitl').output.schema)).toEqual({})
  })

  it('accepts every default message type in messageHistory, with a user or bot source', () => {
    const history = (get(resolved.actions, 'startHitl').input.schema as z.AnyZodObject).shape
      .messageHistory as z.ZodTypeAny
    const entries = [
      { source: { type: 'user', userId: 'u1' }, type: 'text', payload: { text: 'hi' } },
      { source: { type: 'bot' }, type: 'markdown', payload: { markdown: '**hi**' } },
      { source: { type: 'bot' }, type: 'image', payload: { imageUrl: 'https://example.com/a.png' } },
      { source: { type: 'bot' }, type: 'audio', payload: { audioUrl: 'https://example.com/a.mp3' } },
      { source: { type: 'bot' }, type: 'video', payload: { videoUrl: 'https://example.com/a.mp4' } },
      { source: { type: 'bot' }, type: 'file', payload: { fileUrl: 'https://example.com/a.pdf', title: 'a.pdf' } },
      { source: { type: 'bot' }, type: 'location', payload: { latitude: 1, longitude: 2 } },
      { source: { type: 'bot' }, type: 'card', payload: { title: 'Card', actions: [] } },
      { source: { type: 'bot' }, type: 'carousel', payload: { items: [{ title: 'Card', actions: [] }] } },
      { source: { type: 'bot' }, type: 'choice', payload: { text: 'Pick', options: [{ label: 'A', value: 'a' }] } },
      { source: { type: 'bot' }, type: 'dropdown', payload: { text: 'Pick', options: [{ label: 'A', value: 'a' }] } },
      { source: { type: 'bot' }, type: 'bloc', payload: { items: [{ type: 'text', payload: { text: 'hi' } }] } },
    ]
    expect(history.safeParse(entries).success).toBe(true)
    expect(history.safeParse([{ source: { type: 'agent' }, type: 'text', payload: { text: 'x' } }]).success).toBe(false)
  })

  it('declares hitlAssigned and hitlStopped with their payloads', () => {
    expect(Object.keys(resolved.events).sort()).toEqual(['hitlAssigned', 'hitlStopped'])
    expect(fieldsOf(get(resolved.events, 'hitlAssigned').schema)).toEqual({
      conversationId: 'required',
      userId: 'required',
    })
    expect(fieldsOf(get(resolved.events, 'hitlStopped').schema)).toEqual({ conversationId: 'required' })
  })

  it('declares the hitl channel with six message types, each with optional userId and additionalData', () => {
    const messages = get(resolved.channels, 'hitl').messages
    expect(Object.keys(messages).sort()).toEqual(['audio', 'bloc', 'file', 'image', 'text', 'video'])
    for (const message of Object.values(messages)) {
      const fields = fieldsOf(message.schema)
      expect(fields.userId).toBe('optional')
      expect(fields.additionalData).toBe('optional')
    }
    const text = get(messages, 'text').schema
    expect(text.safeParse({ text: 'hi', additionalData: 'x'.repeat(500) }).success).toBe(true)
    expect(text.safeParse({ text: 'hi', additionalData: 'x'.repeat(501) }).success).toBe(false)
  })
})

describe('the integration definition', () => {
  it('implements hitl 2.1.0 with its own hitlSession entity', () => {
    const statements = Object.values(definition.interfaces)
    expect(statements).toHaveLength(1)
    expect(statements[0]).toMatchObject({
      name: 'hitl',
      version: '2.1.0',
      entities: { hitlSession: { name: 'hitlSession' } },
    })
  })

  it('keeps the configuration names LiveChat HITL users know', () => {
    expect(fieldsOf(configuration.schema)).toEqual({
      clientId: 'required',
      organizationId: 'required',
      webhookSecret: 'required',
      agentToken: 'required',
      groupId: 'required',
    })
  })

  it('lets one session choose its LiveChat group', () => {
    const input = get(definition.actions, 'startHitl').input.schema as z.AnyZodObject
    const session = input.shape.hitlSession as z.ZodTypeAny
    expect(session.safeParse({ groupId: 7 }).success).toBe(true)
    expect(session.safeParse({ groupId: -1 }).success).toBe(false)
  })

  it('gives one session its context for the agent, every option optional, so the plugin may send none', () => {
    const input = get(definition.actions, 'startHitl').input.schema as z.AnyZodObject
    const session = (input.shape.hitlSession as z.ZodOptional<z.AnyZodObject>).unwrap()
    expect(fieldsOf(session)).toEqual({ groupId: 'optional', sessionFields: 'optional', tags: 'optional' })
    expect(session.safeParse({}).success).toBe(true)
    expect(session.safeParse({ sessionFields: { order: '1234' }, tags: ['vip'] }).success).toBe(true)
    expect(session.safeParse({ sessionFields: { order: 1234 } }).success).toBe(false)
    expect(session.safeParse({ tags: 'vip' }).success).toBe(false)
    // The hitl 2.1.0 startHitl input is unchanged around it.
    expect(fieldsOf(input)).toEqual({
      userId: 'required',
      title: 'optional',
      description: 'optional',
      hitlSession: 'optional',
      messageHistory: 'required',
    })
  })

  it('adds getAvailability and rateSession to the interface’s actions, with no new required configuration', () => {
    expect(Object.keys(definition.actions ?? {}).sort()).toEqual([
      'createUser',
      'getAvailability',
      'rateSession',
      'startHitl',
      'stopHitl',
    ])
    const availability = get(definition.actions, 'getAvailability')
    expect(fieldsOf(availability.input.schema)).toEqual({ groupId: 'optional' })
    expect(fieldsOf(availability.output.schema)).toEqual({ groupId: 'required', status: 'required' })
    expect(availability.output.schema.safeParse({ groupId: 19, status: 'queue' }).success).toBe(true)
    expect(availability.output.schema.safeParse({ groupId: 19, status: 'online_for_queue' }).success).toBe(false)
    const rating = get(definition.actions, 'rateSession')
    expect(fieldsOf(rating.input.schema)).toEqual({
      conversationId: 'required',
      score: 'required',
      comment: 'optional',
    })
    expect(rating.input.schema.safeParse({ conversationId: 'c', score: 'meh' }).success).toBe(false)
  })

  it('accepts on the hitl channel every message type a bot can send', () => {
    expect(Object.keys(get(definition.channels, 'hitl').messages).sort()).toEqual([
      'audio',
      'bloc',
      'card',
      'carousel',
      'choice',
      'dropdown',
      'file',
      'image',
      'location',
      'markdown',
      'text',
      'video',
    ])
  })
})
