import { AgentProfile } from '../botpress/agent-user'
import { describeError } from '../botpress/errors'
import { WebhookContext } from './types'

/**
 * Name and avatar of a LiveChat agent when the webhook did not carry them: the chat's users list first (what the
 * customer sees), then the Configuration API. A failure only costs the name, so it is logged, not thrown.
 */
export const loadAgentProfile = async (
  { liveChat, log }: WebhookContext,
  props: { livechatAgentId: string; livechatChatId: string }
): Promise<AgentProfile> => {
  const { livechatAgentId, livechatChatId } = props
  try {
    const chat = await liveChat().agent.getChat({ chat_id: livechatChatId })
    const agent = chat.users?.find((user) => user.id === livechatAgentId)
    if (agent?.name) {
      return { name: agent.name, avatar: agent.avatar }
    }
  } catch (thrown) {
    log.debug('Could not read the agent from the LiveChat chat', {
      livechatAgentId,
      livechatChatId,
      ...describeError(thrown),
    })
  }
  try {
    const agent = await liveChat().configuration.getAgent({ id: livechatAgentId })
    return { name: agent.name, avatar: agent.avatar ?? agent.avatar_path }
  } catch (thrown) {
    log.warn('Could not read the LiveChat agent’s name', { livechatAgentId, ...describeError(thrown) })
    return {}
  }
}
