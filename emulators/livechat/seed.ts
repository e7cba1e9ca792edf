// Default license content. Ids follow the shapes in livechat-api.md §7.1: organization and account ids are UUIDs,
// client ids 32 hex chars, group ids integers (0 = General), agent ids are login emails.

export type RoutingStatus = 'accepting_chats' | 'not_accepting_chats' | 'offline'
export type AgentPriority = 'first' | 'normal' | 'last' | 'supervisor'

export type SeedAgent = {
  id: string
  name: string
  avatar: string
  routingStatus: RoutingStatus
  accountId: string
  role: 'owner' | 'viceowner' | 'administrator' | 'normal'
  /** Concurrent chats the router gives the agent (Configuration API `max_chats_count`: default 6, maximum 20). */
  maxChats?: number
}

export type SeedGroup = { id: number; name: string; agentIds: string[]; priorities?: Record<string, AgentPriority> }

/**
 * A chat tag of the license (Configuration API, Tags): a thread can carry it only when the thread and the tag share a
 * group ("Tag can be used to mark a chat's thread only if the thread and the tag are assigned to at least one common
 * group").
 */
export type SeedTag = { name: string; groupIds: number[] }

export type LiveChatSeed = {
  organizationId: string
  accountId: string
  /** The PAT as the Developer Console shows it, region prefix included ("dal:..."). */
  pat: string
  /** The ready-made Basic credential: base64("<accountId>:<pat>"). */
  agentToken: string
  /** The agent the PAT belongs to (a PAT acts as the account that created it). */
  patOwnerAgentId: string
  patScopes: string[]
  clientId: string
  /** Redirect URIs configured on the app; empty means any URI is accepted. */
  redirectUris: string[]
  region: 'dal' | 'fra'
  groups: SeedGroup[]
  agents: SeedAgent[]
  tags: SeedTag[]
}

/** What the HITL integration needs; see livechat-api.md §1.5 and each method's "Required scopes" row. */
export const HITL_SCOPES = [
  'chats--all:rw',
  'customers:rw',
  'groups--all:ro',
  'agents--all:ro',
  'webhooks.configuration:rw',
  'webhooks.state:rw',
]

const ORGANIZATION_ID = '3f1b9a6e-2c4d-4e8f-9a1b-7c2d5e6f8a90'
const ACCOUNT_ID = 'b7eff798-f8df-4364-8059-649c35c9ed0c'
const PAT = 'dal:Vq3xT9bKp2LmN8wZr5YcH1dFj7'

export const basicToken = (accountId: string, pat: string): string =>
  Buffer.from(`${accountId}:${pat}`).toString('base64')

export const DEFAULT_SEED: LiveChatSeed = {
  organizationId: ORGANIZATION_ID,
  accountId: ACCOUNT_ID,
  pat: PAT,
  agentToken: basicToken(ACCOUNT_ID, PAT),
  patOwnerAgentId: 'anna@example.com',
  patScopes: HITL_SCOPES,
  clientId: '0805e283233042b37f460ed8fbf22160',
  redirectUris: [],
  region: 'dal',
  groups: [
    { id: 0, name: 'General', agentIds: ['anna@example.com', 'bob@example.com'] },
    { id: 19, name: 'Support', agentIds: ['anna@example.com', 'bob@example.com'] },
    { id: 23, name: 'Night shift', agentIds: ['carl@example.com'] },
  ],
  agents: [
    {
      id: 'anna@example.com',
      name: 'Anna Agent',
      avatar: 'https://cdn.example.com/avatars/anna.png',
      routingStatus: 'accepting_chats',
      accountId: ACCOUNT_ID,
      role: 'owner',
    },
    {
      id: 'bob@example.com',
      name: 'Bob Builder',
      avatar: 'https://cdn.example.com/avatars/bob.png',
      routingStatus: 'accepting_chats',
      accountId: 'd24fa41e-bc16-41b8-a15b-9ca45ff7e0cf',
      role: 'normal',
    },
    {
      id: 'carl@example.com',
      name: 'Carl Offline',
      avatar: 'https://cdn.example.com/avatars/carl.png',
      routingStatus: 'not_accepting_chats',
      accountId: '2fca3315-f6b2-422f-8550-c84b649cef1a',
      role: 'normal',
    },
  ],
  tags: [
    { name: 'bot-handover', groupIds: [0, 19, 23] },
    { name: 'vip', groupIds: [19] },
    { name: 'sales', groupIds: [0] },
  ],
}

/** Merges overrides; a new region or PAT re-derives the PAT prefix and the Basic token unless given. */
export const buildSeed = (overrides: Partial<LiveChatSeed> = {}): LiveChatSeed => {
  const region = overrides.region ?? DEFAULT_SEED.region
  const accountId = overrides.accountId ?? DEFAULT_SEED.accountId
  const pat = overrides.pat ?? `${region}:${DEFAULT_SEED.pat.split(':').slice(1).join(':')}`
  return {
    ...DEFAULT_SEED,
    ...overrides,
    region,
    accountId,
    pat,
    agentToken: overrides.agentToken ?? basicToken(accountId, pat),
    groups: (overrides.groups ?? DEFAULT_SEED.groups).map((g) => ({ ...g, agentIds: [...g.agentIds] })),
    agents: (overrides.agents ?? DEFAULT_SEED.agents).map((a) => ({ ...a })),
    tags: (overrides.tags ?? DEFAULT_SEED.tags).map((t) => ({ ...t, groupIds: [...t.groupIds] })),
  }
}
