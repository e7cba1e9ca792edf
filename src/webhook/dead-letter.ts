import { isApiError } from '@botpress/sdk'
import { describeError } from '../botpress/errors'
import { Log, LogFields } from '../botpress/log'
import { unlessNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'
import { JsonObject } from './parse'
import * as bp from '.botpress'

/** The newest letters kept; older ones remain in the bot's logs. */
const DEAD_LETTERS_KEPT = 20
/** LiveChat bodies are a few KB: a larger one is kept as its ids only, so that the record stays small. */
const MAX_KEPT_BODY_CHARS = 16_000
const MAX_ID_CHARS = 100

type DeadLetter = bp.states.deadLetters.DeadLetters['letters'][number]

/**
 * A Botpress refusal that LiveChat's redeliveries (three within a minute) cannot change: a 4xx, except 404 (a stale
 * cache entry is dropped and the redelivery looks again), 408, 409 and 429.
 */
export const isPermanentFailure = (thrown: unknown): boolean =>
  isApiError(thrown) && thrown.code >= 400 && thrown.code < 500 && ![404, 408, 409, 429].includes(thrown.code)

const idIn = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_ID_CHARS) : undefined

const objectIn = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}

/** What names the webhook, read defensively: the body may be the very thing that broke the schema. */
export const webhookIds = (body: JsonObject): LogFields => {
  const payload = objectIn(body.payload)
  return {
    webhookAction: idIn(body.action),
    livechatChatId: idIn(payload.chat_id),
    livechatEventId: idIn(objectIn(payload.event).id),
  }
}

const letterOf = (body: JsonObject, reason: string): DeadLetter => {
  // The secret must never be stored; the replay puts it back.
  const { secret_key: _secret, ...kept } = body
  const text = JSON.stringify(kept)
  const { webhookAction, livechatChatId, livechatEventId } = webhookIds(body)
  return {
    at: new Date().toISOString(),
    reason,
    ...(webhookAction && { webhookAction }),
    ...(livechatChatId && { livechatChatId }),
    ...(livechatEventId && { livechatEventId }),
    ...(text.length <= MAX_KEPT_BODY_CHARS && { body: text }),
  }
}

const readLetters = async (client: Client, integrationId: string): Promise<DeadLetter[]> => {
  const read = client.getState({ type: 'integration', id: integrationId, name: 'deadLetters' })
  return (await unlessNotFound(read))?.state.payload.letters ?? []
}

/**
 * Keeps a webhook that failed for good in the `deadLetters` state, with one error line saying how to replay it.
 * Returns false when even that failed: the webhook must then be answered 500 so that LiveChat retries. Two failures
 * kept at the very same moment may leave one letter (read, then write): the error line stays either way.
 */
export const keepDeadLetter = async (
  { client, ctx, log }: { client: Client; ctx: bp.Context; log: Log },
  failed: { body: JsonObject; reason: string }
): Promise<boolean> => {
  const letter = letterOf(failed.body, failed.reason)
  const fields = { ...webhookIds(failed.body), reason: failed.reason }
  try {
    const letters = [...(await readLetters(client, ctx.integrationId)), letter].slice(-DEAD_LETTERS_KEPT)
    await client.setState({ type: 'integration', id: ctx.integrationId, name: 'deadLetters', payload: { letters } })
  } catch (thrown) {
    log.error('A LiveChat webhook failed for good and could not be kept; LiveChat will deliver it again', {
      ...fields,
      ...describeError(thrown),
    })
    return false
  }
  const replay =
    letter.body === undefined
      ? 'its body was too large to keep: find the event in LiveChat by its ids'
      : 'once the cause is fixed, replay it by POSTing its "body", with "secret_key" set to your webhookSecret, ' +
        "to this integration's webhook URL (hub.md, Troubleshooting)"
  log.error(
    `A LiveChat webhook failed for good and is not retried. It is kept in the integration state "deadLetters": ${replay}`,
    fields
  )
  return true
}
