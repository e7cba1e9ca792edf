import { boundedClient } from '../botpress/bounded-client'
import { Deadline, webhookDeadline } from '../botpress/deadline'
import { describeError } from '../botpress/errors'
import { LiveChat, createLiveChat } from '../botpress/livechat-client'
import { Log, createLog } from '../botpress/log'
import { isPermanentFailure, keepDeadLetter, webhookIds } from './dead-letter'
import { SessionNotReady } from './find-session'
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
 * dispatch; each outcome is one HTTP answer, decided here. A refused body (405/413/400/401/403) reads nothing further.
 * 200 for an action we do not handle or a chat that is not ours; 500 (LiveChat redelivers, every write being
 * deduplicated or guarded) for a session still opening or a failure that can pass; 200 once a failure no redelivery
 * can fix is kept as a dead letter. All within the webhook's deadline, well inside LiveChat's 10 s.
 */
export const handler: bp.IntegrationProps['handler'] = async ({ ctx, client, logger, req }: HandlerProps) => {
  const log = createLog(logger)
  const deadline = webhookDeadline()
  const refuse = ({ status, reason }: Rejection) => {
    log.warn('Refused a LiveChat webhook', { status, reason })
    return json(status, { error: reason })
  }
  const body = readJsonBody(req)
  if (!body.success) return refuse(body.error)
  const verified = verifyWebhook(body.data, ctx.configuration)
  if (!verified.success) return refuse(verified.error)
  const bounded = boundedClient(client, deadline)
  const deadLetter = async (reason: string) =>
    (await keepDeadLetter({ client: bounded, ctx, log }, { body: body.data, reason }))
      ? json(200, { error: reason, kept: 'deadLetters' })
      : retryLater()
  const parsed = parseWebhook(body.data)
  if (parsed.kind === 'malformed') return deadLetter(parsed.error) // verified, so each redelivery breaks the same way
  if (parsed.kind === 'unhandled') {
    log.debug('Ignored a LiveChat webhook action this integration does not handle', {
      webhookAction: parsed.envelope.action,
    })
    return OK
  }
  try {
    await parsed.dispatch({ client: bounded, ctx, log, liveChat: lazyLiveChat(ctx, log, deadline), deadline })
    return OK
  } catch (thrown) {
    return answerFailure(thrown, { log, body: body.data, webhookAction: parsed.webhook.action, deadLetter })
  }
}

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
