import type { z } from 'zod'
import { WebhookEnvelope, webhookEnvelopeSchema } from '../livechat'
import { WEBHOOK_ROUTES, routeOf } from './registry'
import { HandlerProps, Rejection, Result, WebhookContext, fail, ok } from './types'

/** LiveChat webhook bodies are a few KB; anything far above is not LiveChat and is refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024

export type JsonObject = Record<string, unknown>

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Size, then JSON: the secret lives inside the body, so it has to be decoded before it can be checked. */
export const readJsonBody = (req: HandlerProps['req']): Result<JsonObject, Rejection> => {
  const method: unknown = req.method // typed, but JSON from another service
  if (typeof method === 'string' && method.toUpperCase() !== 'POST') {
    return fail({ status: 405, reason: `LiveChat webhooks are POST requests, not ${method}` })
  }
  const raw: unknown = req.body
  if (isJsonObject(raw)) return ok(raw) // a relay already decoded it; verification and parsing still apply
  const body = typeof raw === 'string' ? raw : ''
  if (!body.trim()) return fail({ status: 400, reason: 'Empty body: expected a LiveChat webhook (JSON)' })
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    return fail({ status: 413, reason: `Body larger than ${MAX_BODY_BYTES} bytes` })
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return fail({ status: 400, reason: 'Malformed JSON body' })
  }
  return isJsonObject(json) ? ok(json) : fail({ status: 400, reason: 'The body is not a JSON object' })
}

type Handled = Extract<ReturnType<(typeof WEBHOOK_ROUTES)[number]['read']>, { success: true }>

type ParsedWebhook =
  | { kind: 'handled'; webhook: Handled['webhook']; dispatch: (context: WebhookContext) => Promise<void> }
  | { kind: 'unhandled'; envelope: WebhookEnvelope }
  | { kind: 'malformed'; error: string }

const describeIssues = (issues: z.ZodIssue[]): string =>
  issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ')

/** The envelope, then the action's schema (registry.ts). Errors name fields, never values (secret, customer text). */
export const parseWebhook = (json: unknown): ParsedWebhook => {
  const envelope = webhookEnvelopeSchema.safeParse(json)
  if (!envelope.success) {
    return { kind: 'malformed', error: `Not a LiveChat webhook body: ${describeIssues(envelope.error.issues)}` }
  }
  const { action } = envelope.data
  const read = routeOf(action)?.read(json)
  if (!read) return { kind: 'unhandled', envelope: envelope.data }
  if (!read.success) {
    return { kind: 'malformed', error: `Malformed LiveChat ${action} webhook: ${describeIssues(read.issues)}` }
  }
  return { kind: 'handled', webhook: read.webhook, dispatch: read.dispatch }
}
