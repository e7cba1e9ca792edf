import { IntegrationDefinitionProps, z } from '@botpress/sdk'
import { livechatGroupId } from './entities'

/** The actions this integration adds to the hitl interface's, for Studio flows around a hand-over. */
export const actions = {
  getAvailability: {
    title: 'Get availability',
    description:
      'Whether a LiveChat group can answer now: online (an agent is free), queue (agents are busy, a chat would wait) or offline. A hint, cached 30 seconds; it fails when LiveChat cannot tell.',
    input: {
      schema: z.object({
        groupId: livechatGroupId
          .optional()
          .title('LiveChat group')
          .describe('The group to ask about (default: the configured group)'),
      }),
    },
    output: {
      schema: z.object({
        groupId: z.number().int().title('LiveChat group').describe('The group asked about'),
        status: z
          .enum(['online', 'queue', 'offline'])
          .title('Status')
          .describe(
            'online: an agent can take the chat; queue: it would wait for a busy agent; offline: nobody accepts chats'
          ),
      }),
    },
  },
  rateSession: {
    title: 'Rate session',
    description:
      'Writes the end user’s rating (good or bad, with an optional comment) on the LiveChat chat of a HITL session, also after it closed; a new rating replaces the previous one.',
    input: {
      schema: z.object({
        conversationId: z
          .string()
          .title('HITL conversation ID')
          .describe('The HITL conversation of the session (what startHitl returned)'),
        score: z.enum(['good', 'bad']).title('Score').describe('good: thumbs up; bad: thumbs down'),
        comment: z
          .string()
          .optional()
          .title('Comment')
          .describe('What the end user said about the session (at most 1,000 characters)'),
      }),
    },
    output: { schema: z.object({}) },
  },
} satisfies IntegrationDefinitionProps['actions']
