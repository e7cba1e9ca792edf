import { IntegrationDefinitionProps, z } from '@botpress/sdk'

/** A LiveChat group id: an integer, 0 being the General group. */
export const livechatGroupId = z.number().int().nonnegative()

export const entities = {
  hitlSession: {
    title: 'HITL session',
    description: 'Options for one LiveChat hand-over, set per startHitl call',
    schema: z.object({
      groupId: livechatGroupId
        .optional()
        .title('LiveChat group')
        .describe('Route this chat to another LiveChat group than the configured one'),
      // Limits are checked by startHitl (src/handover/context.ts), with an error that names what does not fit.
      sessionFields: z
        .record(z.string())
        .optional()
        .title('Session fields')
        .describe(
          'Shown to the agent with the customer’s details, e.g. order number, plan, the page the user came from. At most 98 keys (LiveChat takes 100, the integration sets 2); keys up to 100 characters, values up to 1,000'
        ),
      tags: z
        .array(z.string())
        .optional()
        .title('Chat tags')
        .describe(
          'LiveChat tags put on the chat, for reports and routing rules (at most 20). Each must exist in your license in a group of the chat; one LiveChat refuses is a warning in the logs, never a failed hand-over'
        ),
    }),
  },
} satisfies IntegrationDefinitionProps['entities']
