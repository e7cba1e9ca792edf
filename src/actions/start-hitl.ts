import { RuntimeError } from '@botpress/sdk'
import { readCustomerIdentity, writeCustomerIdentity } from '../botpress/customer-state'
import { isNotFound } from '../botpress/not-found'
import { writeSession } from '../botpress/session-state'
import { Client, CustomerIdentity, Session, User } from '../botpress/types'
import { buildTranscript } from '../delivery/transcript'
import { cacheKey, caches } from '../misc/caches'
import { CustomerSession, openCustomerSession, rememberCustomerIdentity } from '../misc/customer-token'
import { describeError, toRuntimeError } from '../misc/errors'
import { createLiveChat } from '../misc/livechat-client'
import { Log, createLog } from '../misc/log'
import { realEmailOf } from '../misc/placeholder-email'
import { OpenedChat, openCustomerChat } from './open-customer-chat'
import { readHistory } from './read-history'
import * as bp from '.botpress'

type StartHitl = bp.IntegrationProps['actions']['startHitl']

const getEndUser = async (client: Client, botpressUserId: string): Promise<User> => {
  try {
    const { user } = await client.getUser({ id: botpressUserId })
    return user
  } catch (thrown) {
    if (isNotFound(thrown)) {
      throw new RuntimeError(`Cannot start HITL: the end user ${botpressUserId} does not exist (call createUser first)`)
    }
    throw thrown
  }
}

/** LiveChat validates avatars as URLs; a Botpress picture can be anything. */
const httpUrlOrUndefined = (url: string | undefined): string | undefined =>
  url && /^https?:\/\/\S+$/i.test(url) ? url : undefined

/**
 * Shows the end user to the agent: name, real email (never the HITL plugin's placeholder), avatar, and the Botpress
 * ids as session fields (the Agent App lists them in the customer details) so that an agent can quote them to the bot
 * builder. One `update_customer` once the conversation exists, so its id is among them without a second call.
 */
const updateCustomerProfile = (
  customer: CustomerSession,
  user: User,
  ids: { botpressConversationId: string; botpressBotId: string }
) => {
  const email = realEmailOf(user.tags.email)
  const avatar = httpUrlOrUndefined(user.pictureUrl)
  return customer.call((api) =>
    api.updateCustomer({
      ...(user.name && { name: user.name }),
      ...(email && { email }),
      ...(avatar && { avatar }),
      session_fields: [
        { botpress_user_id: user.id },
        { botpress_conversation_id: ids.botpressConversationId },
        { botpress_bot_id: ids.botpressBotId },
      ],
    })
  )
}

const logOpened = (log: Log, how: 'started' | 'resumed' | 'reused', fields: Parameters<Log['info']>[1]) => {
  const messages = {
    started: 'Started a LiveChat chat for the HITL session',
    resumed: 'Resumed the customer’s LiveChat chat for the HITL session',
    reused: 'The customer’s LiveChat chat was still open: posted the new request there and kept the same conversation',
  }
  log.info(messages[how], fields)
}

const isSameIdentity = (a: CustomerIdentity, b: CustomerIdentity): boolean =>
  a.customerId === b.customerId &&
  a.cookies === b.cookies &&
  a.accessToken === b.accessToken &&
  a.expiresAt === b.expiresAt &&
  a.activeChatId === b.activeChatId

/** The chat's `hitl` conversation: from the process cache when this process bridged it before, else get-or-create. */
const conversationIdOf = async (ctx: bp.Context, client: Client, livechatChatId: string): Promise<string> => {
  const known = caches.hitlChats.get(cacheKey(ctx.botId, 'chat', livechatChatId))
  if (known) return known.botpressConversationId
  const { conversation } = await client.getOrCreateConversation({ channel: 'hitl', tags: { id: livechatChatId } })
  return conversation.id
}

/** Writes the session; a cached conversation that Botpress no longer has (404) is looked up again, once. */
const writeSessionOf = async (
  ctx: bp.Context,
  client: Client,
  livechatChatId: string,
  botpressConversationId: string,
  session: Session
): Promise<string> => {
  try {
    await writeSession(client, botpressConversationId, session)
    return botpressConversationId
  } catch (thrown) {
    const key = cacheKey(ctx.botId, 'chat', livechatChatId)
    if (!isNotFound(thrown) || !caches.hitlChats.get(key)) throw thrown
    caches.hitlChats.delete(key)
    const conversationId = await conversationIdOf(ctx, client, livechatChatId)
    await writeSession(client, conversationId, session)
    return conversationId
  }
}

