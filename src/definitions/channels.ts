import { IntegrationDefinitionProps, messages } from '@botpress/sdk'

/**
 * The `hitl` channel. The HITL interface adds `userId` and `additionalData` to the six types it declares;
 * the others are ours so that whatever a bot sends reaches the agent in a readable form.
 */
export const channels = {
  hitl: {
    title: 'LiveChat HITL',
    description: 'The LiveChat chat a human agent answers',
    messages: { ...messages.defaults },
    message: {
      tags: {
        id: {
          title: 'LiveChat event ID',
          description: 'ID of the LiveChat event this message was sent as or came from',
        },
      },
    },
    // One conversation per HITL session, that is per LiveChat thread: everything that never changes during the
    // session rides on its tags, so that the runtime hands it to every message handler and a webhook finds it with one
    // lookup by thread, without reading any state.
    conversation: {
      tags: {
        id: { title: 'LiveChat chat ID', description: 'ID of the LiveChat chat bridged to this conversation' },
        thread: {
          title: 'LiveChat thread ID',
          description: 'ID of the LiveChat thread of this HITL session (a chat gets a new thread per session)',
        },
        userId: { title: 'End user ID', description: 'ID of the Botpress user that stands for the LiveChat customer' },
        customerId: { title: 'LiveChat customer ID', description: 'ID of the LiveChat customer writing in the chat' },
        agentId: {
          title: 'LiveChat agent ID',
          description: 'The LiveChat agent who holds the chat now, as last announced with hitlAssigned',
        },
      },
    },
  },
} satisfies IntegrationDefinitionProps['channels']
