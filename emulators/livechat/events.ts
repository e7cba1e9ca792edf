import { z } from 'zod'
import { fail } from './errors'
import type { Json, JsonObject, StoredFile } from './store'

// Request shapes of events, v3.6 data structures:
// src/pages/messaging/agent-chat-api/data-structures/index.mdx and .../customer-chat-api/data-structures/index.mdx.

const MAX_TEXT_BYTES = 16 * 1024
const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(json)])
)
const properties = z.record(z.record(json))
const common = {
  custom_id: z.string().optional(),
  visibility: z.enum(['all', 'agents']).optional(),
  properties: properties.optional(),
}

const message = z.object({
  ...common,
  type: z.literal('message'),
  text: z.string().min(1),
  postback: z
    .object({
      id: z.string(),
      thread_id: z.string(),
      event_id: z.string(),
      type: z.string().optional(),
      value: z.string().optional(),
    })
    .optional(),
})

const file = z.object({ ...common, type: z.literal('file'), url: z.string(), alternative_text: z.string().optional() })

const button = z
  .object({
    text: z.string(),
    type: z.enum(['webview', 'message', 'url', 'phone']),
    value: z.string(),
    webview_height: z.enum(['compact', 'full', 'tall']).optional(),
    postback_id: z.string(),
    user_ids: z.array(z.string()),
    target: z.enum(['new', 'current']).optional(),
  })
  // The docs mark webview_height "required only for the webview button type".
  .refine((b) => b.type !== 'webview' || b.webview_height !== undefined, 'webview buttons need webview_height')

const richMessage = z.object({
  ...common,
  type: z.literal('rich_message'),
  template_id: z.enum(['cards', 'quick_replies', 'sticker']),
  elements: z
    .array(
      z.object({
        title: z.string().optional(),
        subtitle: z.string().optional(),
        image: z
          .object({
            url: z.string(),
            name: z.string().optional(),
            content_type: z.string().optional(),
            size: z.number().optional(),
            width: z.number().optional(),
            height: z.number().optional(),
            alternative_text: z.string().optional(),
          })
          .optional(),
        buttons: z.array(button).max(13).optional(),
      })
    )
    .max(10)
    .optional(),
})

const systemMessage = z.object({
  ...common,
  type: z.literal('system_message'),
  system_message_type: z.string().min(1),
  text: z.string().optional(),
  text_vars: z.record(z.string()).optional(),
})

// Types the HITL bridge does not use are accepted as documented but only loosely checked.
const other = z.object({ ...common, type: z.enum(['custom', 'filled_form', 'form']) }).passthrough()

export const eventRequestSchema = z.discriminatedUnion('type', [message, file, richMessage, systemMessage, other])
export type EventRequest = z.infer<typeof eventRequestSchema>

export type EventContext = {
  authorId: string | undefined
  /** Customer events carry no `visibility` (customer data structures v3.6). */
  customerAuthor: boolean
  findFile: (url: string) => StoredFile | undefined
}

const isImage = (f: StoredFile): boolean => f.contentType.startsWith('image/')

/** Validates a request event and turns it into the stored (response) shape, minus id and created_at. */
export const buildEvent = (raw: unknown, ctx: EventContext): JsonObject & { type: string } => {
  const parsed = eventRequestSchema.safeParse(raw)
  if (!parsed.success) return fail('validation', `Invalid event: ${parsed.error.issues[0]?.message ?? 'bad shape'}`)
  const ev = parsed.data
  const base: JsonObject = {
    ...(ev.custom_id !== undefined ? { custom_id: ev.custom_id } : {}),
    visibility: ctx.customerAuthor ? 'all' : (ev.visibility ?? 'all'),
    ...(ev.properties ? { properties: ev.properties } : {}),
    // System messages have no author (agent data structures, "System message" response table).
    ...(ev.type !== 'system_message' && ctx.authorId ? { author_id: ctx.authorId } : {}),
  }
  switch (ev.type) {
    case 'message': {
      if (Buffer.byteLength(ev.text, 'utf8') > MAX_TEXT_BYTES) fail('validation', 'Message text exceeds 16 KB')
      return { ...base, type: 'message', text: ev.text, ...(ev.postback ? { postback: ev.postback } : {}) }
    }
    case 'file': {
      // "Has to point to the LiveChat CDN": only URLs returned by this emulator's upload_file qualify.
      const stored = ctx.findFile(ev.url)
      if (!stored) return fail('validation', '`url` must point to the LiveChat CDN (use upload_file)')
      const imageFields: JsonObject = isImage(stored)
        ? {
            thumbnail_url: `${ev.url}?thumbnail=1`,
            thumbnail2x_url: `${ev.url}?thumbnail=2`,
            size: stored.content.length,
            ...(stored.width !== undefined ? { width: stored.width } : {}),
            ...(stored.height !== undefined ? { height: stored.height } : {}),
            ...(ev.alternative_text !== undefined ? { alternative_text: ev.alternative_text } : {}),
          }
        : {}
      return { ...base, type: 'file', name: stored.name, url: ev.url, content_type: stored.contentType, ...imageFields }
    }
    case 'rich_message': {
      const { custom_id: _c, visibility: _v, properties: _p, ...rest } = ev
      return { ...base, ...(JSON.parse(JSON.stringify(rest)) as JsonObject), type: ev.type }
    }
    case 'system_message':
      return {
        ...base,
        type: 'system_message',
        system_message_type: ev.system_message_type,
        ...(ev.text !== undefined ? { text: ev.text } : {}),
        ...(ev.text_vars ? { text_vars: ev.text_vars } : {}),
      }
    default: {
      const { custom_id: _c, visibility: _v, properties: _p, ...rest } = ev
      return { ...base, ...(JSON.parse(JSON.stringify(rest)) as JsonObject), type: ev.type }
    }
  }
}

/** Width and height from PNG, GIF or JPEG headers, so image file events carry them like LiveChat's CDN does. */
export const imageSize = (buf: Buffer): { width: number; height: number } | undefined => {
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47)
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
  if (buf.length >= 10 && buf.toString('ascii', 0, 3) === 'GIF')
    return { width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return undefined
      const marker = buf[i + 1] ?? 0
      const length = buf.readUInt16BE(i + 2)
      if (marker >= 0xc0 && marker <= 0xc3) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) }
      i += 2 + length
    }
  }
  return undefined
}
