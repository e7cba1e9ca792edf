import { InterfaceDeclaration, messages, z } from '@botpress/sdk'

/**
 * The Botpress HITL contract 2.1.0, declared here because the pinned SDK 0.10.10 ships only the old 0.2.0, which the
 * current HITL plugin refuses. Written from the public contract; test/definition/hitl-interface.test.ts pins it.
 */
const hitlChannelMessage = <S extends z.AnyZodObject>(definition: { schema: S }) => ({
  schema: () =>
    definition.schema.extend({
      userId: z.string().optional().describe('Allows sending a message pretending to be a certain user'),
      additionalData: z
        .string()
        .max(500)
        .optional()
        .describe('Extra data forwarded with the message, opaque to the integration'),
    }),
})

const messageSource = z.union([
  z.object({ type: z.literal('user'), userId: z.string() }),
  z.object({ type: z.literal('bot') }),
])

const historyEntry = <T extends keyof typeof messages.defaults>(type: T) =>
  z.object({ source: messageSource, type: z.literal(type), payload: messages.defaults[type].schema })

/** Every message type the history can hold: the SDK defaults (markdown and bloc included). */
export const messageHistoryItemSchema = z.union([
  historyEntry('text'),
  historyEntry('markdown'),
  historyEntry('image'),
  historyEntry('audio'),
  historyEntry('video'),
  historyEntry('file'),
  historyEntry('location'),
  historyEntry('carousel'),
  historyEntry('card'),
  historyEntry('dropdown'),
  historyEntry('choice'),
  historyEntry('bloc'),
])

export const hitlInterface = new InterfaceDeclaration({
  name: 'hitl',
  version: '2.1.0',
  entities: {
    hitlSession: {
      title: 'HITL session',
      description: 'Options of one human-in-the-loop session',
      schema: z.object({}),
    },
  },
  events: {
    hitlAssigned: {
      schema: () =>
        z.object({
          conversationId: z.string().title('HITL conversation ID').describe('The Botpress HITL conversation'),
          userId: z.string().title('Agent user ID').describe('The Botpress user that stands for the human agent'),
        }),
    },
    hitlStopped: {
      schema: () =>
        z.object({
          conversationId: z.string().title('HITL conversation ID').describe('The Botpress HITL conversation'),
        }),
    },
  },
  actions: {
    createUser: {
      input: {
        schema: () =>
          z.object({
            name: z.string().title('Name').describe('Display name of the end user'),
            pictureUrl: z.string().optional().title('Picture URL').describe('Avatar of the end user'),
            email: z.string().optional().title('Email').describe('Email address of the end user'),
          }),
      },
      output: {
        schema: () => z.object({ userId: z.string().title('User ID').describe('The Botpress user created or found') }),
      },
    },
    startHitl: {
      input: {
        schema: ({ hitlSession }) =>
          z.object({
            userId: z.string().title('User ID').describe('The end user (returned by createUser)'),
            title: z.string().optional().title('Title').describe('Title of the HITL session'),
            description: z.string().optional().title('Description').describe('What the end user needs'),
            hitlSession: hitlSession.optional().title('Session options').describe('Options of this HITL session'),
            messageHistory: z
              .array(messageHistoryItemSchema)
              .title('Message history')
              .describe('The conversation so far, oldest first, shown to the agent'),
          }),
      },
      output: {
        schema: () =>
          z.object({ conversationId: z.string().title('Conversation ID').describe('The Botpress HITL conversation') }),
      },
    },
    stopHitl: {
      input: {
        schema: () =>
          z.object({ conversationId: z.string().title('Conversation ID').describe('The Botpress HITL conversation') }),
      },
      output: { schema: () => z.object({}) },
    },
  },
  channels: {
    hitl: {
      messages: {
        text: hitlChannelMessage(messages.defaults.text),
        image: hitlChannelMessage(messages.defaults.image),
        audio: hitlChannelMessage(messages.defaults.audio),
        video: hitlChannelMessage(messages.defaults.video),
        file: hitlChannelMessage(messages.defaults.file),
        bloc: hitlChannelMessage(messages.defaults.bloc),
      },
    },
  },
})
