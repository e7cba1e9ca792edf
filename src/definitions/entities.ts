import { IntegrationDefinitionProps, z } from '@botpress/sdk'

export const entities = {
  hitlSession: {
    title: 'HITL session',
    description: 'Options for one LiveChat hand-over, set per startHitl call',
    schema: z.object({
      groupId: z
        .number()
        .int()
        .nonnegative()
        .optional()
        .title('LiveChat group')
        .describe('Route this chat to another LiveChat group than the configured one'),
    }),
  },
} satisfies IntegrationDefinitionProps['entities']
