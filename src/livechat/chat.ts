import { z } from 'zod'

/**
 * The v3.6 chat data structures the Web APIs and webhooks share, with the fields this integration reads. Other fields
 * are never refused (LiveChat adds some between versions): events keep them, the rest drops them.
 * @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures
 */

/** `{"<namespace>": {"<name>": <value>}}` */
export type Properties = Record<string, Record<string, unknown>>

const eventBaseShape = {
  id: z.string(),
  custom_id: z.string().optional(),
  /** Absent on system messages. */
  author_id: z.string().optional(),
  visibility: z.string().optional(),
}

/** Events keep their other fields: a webhook's event is what LiveChat sent, not our digest of it. */
const eventOf = <Shape extends z.ZodRawShape>(shape: Shape) => z.object({ ...eventBaseShape, ...shape }).passthrough()

/** A file as a `file` event and a rich message `image` describe it. */
const fileShape = { url: z.string(), name: z.string().optional(), content_type: z.string().optional() }

const richMessageButtonSchema = z.object({
  text: z.string().optional(),
  type: z.string().optional(),
  value: z.string().optional(),
  postback_id: z.string().optional(),
  user_ids: z.array(z.string()).optional(),
  target: z.string().optional(),
})
export type RichMessageButton = z.infer<typeof richMessageButtonSchema>

const richMessageElementSchema = z.object({
  title: z.string().optional(),
  subtitle: z.string().optional(),
  image: z.object(fileShape).optional(),
  buttons: z.array(richMessageButtonSchema).optional(),
})
export type RichMessageElement = z.infer<typeof richMessageElementSchema>

const fileEventSchema = eventOf({ type: z.literal('file'), ...fileShape })
export type FileEvent = z.infer<typeof fileEventSchema>

const richMessageEventSchema = eventOf({
  type: z.literal('rich_message'),
  template_id: z.string(),
  elements: z.array(richMessageElementSchema).optional(),
})
export type RichMessageEvent = z.infer<typeof richMessageEventSchema>

const knownEventSchema = z.discriminatedUnion('type', [
  eventOf({ type: z.literal('message'), text: z.string() }),
  fileEventSchema,
  richMessageEventSchema,
  eventOf({ type: z.literal('system_message'), system_message_type: z.string() }),
  eventOf({ type: z.literal('filled_form') }),
  eventOf({ type: z.literal('custom') }),
])

/**
 * Any other event type (`form`, `system`, `deleted_event`, whatever comes next) becomes `type: 'other'`, its own kept
 * in `original_type`, so that `switch (event.type)` still narrows the known ones (a `type: string` would not).
 */
const otherEventSchema = eventOf({ type: z.string() }).transform(({ type, ...rest }) => ({
  ...rest,
  type: 'other' as const,
  original_type: type,
}))

/** A known type must match its documented shape (a `message` without `text` is an error naming `text`). */
export const eventSchema = z
  .object({ type: z.string() })
  .passthrough()
  .transform((value, ctx) => {
    const known = knownEventSchema.optionsMap.has(value.type)
    const result = known ? knownEventSchema.safeParse(value) : otherEventSchema.safeParse(value)
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: issue.path, message: issue.message })
      }
      return z.NEVER
    }
    return result.data
  })
export type LiveChatEvent = z.infer<typeof eventSchema>

/** Agent or customer, in chats and in `user_added_to_chat`. */
export const chatUserSchema = z.object({
  id: z.string(),
  type: z.string().optional(),
  name: z.string().optional(),
  avatar: z.string().optional(),
  visibility: z.string().optional(),
  /** A customer's `[{"<key>": "<value>"}]`; a shape LiveChat might change must not refuse the whole chat. */
  session_fields: z.array(z.record(z.string(), z.unknown())).optional().catch(undefined),
})

export const chatSchema = z.object({
  id: z.string(),
  users: z.array(chatUserSchema).optional(),
  thread: z
    .object({
      id: z.string(),
      active: z.boolean().optional(),
      /** Absent when `restricted_access` is set. */
      events: z.array(eventSchema).optional(),
    })
    .optional(),
})
export type Chat = z.infer<typeof chatSchema>

/** An event we send (typed, not validated: it is ours); LiveChat sets `id`, `author_id` and `created_at`. */
type Sent<Event> = Event & { visibility?: 'all' | 'agents'; custom_id?: string; properties?: Properties }
export type OutgoingEvent =
  | Sent<{ type: 'message'; text: string }>
  | Sent<{ type: 'file'; url: string }>
  | Sent<{ type: 'rich_message'; template_id: string; elements: RichMessageElement[] }>
  | Omit<Sent<{ type: 'system_message'; text?: string; system_message_type?: string }>, 'properties'>
