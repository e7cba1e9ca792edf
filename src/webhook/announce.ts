import { cacheKey, caches } from '../botpress/caches'
import { describeError } from '../botpress/errors'
import { Client, User } from '../botpress/types'
import { Session, tagHolderAgent } from '../session/conversation'
import { tryWithSessionLease, withSessionLease } from '../session/lease'
import { isSessionStopped, readAssignedAgentIds, writeAssignedAgentIds } from '../session/states'
import { emitRemembered } from './remembered-event'
import { WebhookContext } from './types'

/**
 * - `join`: an agent joined or wrote. Announce them unless they were already announced in this session; a second
 *   agent chiming in (supervisor) does not take the chat from the first.
 * - `transfer`: the chat was handed to this agent. Announce unless they are the one holding it now, so that A -> B -> A
 *   gives the plugin three assignments.
 */
type AssignmentKind = 'join' | 'transfer'

const isAnnounced = (assigned: readonly string[], livechatAgentId: string, kind: AssignmentKind): boolean =>
  kind === 'transfer' ? assigned.at(-1) === livechatAgentId : assigned.includes(livechatAgentId)

type Announcement = { livechatAgentId: string; agentUser: User; kind: AssignmentKind }

/**
 * Emits `hitlAssigned` once per agent and session, under the session lease and with its client. The `assignment`
 * state is the memory, written before the event (see emitRemembered); its last entry is the agent who holds the chat
 * now. Nobody is announced into a session that has ended. Returns whether it emitted.
 */
const announceHeld = async (
  context: WebhookContext,
  client: Client,
  session: Session,
  { livechatAgentId, agentUser, kind }: Announcement
): Promise<boolean> => {
  const { log } = context
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
  if (isAnnounced(assigned, livechatAgentId, kind)) return false
  await writeAssignedAgentIds(client, botpressConversationId, [
    ...assigned.filter((id) => id !== livechatAgentId),
    livechatAgentId,
  ])
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
 * The conversation's `agentId` tag, so that a copy that never saw the chat knows the holder from the lookup that finds
 * the conversation. Only a hint (without it they read the state), written after the event so that it never leads it.
 */
const tagHolder = (context: WebhookContext, client: Client, session: Session, livechatAgentId: string) =>
  tagHolderAgent(client, session, livechatAgentId).catch((thrown: unknown) =>
    context.log.warn('Could not tag the conversation with the agent holding the chat', {
      botpressConversationId: session.botpressConversationId,
      ...describeError(thrown),
    })
  )

/**
 * An agent joined or was handed the chat. User_added_to_chat and the first incoming_event of an agent who writes into
 * a chat they were not in arrive together, possibly on two served copies, and LiveChat may deliver either twice: the
 * decision is taken under the conversation's lease, waiting for it if need be, so that exactly one of them announces.
 */
export const announceAgent = async (context: WebhookContext, session: Session, props: Announcement): Promise<void> => {
  await withSessionLease(context.client, session.botpressConversationId, context.deadline, (client) =>
    announceHeldAndTag(context, client, session, props)
  )
}

/**
 * The first message of an agent not announced yet: stored first, then the agent announced, when the lease is free.
 * A message never waits, neither behind a session change nor behind its own announcement, so the agent's next message
 * cannot overtake it; `hitlAssigned` follows it within a few round trips (the HITL plugin takes the author of a first
 * message as the agent anyway). When another delivery holds the lease (mostly the agent's own join, announcing them
 * at this moment), that one announces. The announcement on a first message also re-asserts an assignment the plugin
 * may have dropped: events caused during startHitl can reach it before it marks the session active. Returns whether
 * the agent is known to be announced now.
 */
export const storeThenAnnounce = async (
  context: WebhookContext,
  session: Session,
  props: Announcement,
  store: () => Promise<void>
): Promise<boolean> => {
  // A failed announcement must not cost the message: it is stored first; the failure then makes LiveChat redeliver,
  // and the redelivery announces (the message itself is deduplicated by its event id).
  await store()
  const attempt = await tryWithSessionLease(
    context.client,
    session.botpressConversationId,
    context.deadline,
    (client) => announceHeldAndTag(context, client, session, props)
  )
  return attempt.held
}

const announceHeldAndTag = async (context: WebhookContext, client: Client, session: Session, props: Announcement) => {
  if (await announceHeld(context, client, session, props))
    await tagHolder(context, client, session, props.livechatAgentId)
}

const settledKey = (context: WebhookContext, session: Session, livechatAgentId: string) =>
  cacheKey(context.ctx.botId, 'settled', session.livechatThreadId, livechatAgentId)

/**
 * Whether this process already knows that the agent needs no `hitlAssigned` in this session (announceAgent returned
 * for them). That cannot become false again within a thread, so the agent's next messages skip the state read.
 */
export const isAgentSettled = (context: WebhookContext, session: Session, livechatAgentId: string): boolean =>
  caches.settledAgents.get(settledKey(context, session, livechatAgentId)) === true

export const markAgentSettled = (context: WebhookContext, session: Session, livechatAgentId: string): void =>
  caches.settledAgents.set(settledKey(context, session, livechatAgentId), true)
