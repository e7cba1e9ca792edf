import { boundedClient } from '../botpress/bounded-client'
import { Deadline, webhookDeadline } from '../botpress/deadline'
import { describeError } from '../botpress/errors'
import { LiveChat, createLiveChat } from '../botpress/livechat-client'
import { Log, createLog } from '../botpress/log'
import { isPermanentFailure, keepDeadLetter, webhookIds } from './dead-letter'
import { SessionNotReady } from './opening-chat'
import { JsonObject, parseWebhook, readJsonBody } from './parse'
import { HandlerProps, Rejection } from './types'
import { verifyWebhook } from './verify'
import * as bp from '.botpress'

const json = (status: number, body: Record<string, string>) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

type Answer = ReturnType<typeof json>

const reject = ({ status, reason }: Rejection) => json(status, { error: reason })

const retryLater = () => json(500, { error: 'Could not handle the webhook, please retry' })

/** Built on first use (most deliveries never call LiveChat), its calls capped by the webhook's deadline. */
const lazyLiveChat = (ctx: bp.Context, log: Log, deadline: Deadline) => {
  let lc: LiveChat | undefined
  return (): LiveChat => {
    lc ??= createLiveChat(ctx, log, { deadline }).lc
    return lc
  }
}

/** LiveChat counts only an HTTP 200 as delivered (platform.text.com/docs/guides/livechat-apps): answer exactly 200. */
const OK = { status: 200 }

/**
 * LiveChat webhooks: read (size, JSON), verify (secret in constant time, organization), parse (zod, per action),
 * then dispatch. Each outcome is one HTTP answer, decided here only:
 * - 405/413/400 for what is not a LiveChat webhook body, 401 for a missing or wrong secret, 403 for another
 *   organization: nothing is read further and nothing is created;
 * - 200 for an action we do not handle and for a chat startHitl did not open (logged at debug, never an error storm);
 * - 500 for a chat startHitl opened whose session it has not created yet (logged at info), so that LiveChat redelivers;
 * - 500 when handling failed for a reason that can pass (Botpress 5xx, the session busy, out of time), so that LiveChat
 *   redelivers; every write is deduplicated or guarded by state, which makes the redelivery safe;
 * - 200 for a failure no redelivery can fix (a verified body that breaks the schema, a Botpress 4xx), so that LiveChat
 *   stops, once the webhook is kept as a dead letter (see dead-letter.ts).
 * Everything runs within the webhook's deadline (webhookDeadline), well inside LiveChat's 10 s: a slow LiveChat or
 * Botpress gives a clean 500 and a redelivery, never a first delivery still at work while the second one runs.
 */
export const handler: bp.IntegrationProps['handler'] = async ({ ctx, client, logger, req }: HandlerProps) => {
  const log = createLog(logger)
  const deadline = webhookDeadline()

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
  const bounded = boundedClient(client, deadline)
  const deadLetter = async (reason: string) =>
    (await keepDeadLetter({ client: bounded, ctx, log }, { body: body.data, reason }))
      ? json(200, { error: reason, kept: 'deadLetters' })
      : retryLater()
  const parsed = parseWebhook(body.data)
  if (parsed.kind === 'malformed') {
    // Verified, so LiveChat's own body: each redelivery would break the same way.
    return deadLetter(parsed.error)
  }
  if (parsed.kind === 'unhandled') {
    log.debug('Ignored a LiveChat webhook action this integration does not handle', {
      webhookAction: parsed.envelope.action,
    })
    return OK
  }

  const { webhook } = parsed
  const liveChat = lazyLiveChat(ctx, log, deadline)
  try {
    await parsed.dispatch({ client: bounded, ctx, log, liveChat, deadline })
    return OK
  } catch (thrown) {
    return answerFailure(thrown, { log, body: body.data, webhookAction: webhook.action, deadLetter })
  }
}

/** A failed dispatch: 500 so that LiveChat delivers it again, unless no redelivery can fix it (a dead letter, 200). */
const answerFailure = async (
  thrown: unknown,
  props: { log: Log; body: JsonObject; webhookAction: string; deadLetter: (reason: string) => Promise<Answer> }
): Promise<Answer> => {
  if (thrown instanceof SessionNotReady) {
    props.log.info(thrown.message, { webhookAction: props.webhookAction })
    return json(500, { error: 'The HITL session of this chat is being opened, please retry' })
  }
  if (isPermanentFailure(thrown)) {
    const { status, errorType, reason } = describeError(thrown)
    return props.deadLetter(`Botpress refused it (${status} ${errorType}): ${reason}`)
  }
  props.log.error('Could not handle a LiveChat webhook; LiveChat will deliver it again', {
    ...webhookIds(props.body),
    ...describeError(thrown),
  })
  return retryLater()
}
