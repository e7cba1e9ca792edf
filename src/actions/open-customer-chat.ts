import { isLiveChatApiError } from '../livechat'
import { CustomerEvent, renderOpening, toCustomerMessages } from '../mapping/to-livechat'
import { CustomerSession } from '../misc/customer-token'
import { Log } from '../misc/log'

export type OpenedChat = {
  livechatChatId: string
  livechatThreadId: string
  /** started: a new chat; resumed: the customer's archived chat, new thread; reused: its thread was still open. */
  how: 'started' | 'resumed' | 'reused'
}

type Props = {
  customer: CustomerSession
  log: Log
  livechatGroupId: number
  title?: string
  description?: string
  /** Title, description and history: the first events of a new thread. */
  openingEvents: CustomerEvent[]
}

/** The customer's chat as LiveChat sees it now, or undefined when it is gone (archived away, other license). */
const findCustomerChat = async ({ customer, log }: Props) => {
  const livechatChatId = customer.identity().activeChatId
  if (!livechatChatId) return undefined
  try {
    const chat = await customer.call((api) => api.getChat({ chat_id: livechatChatId }))
    return { livechatChatId, thread: chat.thread ?? undefined }
  } catch (thrown) {
    if (isLiveChatApiError(thrown) && ['not_found', 'missing_access', 'chat_anonymized'].includes(thrown.type)) {
      log.debug('The customer’s previous LiveChat chat is gone; starting a new one', {
        livechatChatId,
        errorType: thrown.type,
      })
      return undefined
    }
    throw thrown
  }
}

/**
 * Opens the LiveChat chat for this hand-over, as the customer (Customer Chat API), routed to the group.
 *
 * Why the customer API: `start_chat` with `chat.access.group_ids` and `continuous: true` lets LiveChat's router queue
 * the chat in the group whether or not an agent is free. The old integration started the chat as an agent and then
 * transferred it, which needs a spare agent, fails when none is available, and fires transfer webhooks while the
 * HITL plugin has not yet marked the session active (they get dropped).
 *
 * LiveChat allows one chat per customer, and the same end user is the same customer across sessions, so:
 * - no chat yet: `start_chat` with the opening events;
 * - the chat exists but its thread is closed: `resume_chat` (same chat, so the agent sees the customer's history);
 * - its thread is still open: no fork. The new title and description are posted into that thread and the caller
 *   reuses the same Botpress conversation.
 */
export const openCustomerChat = async (props: Props): Promise<OpenedChat> => {
  const { customer, livechatGroupId, openingEvents } = props
  const access = { group_ids: [livechatGroupId] }
  const existing = await findCustomerChat(props)

  if (!existing) {
    const started = await customer.call((api) =>
      api.startChat({ chat: { access, thread: { events: openingEvents } }, active: true, continuous: true })
    )
    return { livechatChatId: started.chat_id, livechatThreadId: started.thread_id, how: 'started' }
  }

  if (existing.thread?.active) {
    for (const event of toCustomerMessages(renderOpening(props.title, props.description))) {
      await customer.call((api) => api.sendEvent({ chat_id: existing.livechatChatId, event }))
    }
    return { livechatChatId: existing.livechatChatId, livechatThreadId: existing.thread.id, how: 'reused' }
  }

  const resumed = await customer.call((api) =>
    api.resumeChat({
      chat: { id: existing.livechatChatId, access, thread: { events: openingEvents } },
      active: true,
      continuous: true,
    })
  )
  return { livechatChatId: existing.livechatChatId, livechatThreadId: resumed.thread_id, how: 'resumed' }
}
