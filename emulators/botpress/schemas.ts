import { z } from 'zod'

/** Request bodies of the runtime API (client 0.29.1 `parseReq`); unknown keys are dropped as the client never sends any. */

const tags = z.record(z.string())
const jsonObject = z.record(z.unknown())

export const createUserBody = z.object({
  tags,
  integrationName: z.string().optional(),
  name: z.string().optional(),
  pictureUrl: z.string().optional(),
})

export const updateUserBody = z.object({
  tags: tags.optional(),
  name: z.string().optional(),
  pictureUrl: z.string().nullable().optional(),
})

export const createConversationBody = z.object({
  channel: z.string().min(1),
  tags,
  integrationName: z.string().optional(),
})

export const updateConversationBody = z.object({
  currentTaskId: z.string().optional(),
  tags: tags.optional(),
})

export const createMessageBody = z.object({
  payload: jsonObject,
  userId: z.string().min(1),
  conversationId: z.string().min(1),
  type: z.string().min(1),
  tags,
  schedule: z.object({ dateTime: z.string().optional(), delay: z.number().optional() }).optional(),
})

export const updateMessageBody = z.object({ tags })

export const stateTypeSchema = z.enum(['conversation', 'user', 'bot', 'task', 'integration'])

export const setStateBody = z.object({ payload: jsonObject.nullable(), expiry: z.number().int().positive().optional() })

export const getOrSetStateBody = z.object({ payload: jsonObject, expiry: z.number().int().positive().optional() })

export const patchStateBody = z.object({ payload: jsonObject })

export const createEventBody = z.object({
  type: z.string().min(1),
  payload: jsonObject,
  schedule: z.object({ dateTime: z.string().optional(), delay: z.number().optional() }).optional(),
  conversationId: z.string().optional(),
  userId: z.string().optional(),
  messageId: z.string().optional(),
})

const accessPolicies = z.array(z.enum(['integrations', 'public_content']))

export const upsertFileBody = z.object({
  key: z.string().min(1),
  size: z.number().int().nonnegative(),
  tags: tags.optional(),
  index: z.boolean().optional(),
  accessPolicies: accessPolicies.optional(),
  contentType: z.string().optional(),
  expiresAt: z.string().optional(),
})

export const updateFileBody = z.object({
  tags: z.record(z.string().nullable()).optional(),
  accessPolicies: accessPolicies.optional(),
  expiresAt: z.string().nullable().optional(),
})
