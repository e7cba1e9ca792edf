import { Deadline } from '../botpress/deadline'
import { LiveChat } from '../botpress/livechat-client'
import { Log } from '../botpress/log'
import * as bp from '.botpress'

export type HandlerProps = Parameters<bp.IntegrationProps['handler']>[0]

/** What every handler gets; `client` and `liveChat()` (built on demand) stop at the webhook's `deadline`. */
export type WebhookContext = {
  client: bp.Client
  ctx: bp.Context
  log: Log
  liveChat: () => LiveChat
  deadline: Deadline
}

/** A webhook we refuse, and the HTTP answer LiveChat gets. `reason` names fields, never values. */
export type Rejection = { status: number; reason: string }
export type Result<T, E = string> = { success: true; data: T } | { success: false; error: E }

export const ok = <T>(data: T): { success: true; data: T } => ({ success: true, data })
export const fail = <E>(error: E): { success: false; error: E } => ({ success: false, error })
