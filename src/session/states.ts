import { isNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'

/**
 * The two things a HITL session remembers besides its tags, each in its own conversation state so that it is written
 * without reading the other: the agents already announced, and whether the session has ended.
 */

export const readAssignedAgentIds = async (client: Client, botpressConversationId: string): Promise<string[]> => {
  try {
    const { state } = await client.getState({ type: 'conversation', id: botpressConversationId, name: 'assignment' })
    return state.payload.assignedAgentIds
  } catch (thrown) {
    // Nobody was announced yet: the state is written with the first announcement.
    if (isNotFound(thrown)) return []
    throw thrown
  }
}

export const writeAssignedAgentIds = async (
  client: Client,
  botpressConversationId: string,
  assignedAgentIds: string[]
): Promise<void> => {
  await client.setState({
    type: 'conversation',
    id: botpressConversationId,
    name: 'assignment',
    payload: { assignedAgentIds },
  })
}

export const isSessionStopped = async (client: Client, botpressConversationId: string): Promise<boolean> => {
  try {
    const { state } = await client.getState({ type: 'conversation', id: botpressConversationId, name: 'stopped' })
    return state.payload.stopped
  } catch (thrown) {
    if (isNotFound(thrown)) return false
    throw thrown
  }
}

const writeSessionStopped = async (client: Client, botpressConversationId: string, stopped: boolean) => {
  await client.setState({ type: 'conversation', id: botpressConversationId, name: 'stopped', payload: { stopped } })
}

export const markSessionStopped = (client: Client, botpressConversationId: string): Promise<void> =>
  writeSessionStopped(client, botpressConversationId, true)

/** Takes back a stop mark whose hitlStopped Botpress refused, so that LiveChat's redelivery emits it. */
export const unmarkSessionStopped = (client: Client, botpressConversationId: string): Promise<void> =>
  writeSessionStopped(client, botpressConversationId, false)
