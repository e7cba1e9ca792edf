import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { parse } from './agent-api'
import { requireScope } from './auth'
import { fail } from './errors'
import type { JsonObject, Store, Webhook } from './store'

// Configuration API v3.6: src/pages/management/configuration-api/index.mdx (Agents, Groups, Tags, Webhooks).
// Real LiveChat applies configuration within up to 2 minutes ("Propagation delay"); the emulator applies it at once.

export type ConfigCall = { scopes: string[]; body: unknown }
type Handler = (call: ConfigCall) => unknown

const CHAT_FILTERS = ['chat_presence', 'only_my_chats', 'source_type']
const CONFIG_ACTIONS = [
  'group_created',
  'group_updated',
  'group_deleted',
  'agent_created',
  'agent_updated',
  'agent_deleted',
  'agent_suspended',
  'agent_unsuspended',
  'agent_approved',
  'bot_created',
  'bot_updated',
  'bot_deleted',
  'auto_accesses_updated',
  'tag_created',
  'tag_deleted',
  'tag_updated',
]
const CHAT_ACTIONS = [
  'incoming_chat',
  'chat_deactivated',
  'chat_access_updated',
  'chat_transferred',
  'user_added_to_chat',
  'user_removed_from_chat',
  'event_deleted',
  'incoming_rich_message_postback',
  'chat_properties_updated',
  'chat_properties_deleted',
  'thread_properties_updated',
  'thread_properties_deleted',
  'event_properties_updated',
  'event_properties_deleted',
  'thread_tagged',
  'thread_untagged',
  'events_marked_as_seen',
  'thread_summary_set',
]

/** "Triggering actions" table of Register Webhook: which filters each action accepts. */
const FILTERS_BY_ACTION: Record<string, string[]> = {
  ...Object.fromEntries(CHAT_ACTIONS.map((a) => [a, CHAT_FILTERS])),
  ...Object.fromEntries(CONFIG_ACTIONS.map((a) => [a, ['source_type']])),
  incoming_event: [...CHAT_FILTERS, 'author_type'],
  event_updated: [...CHAT_FILTERS, 'author_type'],
  routing_status_set: ['agent_ids', 'source_type'],
  customer_session_fields_updated: ['chat_presence', 'source_type'],
}
const NO_ADDITIONAL_DATA = ['agent_status_changed', 'agent_deleted']

const registerSchema = z.object({
  action: z.string(),
  secret_key: z.string().min(1),
  url: z.string().url().max(500),
  additional_data: z.array(z.enum(['chat_properties', 'chat_presence_user_ids'])).optional(),
  description: z.string().optional(),
  filters: z
    .object({
      author_type: z.enum(['customer', 'agent']).optional(),
      only_my_chats: z.boolean().optional(),
      chat_presence: z
        .object({
          user_ids: z
            .object({ values: z.array(z.string()).optional(), exclude_values: z.array(z.string()).optional() })
            .refine((u) => (u.values === undefined) !== (u.exclude_values === undefined), {
              message: 'exactly one of `values` or `exclude_values` is allowed',
            })
            .optional(),
          my_bots: z.boolean().optional(),
        })
        .optional(),
      source_type: z.array(z.enum(['my_client', 'other_clients', 'system'])).optional(),
      agent_ids: z
        .object({ values: z.array(z.string()).optional(), exclude_values: z.array(z.string()).optional() })
        .optional(),
    })
    .strict()
    .optional(),
  owner_client_id: z.string(),
  type: z.enum(['license', 'bot']),
})

const WEBHOOKS_PER_ACTION = 3

