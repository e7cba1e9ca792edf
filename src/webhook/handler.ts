import { describeError } from '../misc/errors'
import { LiveChat, createLiveChat } from '../misc/livechat-client'
import { createLog } from '../misc/log'
import { dispatchWebhook } from './dispatch'
import { SessionNotReady } from './opening-chat'
import { parseVerifiedWebhook, readJsonBody } from './parse'
import { HandlerProps, Rejection } from './types'
import { verifyWebhook } from './verify'
import * as bp from '.botpress'

const json = (status: number, body: Record<string, string>) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

const reject = ({ status, reason }: Rejection) => json(status, { error: reason })

/** LiveChat counts only an HTTP 200 as delivered (platform.text.com/docs/guides/livechat-apps): answer exactly 200. */
const OK = { status: 200 }

/**
 * LiveChat webhooks: read (size, JSON), verify (secret in constant time, organization), parse (zod, per action),
 * then dispatch. Each outcome is one HTTP answer, decided here only:
 * - 405/413/400 for what is not a LiveChat webhook body, 401 for a missing or wrong secret, 403 for another
 *   organization: nothing is read further and nothing is created;
 * - 200 for an action we do not handle and for a chat startHitl did not open (logged at debug, never an error storm);
 * - 500 for a chat startHitl opened whose session it has not created yet (logged at info), so that LiveChat redelivers;
 * - 500 when handling failed (mostly the Botpress API), so that LiveChat redelivers; every write is deduplicated or
 *   guarded by state, which makes the redelivery safe.
 */
export const handler: bp.IntegrationProps['handler'] = async ({ ctx, client, logger, req }: HandlerProps) => {
  const log = createLog(logger)

  const body = readJsonBody(req)
  if (!body.success) {
    log.warn('Refused a LiveChat webhook', { status: body.error.status, reason: body.error.reason })
    return reject(body.error)
  }
  const verified = verifyWebhook(body.data, ctx.configuration)
  if (!verified.success) {
    log.warn('Refused a LiveChat webhook', { status: verified.error.status, reason: verified.error.reason })
    return reject(verified.error)
  }
  const parsed = parseVerifiedWebhook(body.data)
  if (!parsed.success) {
    log.warn('Refused a LiveChat webhook', { status: parsed.error.status, reason: parsed.error.reason })
    return reject(parsed.error)
  }
  if (parsed.data.kind === 'unhandled') {
    log.debug('Ignored a LiveChat webhook action this integration does not handle', {
      webhookAction: parsed.data.envelope.action,
    })
    return OK
  }

  const webhook = parsed.data.webhook
  let lc: LiveChat | undefined
  const liveChat = () => {
    lc ??= createLiveChat(ctx, log).lc
    return lc
  }
  try {
    await dispatchWebhook({ client, ctx, log, liveChat }, webhook)
    return OK
  } catch (thrown) {
    if (thrown instanceof SessionNotReady) {
      log.info(thrown.message, { webhookAction: webhook.action })
      return json(500, { error: 'The HITL session of this chat is being opened, please retry' })
    }
    log.error('Could not handle a LiveChat webhook; LiveChat will deliver it again', {
      webhookAction: webhook.action,
      ...describeError(thrown),
    })
    return json(500, { error: 'Could not handle the webhook, please retry' })
  }
}
