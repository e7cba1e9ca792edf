import { IntegrationDefinitionProps, z } from '@botpress/sdk'

/** Long enough that nobody guesses it by posting webhooks; hub.md says how to make one. */
const WEBHOOK_SECRET_MIN_LENGTH = 32
export const WEBHOOK_SECRET_RULE = `webhookSecret must be at least ${WEBHOOK_SECRET_MIN_LENGTH} characters: make a random one, for example with \`openssl rand -hex 32\``

/** What a LiveChat admin fills in Studio: the names users of the existing LiveChat HITL integration know. */
export const configuration = {
  schema: z.object({
    clientId: z
      .string()
      .min(1)
      .title('Client ID')
      .describe('Client ID of your LiveChat app (Developer Console > Apps > your app > Authorization)'),
    organizationId: z
      .string()
      .min(1)
      .title('Organization ID')
      .describe('Your LiveChat organization ID (Developer Console > Settings > Account, or the PAT page)'),
    webhookSecret: z
      .string()
      .min(WEBHOOK_SECRET_MIN_LENGTH, WEBHOOK_SECRET_RULE)
      .secret()
      .title('Webhook secret')
      .describe(
        'A random secret of at least 32 characters (for example the output of `openssl rand -hex 32`); LiveChat sends it with every webhook and the integration checks it'
      ),
    agentToken: z
      .string()
      .min(1)
      .secret()
      .title('Agent token (Base64)')
      .describe(
        'The Base64 string shown with your Personal Access Token (account ID and token). Scopes: chats--all:rw, customers:rw, groups--all:ro, agents--all:ro, webhooks.configuration:rw, webhooks.state:rw'
      ),
    groupId: z
      .number()
      .int()
      .nonnegative()
      .title('Group ID')
      .describe('LiveChat group that receives the HITL chats (0 is the General group)'),
  }),
} satisfies IntegrationDefinitionProps['configuration']
