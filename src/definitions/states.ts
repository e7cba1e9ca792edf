import { IntegrationDefinitionProps, z } from '@botpress/sdk'

/** A LiveChat customer the integration acts as: its id, and what renews its token for the same customer. */
const customerIdentity = z.object({
  customerId: z.string().describe('entity_id of the LiveChat customer'),
  cookies: z.string().describe('LiveChat accounts cookies that renew a token for the same customer (secret)'),
  accessToken: z.string().describe('Current customer access token (secret)'),
  expiresAt: z.string().describe('When the access token expires (ISO 8601)'),
})

// State fields carry a description but no title: no Studio form shows them.
export const states = {
  /** Per HITL conversation: the agents already announced (the tags hold the rest of the session). */
  assignment: {
    type: 'conversation',
    schema: z.object({
      assignedAgentIds: z.array(z.string()).describe('LiveChat agents already announced; the last one holds the chat'),
    }),
  },
  /** Per HITL conversation: the session has ended, so that the chat_deactivated that follows stays quiet. */
  stopped: {
    type: 'conversation',
    schema: z.object({ stopped: z.boolean().describe('Whether the HITL session of this conversation has ended') }),
  },
  /** Per HITL conversation: the lease that serialises what changes the session (src/session/lease.ts). */
  lock: {
    type: 'conversation',
    schema: z.object({ owner: z.string().describe('Random id of the webhook delivery holding the lease') }),
  },
  /** Per installation: the newest webhooks that failed for good, answered 200 and kept here to be replayed. */
  deadLetters: {
    type: 'integration',
    schema: z.object({
      letters: z
        .array(
          z.object({
            at: z.string().describe('When the webhook failed (ISO 8601)'),
            reason: z.string().describe('Why it cannot succeed as it is'),
            webhookAction: z.string().optional().describe('The LiveChat webhook action'),
            livechatChatId: z.string().optional().describe('The LiveChat chat it was about'),
            livechatEventId: z.string().optional().describe('The LiveChat event it carried'),
            body: z.string().optional().describe('The webhook body without secret_key; absent when too large to keep'),
          })
        )
        .describe('Oldest first; only the newest are kept'),
    }),
  },
  /** Per end user: the LiveChat customer identity, so that one end user is one LiveChat customer. */
  customer: {
    type: 'user',
    schema: customerIdentity.extend({
      activeChatId: z.string().optional().describe('The LiveChat chat of this customer, if any'),
    }),
  },
  /** Per installation: the one LiveChat customer getAvailability asks as (list_group_statuses needs a customer). */
  availabilityCustomer: { type: 'integration', schema: customerIdentity },
  /** Per installation: the LiveChat webhooks this integration registered, so that only those are replaced. */
  webhooks: {
    type: 'integration',
    schema: z.object({
      ids: z.array(z.string()).describe('IDs returned by LiveChat register_webhook'),
      fingerprint: z.string().describe('Hash of URL, secret and actions the set was made for'),
      ownerClientId: z
        .string()
        .optional()
        .describe('The clientId that owns these webhooks, to remove them after it changes'),
    }),
  },
} satisfies IntegrationDefinitionProps['states']