export const configurationHandlers = (store: Store): Record<string, Handler> => {
  const ownClient = (clientId: string | undefined): string => {
    // "Must be owned by your organization": only the seeded app's Client ID is ours.
    if (clientId === undefined) return fail('validation', '`owner_client_id` is required')
    if (clientId !== store.seed.clientId)
      return fail('validation', '`owner_client_id` is not owned by your organization')
    return clientId
  }
  const routingStatus = (agentIds: string[]): string => {
    const statuses = agentIds.map((id) => store.routingStatus.get(id))
    if (statuses.includes('accepting_chats')) return 'accepting_chats'
    if (statuses.includes('not_accepting_chats')) return 'not_accepting_chats'
    return 'offline'
  }
  const groupView = (group: Store['seed']['groups'][number], fields: string[]): JsonObject => ({
    id: group.id,
    name: group.name,
    language_code: 'en',
    ...(fields.includes('agent_priorities')
      ? { agent_priorities: Object.fromEntries(group.agentIds.map((id) => [id, group.priorities?.[id] ?? 'normal'])) }
      : {}),
    ...(fields.includes('routing_status') ? { routing_status: routingStatus(group.agentIds) } : {}),
  })
  // login_status uses spaces ("accepting chats"), unlike routing statuses (Get Agent / List Agents samples).
  const loginStatus = (id: string) => (store.isAccepting(id) ? 'accepting chats' : 'not accepting chats')
  const fieldsSchema = z.object({ fields: z.array(z.string()).optional() })
  const ownerOnly = z.object({ owner_client_id: z.string().optional() })

  return {
    list_groups: ({ scopes, body }) => {
      requireScope(scopes, ['groups--all:ro'])
      const req = parse(fieldsSchema, body)
      return store.seed.groups.map((g) => groupView(g, req.fields ?? []))
    },
    get_group: ({ scopes, body }) => {
      requireScope(scopes, ['groups--my:ro', 'groups--all:ro'])
      const req = parse(fieldsSchema.extend({ id: z.number().int() }), body)
      const group = store.seed.groups.find((g) => g.id === req.id)
      if (!group) return fail('group_not_found', `Group not found: ${req.id}`)
      return groupView(group, req.fields ?? [])
    },
    list_agents: ({ scopes, body }) => {
      requireScope(scopes, ['agents--all:ro'])
      const req = parse(
        fieldsSchema.extend({
          filters: z
            .object({ group_ids: z.array(z.number().int()).optional(), suspended: z.boolean().optional() })
            .optional(),
        }),
        body
      )
      const inGroups = (id: string) =>
        !req.filters?.group_ids ||
        store.seed.groups.some((g) => req.filters?.group_ids?.includes(g.id) && g.agentIds.includes(id))
      // List Agents returns `avatar_path` (v3.6 listAgents.json), Get Agent returns `avatar`.
      return store.seed.agents
        .filter((a) => inGroups(a.id) && req.filters?.suspended !== true)
        .map((a) => ({
          id: a.id,
          account_id: a.accountId,
          name: a.name,
          avatar_path: a.avatar,
          role: a.role,
          login_status: loginStatus(a.id),
          ...(req.fields?.includes('groups')
            ? {
                groups: store.seed.groups
                  .filter((g) => g.agentIds.includes(a.id))
                  .map((g) => ({ id: g.id, priority: g.priorities?.[a.id] ?? 'normal' })),
              }
            : {}),
        }))
    },
    get_agent: ({ scopes, body }) => {
      requireScope(scopes, ['agents--my:ro', 'agents--all:ro'])
      const req = parse(fieldsSchema.extend({ id: z.string() }), body)
      const agent = store.agent(req.id)
      if (!agent) return fail('not_found', `Agent not found: ${req.id}`)
      return {
        id: agent.id,
        account_id: agent.accountId,
        name: agent.name,
        avatar: agent.avatar,
        role: agent.role,
        login_status: loginStatus(agent.id),
      }
    },
    // List Tags: the license's tags (the seed's), optionally those of some groups.
    list_tags: ({ scopes, body }) => {
      requireScope(scopes, ['tags--all:ro', 'tags--groups:ro'])
      const req = parse(z.object({ filters: z.object({ group_ids: z.array(z.number().int()) }).optional() }), body)
      const groupIds = req.filters?.group_ids
      return store.seed.tags
        .filter((tag) => !groupIds || tag.groupIds.some((id) => groupIds.includes(id)))
        .map((tag) => ({
          name: tag.name,
          group_ids: tag.groupIds,
          author_id: store.seed.patOwnerAgentId,
          created_at: '2024-01-02T10:00:00.000000Z',
        }))
    },
    register_webhook: ({ scopes, body }) => {
      requireScope(scopes, ['webhooks.configuration:rw'])
      const req = parse(registerSchema, body)
      const allowed = FILTERS_BY_ACTION[req.action]
      if (!allowed) return fail('validation', `Unknown webhook action: ${req.action}`)
      ownClient(req.owner_client_id)
      for (const key of Object.keys(req.filters ?? {})) {
        if (!allowed.includes(key)) fail('validation', `Filter \`${key}\` is not allowed for action ${req.action}`)
      }
      if (req.additional_data?.length && NO_ADDITIONAL_DATA.includes(req.action)) {
        fail('validation', `additional_data is not available for action ${req.action}`)
      }
      const sameAction = store.webhooks.filter(
        (w) => w.ownerClientId === req.owner_client_id && w.action === req.action
      )
      if (sameAction.length >= WEBHOOKS_PER_ACTION) fail('limit_reached', 'Webhooks limit reached for this action')
      const webhook: Webhook = {
        id: randomBytes(13).toString('hex').slice(0, 25),
        url: req.url,
        action: req.action,
        secretKey: req.secret_key,
        ownerClientId: req.owner_client_id,
        type: req.type,
        additionalData: req.additional_data ?? [],
        ...(req.description !== undefined ? { description: req.description } : {}),
        ...(req.filters ? { filters: JSON.parse(JSON.stringify(req.filters)) as JsonObject } : {}),
      }
      store.webhooks.push(webhook)
      return { id: webhook.id }
    },
    list_webhooks: ({ scopes, body }) => {
      requireScope(scopes, ['webhooks.configuration:rw'])
      const req = parse(z.object({ owner_client_id: z.string() }), body)
      ownClient(req.owner_client_id)
      // The docs' sample lists no secret_key and no additional_data.
      return store.webhooks
        .filter((w) => w.ownerClientId === req.owner_client_id)
        .map((w) => ({
          id: w.id,
          url: w.url,
          ...(w.description !== undefined ? { description: w.description } : {}),
          action: w.action,
          ...(w.filters ? { filters: w.filters } : {}),
          owner_client_id: w.ownerClientId,
          type: w.type,
        }))
    },
    unregister_webhook: ({ scopes, body }) => {
      requireScope(scopes, ['webhooks.configuration:rw'])
      const req = parse(z.object({ id: z.string(), owner_client_id: z.string() }), body)
      ownClient(req.owner_client_id)
      const index = store.webhooks.findIndex((w) => w.id === req.id && w.ownerClientId === req.owner_client_id)
      if (index < 0) return fail('not_found', `Webhook not found: ${req.id}`)
      store.webhooks.splice(index, 1)
      return {}
    },
    // owner_client_id is required with a PAT (Enable/Disable License Webhooks request tables).
    enable_license_webhooks: ({ scopes, body }) => {
      requireScope(scopes, ['webhooks.state:rw'])
      ownClient(parse(ownerOnly, body).owner_client_id)
      store.licenseWebhooksEnabled = true
      return {}
    },
    disable_license_webhooks: ({ scopes, body }) => {
      requireScope(scopes, ['webhooks.state:rw'])
      ownClient(parse(ownerOnly, body).owner_client_id)
      store.licenseWebhooksEnabled = false
      return {}
    },
    get_license_webhooks_state: ({ scopes, body }) => {
      requireScope(scopes, ['webhooks.state:ro'])
      ownClient(parse(ownerOnly, body).owner_client_id)
      return { license_webhooks_enabled: store.licenseWebhooksEnabled }
    },
  }
}
