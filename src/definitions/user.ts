import { IntegrationDefinitionProps } from '@botpress/sdk'

export const user = {
  tags: {
    email: { title: 'Email', description: 'Email of the end user; the same email means the same LiveChat customer' },
    agentId: { title: 'LiveChat agent ID', description: 'Set on users that stand for a LiveChat agent (agent login)' },
  },
} satisfies IntegrationDefinitionProps['user']
