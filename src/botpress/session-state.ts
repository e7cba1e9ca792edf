import { isNotFound } from './not-found'
import { Client, Session } from './types'

/** Per `hitl` conversation: the LiveChat chat, thread and customer, and what was already told to the HITL plugin. */
export const readSession = async (client: Client, botpressConversationId: string): Promise<Session | undefined> => {
  try {
    const { state } = await client.getState({ type: 'conversation', id: botpressConversationId, name: 'session' })
    return state.payload
  } catch (thrown) {
    if (isNotFound(thrown)) return undefined
    throw thrown
  }
}

export const writeSession = async (client: Client, botpressConversationId: string, session: Session): Promise<void> => {
  await client.setState({ type: 'conversation', id: botpressConversationId, name: 'session', payload: session })
}
