import { IntegrationDefinitionProps, messages } from '@botpress/sdk'

/** The `hitl` channel: every default message type, so that whatever a bot sends reaches the agent readably. */
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
    // One conversation per session (LiveChat thread); what never changes rides on its tags, which every message
    // handler gets and a webhook finds with one lookup by thread.
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
