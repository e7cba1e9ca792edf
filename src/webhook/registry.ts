import type { z } from 'zod'
import {
  chatDeactivatedWebhookSchema,
  chatTransferredWebhookSchema,
  incomingEventWebhookSchema,
  userAddedToChatWebhookSchema,
} from '../livechat'
import { handleChatDeactivated } from './events/chat-deactivated'
import { handleChatTransferred } from './events/chat-transferred'
import { handleIncomingEvent } from './events/incoming-event'
import { handleUserAddedToChat } from './events/user-added-to-chat'
import type { WebhookContext } from './types'

/** LiveChat accepts the `author_type` filter on `incoming_event` only. */
type WebhookFilters = { author_type?: 'agent' }

/** An action's schema bound to its handler, so that a parsed body can only reach the handler of its own action. */
const route = <A extends string, W extends { action: A }>(
  action: A,
  schema: z.ZodType<W, z.ZodTypeDef, unknown>,
  handle: (context: WebhookContext, webhook: W) => Promise<void>,
  registration: { filters: WebhookFilters; purpose: string }
) => ({
  action,
  ...registration,
  read: (json: unknown): ReadWebhook<W> => {
    const parsed = schema.safeParse(json)
    if (!parsed.success) return { success: false, issues: parsed.error.issues }
    return { success: true, webhook: parsed.data, dispatch: (context) => handle(context, parsed.data) }
  },
})

type ReadWebhook<W> =
  | { success: true; webhook: W; dispatch: (context: WebhookContext) => Promise<void> }
  | { success: false; issues: z.ZodIssue[] }

/**
 * The LiveChat webhook actions handled, each once: schema, handler, registration. The parser, the dispatch and setup's
 * plan all come from here; other actions are answered 200. The order goes into the fingerprint of a registered set
 * (src/setup/webhook-plan.ts): reordering re-registers every install's webhooks once. `author_type: agent` keeps our
 * own customer events and system messages away (platform.text.com/docs/management/configuration-api#register-webhook).
 */
export const WEBHOOK_ROUTES = [
  route('incoming_event', incomingEventWebhookSchema, handleIncomingEvent, {
    filters: { author_type: 'agent' },
    purpose: 'agent messages',
  }),
  route('user_added_to_chat', userAddedToChatWebhookSchema, handleUserAddedToChat, {
    filters: {},
    purpose: 'an agent joins a chat',
  }),
  route('chat_transferred', chatTransferredWebhookSchema, handleChatTransferred, {
    filters: {},
    purpose: 'a chat is transferred',
  }),
  route('chat_deactivated', chatDeactivatedWebhookSchema, handleChatDeactivated, {
    filters: {},
    purpose: 'a chat is closed',
  }),
] as const

type Route = (typeof WEBHOOK_ROUTES)[number]
type WebhookAction = Route['action']

export type WebhookSpec = { action: WebhookAction; filters: WebhookFilters; purpose: string }

/** What setup registers: one license webhook per route. */
export const HITL_WEBHOOKS: readonly WebhookSpec[] = WEBHOOK_ROUTES.map(({ read: _read, ...spec }) => spec)

export const routeOf = (action: string): Route | undefined =>
  WEBHOOK_ROUTES.find((candidate) => candidate.action === action)
