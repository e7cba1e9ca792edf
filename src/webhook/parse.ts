import { LiveChatWebhook, WebhookEnvelope, parseWebhook } from '../livechat'
import { Result, fail, ok } from './result'
import { HandlerProps, Rejection } from './types'

/** LiveChat webhook bodies are a few KB; anything far above is not LiveChat and is refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024

export type JsonObject = Record<string, unknown>

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Size, then JSON: the secret lives inside the body, so it has to be decoded before it can be checked. */
export const readJsonBody = (req: HandlerProps['req']): Result<JsonObject, Rejection> => {
  // Read defensively: the runtime's envelope is typed, but it reaches us as JSON from another service.
  const method: unknown = req.method
  if (typeof method === 'string' && method.toUpperCase() !== 'POST') {
    return fail({ status: 405, reason: `LiveChat webhooks are POST requests, not ${method}` })
  }
  const raw: unknown = req.body
  if (isJsonObject(raw)) {
    // A relay that already decoded the JSON: nothing to read, verification and parsing still apply.
    return ok(raw)
  }
  const body = typeof raw === 'string' ? raw : ''
  if (!body.trim()) {
    return fail({ status: 400, reason: 'Empty body: expected a LiveChat webhook (JSON)' })
  }
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    return fail({ status: 413, reason: `Body larger than ${MAX_BODY_BYTES} bytes` })
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return fail({ status: 400, reason: 'Malformed JSON body' })
  }
  if (!isJsonObject(json)) {
    return fail({ status: 400, reason: 'The body is not a JSON object' })
  }
  return ok(json)
}

export type ParsedWebhook =
  | { kind: 'handled'; webhook: LiveChatWebhook }
  | { kind: 'unhandled'; envelope: WebhookEnvelope }

/** The documented shape of the action (zod, from src/livechat): a missing field is a 400 naming it. */
export const parseVerifiedWebhook = (json: JsonObject): Result<ParsedWebhook, Rejection> => {
  const parsed = parseWebhook(json)
  if (parsed.kind === 'malformed') {
    return fail({ status: 400, reason: parsed.error })
  }
  return ok(parsed)
}
