import { RuntimeError } from '@botpress/sdk'
import { describeError } from '../botpress/errors'
import { LiveChat } from '../botpress/livechat-client'
import { Log, LogFields } from '../botpress/log'
import { INTEGRATION_FIELD_KEYS, integrationSessionFields } from '../customer/prepare'
import { CustomerClient } from '../customer/token'
import { SessionFields } from '../livechat'
import { OpenedChat } from './open-chat'
import * as bp from '.botpress'

type HitlSession = NonNullable<bp.actions.startHitl.input.Input['hitlSession']>

/** Set Customer Session Fields: "The maximum number of keys: 100", ours included. */
const MAX_KEYS = 100 - INTEGRATION_FIELD_KEYS.length
/** LiveChat documents no lengths: these bounds make what it might cut or refuse fail here, by name, before opening. */
const MAX_KEY_LENGTH = 100
const MAX_VALUE_LENGTH = 1_000
/** Each tag is one tag_thread call: a bound on the calls one hand-over makes. */
const MAX_TAGS = 20

/** What startHitl puts around the chat for the agent: fields in LiveChat's shape, tags without repeats. */
type SessionContext = { sessionFields?: SessionFields; tags: string[] }

const refuse = (problem: string): never => {
  throw new RuntimeError(`Cannot start HITL: ${problem}. Nothing was opened in LiveChat.`)
}

const checkedFields = (fields: Record<string, string>): SessionFields => {
  const entries = Object.entries(fields)
  if (entries.length > MAX_KEYS) {
    refuse(
      `hitlSession.sessionFields has ${entries.length} keys; LiveChat takes ${MAX_KEYS} besides the integration’s own`
    )
  }
  for (const [key, value] of entries) {
    if (!key.trim()) refuse('hitlSession.sessionFields has an empty key')
    if (INTEGRATION_FIELD_KEYS.includes(key))
      refuse(`hitlSession.sessionFields key "${key}" is set by the integration itself`)
    if (key.length > MAX_KEY_LENGTH)
      refuse(`hitlSession.sessionFields key "${key.slice(0, 40)}…" is over ${MAX_KEY_LENGTH} characters`)
    if (value.length > MAX_VALUE_LENGTH)
      refuse(`hitlSession.sessionFields value of "${key}" is over ${MAX_VALUE_LENGTH} characters`)
  }
  return entries.map(([key, value]) => ({ [key]: value }))
}

const checkedTags = (tags: string[]): string[] => {
  const unique = [...new Set(tags)]
  if (unique.length > MAX_TAGS) {
    refuse(`hitlSession.tags has ${unique.length} tags; at most ${MAX_TAGS} are put on a chat`)
  }
  return unique
}

/** No LiveChat tag is blank or holds control characters: such a tag is not even sent. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
const isSendable = (tag: string): boolean => tag.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(tag)

/** The tag as a log line may show it: quoted and escaped (it comes from the bot's input), and short. */
const shown = (tag: string): string => JSON.stringify(tag.slice(0, 60))

/** The session context of a startHitl input; a RuntimeError naming what does not fit LiveChat's limits. */
const readSessionContext = (hitlSession: HitlSession | undefined): SessionContext => ({
  ...(hitlSession?.sessionFields && { sessionFields: checkedFields(hitlSession.sessionFields) }),
  tags: checkedTags(hitlSession?.tags ?? []),
})

type FieldsProps = {
  hitlSession: HitlSession | undefined
  customer: CustomerClient
  log: Log
  botpressUserId: string
  ctx: Pick<bp.Context, 'botId'>
}

/**
 * Checks the hand-over's session context, then shows its session fields to the agent (set_customer_session_fields),
 * before the chat opens: fields set after a chat started are not kept in its archive. The call replaces the customer's
 * fields, so the integration's own go with them. A refusal is a warning, the hand-over goes on.
 */
export const applySessionFields = async (props: FieldsProps): Promise<SessionContext> => {
  const context = readSessionContext(props.hitlSession)
  const { sessionFields } = context
  if (!sessionFields) return context
  const session_fields = [...sessionFields, ...integrationSessionFields(props.botpressUserId, props.ctx.botId)]
  await props.customer
    .call((api) => api.setCustomerSessionFields({ session_fields }))
    .catch((thrown: unknown) =>
      props.log.warn('Could not show the session fields to the LiveChat agent', {
        botpressUserId: props.botpressUserId,
        count: sessionFields.length,
        ...describeError(thrown),
      })
    )
  return context
}

/**
 * Puts the hand-over's tags on its thread (tag_thread), one call per tag, side by side. A tag LiveChat refuses (not in
 * the license or a group of the chat, no scope) is a warning naming it; the hand-over never fails for a tag.
 */
export const tagSessionThread = async (props: { lc: LiveChat; log: Log; tags: string[]; opened: OpenedChat }) => {
  const { livechatChatId, livechatThreadId } = props.opened
  const warn = (tag: string, why: LogFields) =>
    props.log.warn('LiveChat did not put the tag on the chat', {
      livechatTag: shown(tag),
      livechatChatId,
      livechatThreadId,
      ...why,
    })
  await Promise.all(
    props.tags.map(async (tag) => {
      if (!isSendable(tag)) return warn(tag, { reason: 'a tag cannot be blank or hold control characters' })
      await props.lc.agent
        .tagThread({ chat_id: livechatChatId, thread_id: livechatThreadId, tag })
        .catch((thrown: unknown) => warn(tag, describeError(thrown)))
    })
  )
}
