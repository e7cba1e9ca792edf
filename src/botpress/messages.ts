import { Client } from './types'
import { isUnsupportedEndpoint } from './unsupported'

type CreateMessageInput = Parameters<Client['createMessage']>[0]
/** What callers need of the stored message: its id (the list and create answers type the payload differently). */
type StoredMessage = { id: string }

/**
 * One call that both deduplicates and creates: the message tagged with this LiveChat event id, created if absent.
 * Where the runtime lacks get-or-create, the same outcome comes from a lookup by tag and a create; a real 404 (the
 * conversation is gone) still surfaces from the create.
 */
export const getOrCreateMessage = async (client: Client, input: CreateMessageInput): Promise<StoredMessage> => {
  try {
    return (await client.getOrCreateMessage(input)).message
  } catch (thrown) {
    if (!isUnsupportedEndpoint(thrown)) {
      throw thrown
    }
  }
  const { messages } = await client.listMessages({ conversationId: input.conversationId, tags: input.tags })
  // Checked again here: a runtime that ignores the tag filter must not make every message look delivered.
  const wanted = Object.entries(input.tags ?? {})
  const existing = messages.find(
    (message) =>
      message.conversationId === input.conversationId && wanted.every(([key, value]) => message.tags[key] === value)
  )
  if (existing) {
    return existing
  }
  return (await client.createMessage(input)).message
}
