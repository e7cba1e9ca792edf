import { z } from 'zod'

/**
 * Shapes shared by the Agent API, the Customer API and webhooks (v3.6 data structures). Every object is
 * `.passthrough()`: LiveChat adds fields between versions and a new field must never break a delivery.
 */

/**
 * `{"<namespace>": {"<name>": <value>}}`
 * @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#properties
 */
export const propertiesSchema = z.record(z.string(), z.record(z.string(), z.unknown()))
export type Properties = z.infer<typeof propertiesSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#access */
export const accessSchema = z.object({ group_ids: z.array(z.number()).optional() }).passthrough()
export type Access = z.infer<typeof accessSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#events */
const eventBaseShape = {
  id: z.string(),
  custom_id: z.string().optional(),
  /** Always sent by LiveChat, but nothing here reads it: its absence must not refuse an agent's message. */
  created_at: z.string().optional(),
  /** Absent on system messages. */
  author_id: z.string().optional(),
  visibility: z.string().optional(),
  properties: propertiesSchema.optional(),
}

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#message */
const messageEventSchema = z
  .object({
    ...eventBaseShape,
    type: z.literal('message'),
    text: z.string(),
    postback: z
      .object({
        id: z.string(),
        thread_id: z.string().optional(),
        event_id: z.string().optional(),
        type: z.string().optional(),
        value: z.string().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough()

/** A file as a `file` event and a rich message `image` describe it. */
const fileShape = {
  url: z.string(),
  name: z.string().optional(),
  content_type: z.string().optional(),
  size: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  alternative_text: z.string().optional(),
}

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#file */
const fileEventSchema = z
  .object({
    ...eventBaseShape,
    type: z.literal('file'),
    ...fileShape,
    thumbnail_url: z.string().optional(),
    thumbnail2x_url: z.string().optional(),
  })
  .passthrough()
export type FileEvent = z.infer<typeof fileEventSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#rich-message */
const richMessageButtonSchema = z
  .object({
    text: z.string().optional(),
    type: z.string().optional(),
    value: z.string().optional(),
    postback_id: z.string().optional(),
    user_ids: z.array(z.string()).optional(),
    webview_height: z.string().optional(),
    target: z.string().optional(),
  })
  .passthrough()
export type RichMessageButton = z.infer<typeof richMessageButtonSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#rich-message */
const richMessageElementSchema = z
  .object({
    title: z.string().optional(),
    subtitle: z.string().optional(),
    image: z.object(fileShape).passthrough().optional(),
    buttons: z.array(richMessageButtonSchema).optional(),
  })
  .passthrough()
export type RichMessageElement = z.infer<typeof richMessageElementSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#rich-message */
const richMessageEventSchema = z
  .object({
    ...eventBaseShape,
    type: z.literal('rich_message'),
    template_id: z.string(),
    elements: z.array(richMessageElementSchema).optional(),
  })
  .passthrough()
export type RichMessageEvent = z.infer<typeof richMessageEventSchema>

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#system-message */
const systemMessageEventSchema = z
  .object({
    ...eventBaseShape,
    type: z.literal('system_message'),
    system_message_type: z.string(),
    text: z.string().optional(),
    text_vars: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#filled-form */
const filledFormEventSchema = z
  .object({
    ...eventBaseShape,
    type: z.literal('filled_form'),
    form_id: z.string().optional(),
    form_type: z.string().optional(),
    fields: z
      .array(
        z
          .object({
            type: z.string(),
            id: z.string().optional(),
            label: z.string().optional(),
            answer: z.unknown().optional(),
            answers: z.array(z.unknown()).optional(),
          })
          .passthrough()
      )
      .optional(),
  })
  .passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#custom */
const customEventSchema = z
  .object({
    ...eventBaseShape,
    type: z.literal('custom'),
    content: z.unknown().optional(),
  })
  .passthrough()

/**
 * Any other event type (`form`, v3.6 `system`, `deleted_event`, and whatever comes next). Its `type` is reported
 * as `'other'` and the LiveChat type is kept in `original_type`, so that `switch (event.type)` narrows the known
 * events (a catch-all with `type: string` would stop TypeScript from narrowing any of them).
 */
const otherEventSchema = z
  .object({
    ...eventBaseShape,
    type: z.string(),
  })
  .passthrough()
  .transform(({ type, ...rest }) => ({ ...rest, type: 'other' as const, original_type: type }))

const knownEventSchema = z.discriminatedUnion('type', [
  messageEventSchema,
  fileEventSchema,
  richMessageEventSchema,
  systemMessageEventSchema,
  filledFormEventSchema,
  customEventSchema,
])

/**
 * An event as LiveChat returns it (webhooks, get_chat). A known type must match its documented shape
 * (a `message` without `text` is an error naming `text`); an unknown type is kept as an {@link otherEventSchema}.
 * @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#events
 */
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

/**
 * Agent or customer, as they appear in chats and in `user_added_to_chat`.
 * @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#users
 */
export const chatUserSchema = z
  .object({
    id: z.string(),
    /** Optional: `user_added_to_chat` also names it as `payload.user_type`, which is read first. */
    type: z.string().optional(),
    name: z.string().optional(),
    email: z.string().optional(),
    avatar: z.string().optional(),
    present: z.boolean().optional(),
    events_seen_up_to: z.string().optional(),
    visibility: z.string().optional(),
    /** A customer's `[{"<key>": "<value>"}]`; a shape LiveChat might change must not refuse the whole chat. */
    session_fields: z.array(z.record(z.string(), z.unknown())).optional().catch(undefined),
  })
  .passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#thread */
const threadSchema = z
  .object({
    id: z.string(),
    created_at: z.string().optional(),
    active: z.boolean().optional(),
    user_ids: z.array(z.string()).optional(),
    /** Absent when `restricted_access` is set. */
    events: z.array(eventSchema).optional(),
    properties: propertiesSchema.optional(),
    access: accessSchema.optional(),
    previous_thread_id: z.string().optional(),
    next_thread_id: z.string().optional(),
    tags: z.array(z.string()).optional(),
    queue: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api/data-structures#chat */
export const chatSchema = z
  .object({
    id: z.string(),
    users: z.array(chatUserSchema).optional(),
    thread: threadSchema.optional(),
    properties: propertiesSchema.optional(),
    access: accessSchema.optional(),
    is_followed: z.boolean().optional(),
  })
  .passthrough()
export type Chat = z.infer<typeof chatSchema>

/** An event we send, with the fields every one may carry; LiveChat sets `id`, `author_id` and `created_at`. */
type Sent<Event> = Event & { visibility?: 'all' | 'agents'; custom_id?: string; properties?: Properties }

type SystemMessage = {
  type: 'system_message'
  text?: string
  system_message_type?: string
  text_vars?: Record<string, string>
}

/**
 * Events we send (typed, not validated: they are ours). No `properties` on the system messages we send.
 * @see https://platform.text.com/docs/messaging/customer-chat-api/data-structures#events
 */
export type OutgoingEvent =
  | Sent<{ type: 'message'; text: string }>
  | Sent<{ type: 'file'; url: string; alternative_text?: string }>
  | Sent<{ type: 'rich_message'; template_id: string; elements: RichMessageElement[] }>
  | Omit<Sent<SystemMessage>, 'properties'>
  | Sent<{ type: 'custom'; content?: unknown }>

/** Methods documented as "No response payload (200 OK)" answer `{}`; we accept any object. */
export const emptyResponseSchema = z.object({}).passthrough()

/** `{"url": "https://cdn.livechat-files.com/…"}` @see https://platform.text.com/docs/messaging/agent-chat-api#upload-file */
export const uploadFileResponseSchema = z.object({ url: z.string() }).passthrough()

/** @see https://platform.text.com/docs/messaging/agent-chat-api#send-event */
export const sendEventResponseSchema = z.object({ event_id: z.string() }).passthrough()
