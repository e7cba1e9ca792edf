import { cacheKey, caches } from '../botpress/caches'
import { describeError } from '../botpress/errors'
import { Client, User } from '../botpress/types'
import { Session, tagHolderAgent } from '../session/conversation'
import { tryWithSessionLease, withSessionLease } from '../session/lease'
import { isSessionStopped, readAssignedAgentIds, writeAssignedAgentIds } from '../session/states'
import { emitRemembered } from './remembered-event'
import { WebhookContext } from './types'

/**
 * `join`: announced unless already announced in this session (a supervisor chiming in does not take the chat).
 * `transfer`: announced unless they hold the chat now, so that A -> B -> A gives the plugin three assignments.
 */
type Announcement = { livechatAgentId: string; agentUser: User; kind: 'join' | 'transfer' }

/**
 * `hitlAssigned` once per agent and session, under the lease. The `assignment` state is the memory, written before the
 * event (see emitRemembered); its last entry holds the chat now. Nobody is announced into an ended session.
 */
const announceHeld = async (
  { log }: WebhookContext,
  client: Client,
  session: Session,
  { livechatAgentId, agentUser, kind }: Announcement
): Promise<boolean> => {
  const { botpressConversationId } = session
  const fields = { botpressConversationId, botpressUserId: agentUser.id, livechatAgentId }
  const [assigned, stopped] = await Promise.all([
    readAssignedAgentIds(client, botpressConversationId),
    isSessionStopped(client, botpressConversationId),
  ])
  if (stopped) {
    log.debug('Ignored an agent assignment in a HITL session that has ended', fields)
    return false
  }
  const announced = kind === 'transfer' ? assigned.at(-1) === livechatAgentId : assigned.includes(livechatAgentId)
  if (announced) return false
  const others = assigned.filter((id) => id !== livechatAgentId)
  await writeAssignedAgentIds(client, botpressConversationId, [...others, livechatAgentId])
  await emitRemembered({
    emit: () =>
      client.createEvent({
        type: 'hitlAssigned',
        payload: { conversationId: botpressConversationId, userId: agentUser.id },
      }),
    forget: () => writeAssignedAgentIds(client, botpressConversationId, assigned),
    log,
    fields,
  })
  log.info('A LiveChat agent took the HITL conversation', { ...fields, livechatChatId: session.livechatChatId })
  return true
}

/**
 * Then the `agentId` tag, so that a copy that never saw the chat learns the holder from the lookup. Only a hint,
 * written after the event so that it never leads it.
 */
const announceHeldAndTag = async (context: WebhookContext, client: Client, session: Session, props: Announcement) => {
  if (!(await announceHeld(context, client, session, props))) return
  await tagHolderAgent(client, session, props.livechatAgentId).catch((thrown: unknown) =>
    context.log.warn('Could not tag the conversation with the agent holding the chat', {
      botpressConversationId: session.botpressConversationId,
      ...describeError(thrown),
    })
  )
}

/**
 * An agent joined or was handed the chat. A join and the agent's first message may arrive together on two copies,
 * each possibly twice: deciding under the lease (waiting for it) makes exactly one of them announce.
 */
export const announceAgent = async (context: WebhookContext, session: Session, props: Announcement): Promise<void> => {
  await withSessionLease(context.client, session.botpressConversationId, context.deadline, (client) =>
    announceHeldAndTag(context, client, session, props)
  )
}

/**
 * The first message of an agent not announced yet is stored first: a message never waits, and a failed announcement
 * must not cost it. Then the agent is announced if the lease is free, else by its holder (mostly their own join). This
 * also re-asserts an assignment the plugin may have dropped during startHitl. Returns whether they are announced now.
 */
export const storeThenAnnounce = async (
  context: WebhookContext,
  session: Session,
  props: Announcement,
  store: () => Promise<void>
): Promise<boolean> => {
  await store()
  const { client, deadline } = context
  const lease = await tryWithSessionLease(client, session.botpressConversationId, deadline, (held) =>
    announceHeldAndTag(context, held, session, props)
  )
  return lease.held
}

const settledKey = (context: WebhookContext, session: Session, livechatAgentId: string) =>
  cacheKey(context.ctx.botId, 'settled', session.livechatThreadId, livechatAgentId)

/** This process knows the agent needs no `hitlAssigned` in this thread (that never turns false), so skips the read. */
export const isAgentSettled = (context: WebhookContext, session: Session, livechatAgentId: string): boolean =>
  caches.settledAgents.get(settledKey(context, session, livechatAgentId)) === true

export const markAgentSettled = (context: WebhookContext, session: Session, livechatAgentId: string): void =>
  caches.settledAgents.set(settledKey(context, session, livechatAgentId), true)