export const startHitl: StartHitl = async ({ ctx, client, logger, input }) => {
  const log = createLog(logger)
  const { lc, configuration } = createLiveChat(ctx, log)
  const botpressUserId = input.userId
  const livechatGroupId = input.hitlSession?.groupId ?? configuration.groupId

  try {
    // Independent reads side by side: the end user (for the profile) and their LiveChat customer (token, chat).
    const [user, stored] = await Promise.all([
      getEndUser(client, botpressUserId),
      readCustomerIdentity(client, botpressUserId),
    ])
    // `persist: false`: a newly issued token is written once below, together with the chat id.
    const customer = await openCustomerSession({
      client,
      ctx,
      lc,
      log,
      botpressUserId,
      known: { identity: stored },
      persist: false,
    })
    const persistIdentity = async (identity: CustomerIdentity) => {
      if (!stored || !isSameIdentity(stored, identity)) {
        await writeCustomerIdentity(client, botpressUserId, identity)
      }
    }

    let opened: OpenedChat
    let knownConversation: Promise<string> | undefined
    try {
      // The transcript's media are uploaded before the chat opens: file events must point to LiveChat's CDN, and the
      // whole transcript is in the chat before the agent's first look.
      const history = readHistory(input.messageHistory)
      if (history.unreadable > 0) {
        log.warn('Left out history entries that are not Botpress messages', {
          botpressUserId,
          count: history.unreadable,
        })
      }
      const openingEvents = await buildTranscript({
        customer,
        log,
        botpressUserId,
        title: input.title,
        description: input.description,
        messageHistory: history.entries,
      })
      // A chat the customer already has keeps its conversation: look it up while the chat is resumed.
      const knownChatId = customer.identity().activeChatId
      knownConversation = knownChatId ? conversationIdOf(ctx, client, knownChatId) : undefined
      knownConversation?.catch(() => undefined)
      opened = await openCustomerChat({
        customer,
        log,
        livechatGroupId,
        title: input.title,
        description: input.description,
        openingEvents,
      })
      knownConversation = opened.livechatChatId === knownChatId ? knownConversation : undefined
    } catch (thrown) {
      // A token issued above must not be lost: its cookies are what keep this end user the same LiveChat customer.
      await persistIdentity(customer.identity()).catch(() => undefined)
      throw thrown
    }
    const { livechatChatId, livechatThreadId, how } = opened
    const livechatCustomerId = customer.identity().customerId
    const botpressConversationId = await (knownConversation ?? conversationIdOf(ctx, client, livechatChatId))

    // The last step writes in parallel: the profile (it names the conversation), the session and the identity.
    // A failed profile only costs the agent the name, so it is awaited apart.
    const profileFailure = updateCustomerProfile(customer, user, {
      botpressConversationId,
      botpressBotId: ctx.botId,
    }).then(
      () => undefined,
      (thrown: unknown) => ({ thrown })
    )
    // A new HITL plugin session starts with nobody assigned: clear what earlier sessions announced, so that the next
    // agent event announces the agent again.
    const session: Session = {
      livechatChatId,
      livechatThreadId,
      customerUserId: botpressUserId,
      livechatCustomerId,
      assignedAgentIds: [],
    }
    const identity = { ...customer.identity(), activeChatId: livechatChatId }
    const [conversationId] = await Promise.all([
      writeSessionOf(ctx, client, livechatChatId, botpressConversationId, session),
      persistIdentity(identity),
    ])
    // What the next message and webhooks of this chat need, so that a warm process reads no state for them.
    caches.hitlChats.set(cacheKey(ctx.botId, 'chat', livechatChatId), {
      botpressConversationId: conversationId,
      customerUserId: botpressUserId,
      livechatCustomerId,
    })
    rememberCustomerIdentity(ctx, botpressUserId, identity)
    const failure = await profileFailure
    if (failure) {
      // The chat is open and usable; the agent only misses the name or email. Worth a warning, not a failure.
      log.warn('Could not show the end user’s name and email to the LiveChat agent', {
        livechatChatId,
        ...describeError(failure.thrown),
      })
    }

    logOpened(log, how, {
      botpressConversationId: conversationId,
      botpressUserId,
      livechatChatId,
      livechatThreadId,
      livechatGroupId,
    })
    return { conversationId }
  } catch (thrown) {
    log.error('Could not start the HITL session', { botpressUserId, livechatGroupId, ...describeError(thrown) })
    throw toRuntimeError(thrown, 'Could not open a LiveChat chat for the HITL session')
  }
}
