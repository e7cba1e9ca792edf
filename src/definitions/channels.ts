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
    conversation: {
      tags: {
        id: { title: 'LiveChat chat ID', description: 'ID of the LiveChat chat bridged to this conversation' },
      },
    },
  },
} satisfies IntegrationDefinitionProps['channels']
