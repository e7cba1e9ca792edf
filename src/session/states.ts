import { unlessNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'

// What a session remembers besides its tags, each in its own state so that one is written without reading the other.

/** The agents already announced with hitlAssigned; none until the first announcement writes the state. */
export const readAssignedAgentIds = async (client: Client, botpressConversationId: string): Promise<string[]> => {
  const read = client.getState({ type: 'conversation', id: botpressConversationId, name: 'assignment' })
  return (await unlessNotFound(read))?.state.payload.assignedAgentIds ?? []
}

export const writeAssignedAgentIds = async (client: Client, id: string, assignedAgentIds: string[]): Promise<void> => {
  await client.setState({ type: 'conversation', id, name: 'assignment', payload: { assignedAgentIds } })
}

export const isSessionStopped = async (client: Client, botpressConversationId: string): Promise<boolean> => {
  const read = client.getState({ type: 'conversation', id: botpressConversationId, name: 'stopped' })
  return (await unlessNotFound(read))?.state.payload.stopped ?? false
}

const writeSessionStopped = async (client: Client, id: string, stopped: boolean) => {
  await client.setState({ type: 'conversation', id, name: 'stopped', payload: { stopped } })
}

export const markSessionStopped = (client: Client, botpressConversationId: string): Promise<void> =>
  writeSessionStopped(client, botpressConversationId, true)

/** Takes back a stop mark whose hitlStopped Botpress refused, so that LiveChat's redelivery emits it. */
export const unmarkSessionStopped = (client: Client, botpressConversationId: string): Promise<void> =>
  writeSessionStopped(client, botpressConversationId, false)
