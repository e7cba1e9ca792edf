import { RuntimeError } from '@botpress/sdk'
import { writeCustomerIdentity } from '../botpress/customer-state'
import { isNotFound } from '../botpress/not-found'
import { writeSession } from '../botpress/session-state'
import { Client, User } from '../botpress/types'
import { buildOpeningEvents } from '../mapping/to-livechat'
import { CustomerSession, openCustomerSession } from '../misc/customer-token'
import { describeError, toRuntimeError } from '../misc/errors'
import { createLiveChat } from '../misc/livechat-client'
import { Log, createLog } from '../misc/log'
import { realEmailOf } from '../misc/placeholder-email'
import { openCustomerChat } from './open-customer-chat'
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
 * user id as a session field so that an agent can quote it to the bot builder.
 */
const updateCustomerProfile = (customer: CustomerSession, user: User) => {
  const email = realEmailOf(user.tags.email)
  const avatar = httpUrlOrUndefined(user.pictureUrl)
  return customer.call((api) =>
    api.updateCustomer({
      ...(user.name && { name: user.name }),
      ...(email && { email }),
      ...(avatar && { avatar }),
      session_fields: [{ botpress_user_id: user.id }],
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

export const startHitl: StartHitl = async ({ ctx, client, logger, input }) => {
  const log = createLog(logger)
  const { lc, configuration } = createLiveChat(ctx, log)
  const botpressUserId = input.userId
  const livechatGroupId = input.hitlSession?.groupId ?? configuration.groupId

  try {
    const user = await getEndUser(client, botpressUserId)
    const customer = await openCustomerSession({ client, ctx, lc, log, botpressUserId })

    // Independent calls: the profile update must not delay or block the chat itself.
    const [opened, profile] = await Promise.allSettled([
      openCustomerChat({
        customer,
        log,
        livechatGroupId,
        title: input.title,
        description: input.description,
        openingEvents: buildOpeningEvents(input),
      }),
      updateCustomerProfile(customer, user),
    ])
    if (opened.status === 'rejected') {
      throw opened.reason
    }
    const { livechatChatId, livechatThreadId, how } = opened.value
    const livechatCustomerId = customer.identity().customerId
    if (profile.status === 'rejected') {
      // The chat is open and usable; the agent only misses the name or email. Worth a warning, not a failure.
      log.warn('Could not show the end user’s name and email to the LiveChat agent', {
        livechatChatId,
        ...describeError(profile.reason),
      })
    }

    const { conversation } = await client.getOrCreateConversation({ channel: 'hitl', tags: { id: livechatChatId } })
    // A new HITL plugin session starts with nobody assigned: clear what earlier sessions announced, so that the next
    // agent event announces the agent again.
    await writeSession(client, conversation.id, {
      livechatChatId,
      livechatThreadId,
      customerUserId: botpressUserId,
      livechatCustomerId,
      assignedAgentIds: [],
    })
    await writeCustomerIdentity(client, botpressUserId, { ...customer.identity(), activeChatId: livechatChatId })

    logOpened(log, how, {
      botpressConversationId: conversation.id,
      botpressUserId,
      livechatChatId,
      livechatThreadId,
      livechatGroupId,
    })
    return { conversationId: conversation.id }
  } catch (thrown) {
    log.error('Could not start the HITL session', { botpressUserId, livechatGroupId, ...describeError(thrown) })
    throw toRuntimeError(thrown, 'Could not open a LiveChat chat for the HITL session')
  }
}
