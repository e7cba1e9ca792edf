import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { HITL_SCOPES, type LiveChatEmulator, type LiveChatSeed } from '../../emulators/livechat'
import { TEST_WEBHOOK_SECRET, type TestBed, defaultConfiguration, startTestBed } from '../../testbed/test-bed'
import { eventually } from './eventually'

type EmulatedWebhook = {
  id: string
  url: string
  action: string
  owner_client_id: string
  type: string
  filters: Record<string, unknown> | null
}

const webhooksOf = (lc: LiveChatEmulator): EmulatedWebhook[] => lc.state.webhooks as EmulatedWebhook[]
const licenseWebhooksEnabled = (lc: LiveChatEmulator): boolean => lc.state.licenseWebhooksEnabled === true

const NEEDED = [
  { action: 'chat_deactivated', filters: null },
  { action: 'chat_transferred', filters: null },
  { action: 'incoming_event', filters: { author_type: 'agent' } },
  { action: 'user_added_to_chat', filters: null },
]

const shapeOf = (webhooks: EmulatedWebhook[]) =>
  webhooks.map(({ action, filters }) => ({ action, filters })).sort((a, b) => a.action.localeCompare(b.action))

/** A Configuration API call as another app or a person in the Developer Console would make it. */
const configurationCall = async (lc: LiveChatEmulator, action: string, body: Record<string, unknown>) => {
  const res = await fetch(`${lc.url}/v3.6/configuration/action/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${lc.seed.agentToken}` },
    body: JSON.stringify(body),
  })
  const json: unknown = await res.json()
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(json)}`)
  return json as Record<string, unknown>
}

const registerForeignWebhook = async (lc: LiveChatEmulator, url: string, action: string): Promise<string> => {
  const answer = await configurationCall(lc, 'register_webhook', {
    url,
    action,
    secret_key: 'someone-elses-secret',
    owner_client_id: lc.seed.clientId,
    type: 'license',
    description: 'not the integration',
  })
  return String(answer.id)
}

const writesSince = (lc: LiveChatEmulator, from: number) =>
  lc.calls
    .slice(from)
    .filter((call) => ['register_webhook', 'unregister_webhook', 'enable_license_webhooks'].includes(call.action))

/** The Botpress writes (state, tag, message…) since `from`, as `METHOD path`. */
const botpressWritesSince = (bed: TestBed, from: number) =>
  bed.botpress.calls
    .slice(from)
    .filter((call) => call.method !== 'GET')
    .map((call) => `${call.method} ${call.path}`)

/** The webhooks state of the bed's current installation (each bot has its own). */
const storedWebhooks = (bed: TestBed) =>
  bed.botpress.db.states.find(
    (state) => state.type === 'integration' && state.name === 'webhooks' && state.botId === bed.installation.botId
  )?.payload

/** One bed for the license-wide cases (the EU account has its own): each test starts again from the seeded license. */
let bed: TestBed
beforeAll(async () => {
  bed = await startTestBed({ register: false })
})
afterAll(() => bed?.stop())

/** The seeded license again, and a new bot installing the integration (its own ids, URL and state), not registered. */
const startAfresh = () => {
  bed.livechat.reset()
  bed.installation = bed.install()
}

/** Sets one field of the LiveChat seed for the tests of a describe, and puts it back after each. */
const withSeed = <K extends 'patScopes' | 'redirectUris'>(field: K, value: LiveChatSeed[K]) => {
  let kept: LiveChatSeed[K]
  beforeEach(() => {
    kept = bed.livechat.seed[field]
    bed.livechat.seed[field] = value
  })
  afterEach(() => {
    bed.livechat.seed[field] = kept
  })
}

describe('setup: register validates the configuration and manages the LiveChat webhooks', () => {
  let foreignElsewhere = ''
  let foreignOnOurUrl = ''

  beforeEach(async () => {
    startAfresh()
    // Someone else's webhooks on the same app: one to another service, one made by hand to our URL.
    foreignElsewhere = await registerForeignWebhook(bed.livechat, 'https://other.example.com/hook', 'incoming_event')
    foreignOnOurUrl = await registerForeignWebhook(bed.livechat, bed.installation.webhookUrl, 'chat_deactivated')
    // A disable survives reinstalls in LiveChat: install must switch license webhooks back on.
    await configurationCall(bed.livechat, 'disable_license_webhooks', { owner_client_id: bed.livechat.seed.clientId })
  })

  const ours = () => webhooksOf(bed.livechat).filter((w) => w.id !== foreignElsewhere && w.id !== foreignOnOurUrl)

  it('a fresh install registers exactly the needed license webhooks and enables license webhooks', async () => {
    expect(licenseWebhooksEnabled(bed.livechat)).toBe(false)
    await bed.installation.register()

    expect(shapeOf(ours())).toEqual(NEEDED)
    for (const webhook of ours()) {
      expect(webhook).toMatchObject({
        url: bed.installation.webhookUrl,
        owner_client_id: bed.livechat.seed.clientId,
        type: 'license',
      })
    }
    expect(licenseWebhooksEnabled(bed.livechat)).toBe(true)
    const stored = storedWebhooks(bed)
    expect(stored).toMatchObject({ ownerClientId: bed.livechat.seed.clientId })
    expect([...(stored?.ids as string[])].sort()).toEqual(
      ours()
        .map((w) => w.id)
        .sort()
    )
    expect(JSON.stringify(stored)).not.toContain(TEST_WEBHOOK_SECRET)
  })

  it("leaves other webhooks alone and says so when one points at the integration's URL", async () => {
    await bed.installation.register()
    const ids = webhooksOf(bed.livechat).map((w) => w.id)
    expect(ids).toContain(foreignElsewhere)
    expect(ids).toContain(foreignOnOurUrl)
    await eventually(() => expect(bed.logs()).toContain(`registered by it (${foreignOnOurUrl}: chat_deactivated)`))
  })

  it('a second save changes nothing', async () => {
    await bed.installation.register()
    const before = webhooksOf(bed.livechat)
    const from = bed.livechat.calls.length
    const botpressFrom = bed.botpress.calls.length
    await bed.installation.register()

    expect(writesSince(bed.livechat, from)).toEqual([])
    expect(webhooksOf(bed.livechat)).toEqual(before)
    // The one state a save writes is the list of the webhooks it registered.
    expect(botpressWritesSince(bed, botpressFrom)).toEqual([
      expect.stringMatching(/^POST \/v1\/chat\/states\/integration\/[^/]+\/webhooks$/),
    ])
  })

  it('a changed webhookSecret replaces our webhooks, and only ours', async () => {
    await bed.installation.register()
    const previous = ours().map((w) => w.id)
    bed.installation.configuration = {
      ...bed.installation.configuration,
      webhookSecret: 'a-brand-new-secret-of-32-characters',
    }
    await bed.installation.register()

    expect(shapeOf(ours())).toEqual(NEEDED)
    expect(ours().some((w) => previous.includes(w.id))).toBe(false)
    expect(webhooksOf(bed.livechat).map((w) => w.id)).toEqual(
      expect.arrayContaining([foreignElsewhere, foreignOnOurUrl])
    )
    expect(bed.logs()).not.toContain('a-brand-new-secret-of-32-characters')
  })

  it('a changed webhook URL replaces our webhooks with ones to the new URL', async () => {
    await bed.installation.register()
    const movedUrl = `${bed.botpress.url}/webhooks/moved-installation`
    const previous = ours().map((w) => w.id)
    await bed.installation.call('register', { webhookUrl: movedUrl })

    expect(shapeOf(ours())).toEqual(NEEDED)
    expect(ours().every((w) => w.url === movedUrl && !previous.includes(w.id))).toBe(true)

    await bed.installation.register()
    expect(ours().every((w) => w.url === bed.installation.webhookUrl)).toBe(true)
  })

  describe('each invalid field gets its own message, and nothing is registered', () => {
    const good = () => ({ ...bed.installation.configuration })
    let saved: ReturnType<typeof good>
    let from = 0

    beforeEach(() => {
      saved = good()
      from = bed.livechat.calls.length
    })
    afterEach(() => {
      expect(writesSince(bed.livechat, from)).toEqual([])
    })

    const registerWith = async (change: Partial<typeof saved>): Promise<string> => {
      bed.installation.configuration = { ...saved, ...change }
      const failure = await bed.installation.register().then(
        () => new Error('register succeeded'),
        (thrown: unknown) => thrown
      )
      expect(failure).toBeInstanceOf(Error)
      return failure instanceof Error ? failure.message : ''
    }

    it('agentToken that is not Base64', async () => {
      const message = await registerWith({ agentToken: 'not a token!' })
      expect(message).toMatch(/Checking agentToken failed: The `agentToken` field is not a valid LiveChat agent token/)
    })

    it('agentToken that LiveChat rejects', async () => {
      const wrong = Buffer.from(`${bed.livechat.seed.accountId}:dal:revoked-token`).toString('base64')
      const message = await registerWith({ agentToken: wrong })
      expect(message).toMatch(/Checking agentToken failed: LiveChat rejected the agent token \(401 authentication\)/)
      expect(message).not.toMatch(/groupId|organizationId/)
      expect(message).not.toContain('revoked-token')
    })

    it('organizationId that LiveChat does not know', async () => {
      const message = await registerWith({ organizationId: '00000000-0000-4000-8000-000000000000' })
      expect(message).toMatch(/LiveChat does not know organizationId 00000000-0000-4000-8000-000000000000/)
      expect(message).toMatch(/Settings > Account/)
    })

    it('clientId that cannot issue customer tokens', async () => {
      const message = await registerWith({ clientId: 'ffffffffffffffffffffffffffffffff' })
      expect(message).toMatch(/LiveChat does not accept clientId ffffffffffffffffffffffffffffffff/)
      expect(message).not.toMatch(/organizationId [0-9a-f-]{36}/)
    })

    it('groupId that does not exist', async () => {
      const message = await registerWith({ groupId: 999 })
      expect(message).toMatch(/Checking groupId failed: LiveChat has no group 999 \(404 group_not_found\)/)
      expect(message).not.toMatch(/agentToken|clientId|organizationId/)
    })

    it('webhookSecret shorter than 32 characters, before any LiveChat call', async () => {
      const calls = bed.livechat.calls.length
      const message = await registerWith({ webhookSecret: 'short-but-not-empty-secret' })
      expect(message).toMatch(/webhookSecret must be at least 32 characters/)
      expect(message).toMatch(/openssl rand -hex 32/)
      expect(message).not.toContain('short-but-not-empty-secret')
      expect(bed.livechat.calls.length).toBe(calls)
    })

    it('several at once, each with its fix', async () => {
      const message = await registerWith({ groupId: 999, clientId: 'ffffffffffffffffffffffffffffffff' })
      expect(message).toMatch(/\(2 problems\)/)
      expect(message).toMatch(/1\) Checking groupId failed/)
      expect(message).toMatch(/2\) .*does not accept clientId/)
    })
  })

  it('warns, but installs, when no agent of the group is accepting chats', async () => {
    // Group 23 holds only Carl, who is not accepting chats in the seed.
    bed.installation.configuration = { ...bed.installation.configuration, groupId: 23 }
    await bed.installation.register()
    await eventually(() =>
      expect(bed.logs()).toMatch(/No agent of LiveChat group 23 \("Night shift"\) is accepting chats right now/)
    )
  })

  it('uninstall removes only our webhooks and clears the state', async () => {
    await bed.installation.register()
    expect(ours()).toHaveLength(4)
    await bed.installation.unregister()

    expect(
      webhooksOf(bed.livechat)
        .map((w) => w.id)
        .sort()
    ).toEqual([foreignElsewhere, foreignOnOurUrl].sort())
    expect(storedWebhooks(bed)).toBeUndefined()
    expect(licenseWebhooksEnabled(bed.livechat)).toBe(true)
  })

  it('uninstall succeeds while LiveChat is failing, and says what is left to remove', async () => {
    await bed.installation.register()
    expect(ours()).toHaveLength(4)
    bed.livechat.faults.inject({ count: 1000, kind: 503, match: { api: 'configuration' } })
    try {
      await bed.installation.unregister()
    } finally {
      bed.livechat.faults.clear()
    }
    expect(ours()).toHaveLength(4)
    await eventually(() =>
      expect(bed.logs()).toMatch(/Could not remove 4 of the 4 LiveChat webhooks this integration registered/)
    )
    expect(storedWebhooks(bed)).toBeUndefined()
  })

  it('never logs the secret or the agent token', async () => {
    await bed.installation.register()
    const { agentToken } = bed.installation.configuration
    bed.installation.configuration = { ...bed.installation.configuration, agentToken: `${agentToken}x` }
    await expect(bed.installation.register()).rejects.toThrow(/agentToken/)
    bed.installation.configuration = { ...bed.installation.configuration, agentToken }
    await bed.installation.unregister()
    const logs = bed.logs()
    expect(logs).not.toContain(TEST_WEBHOOK_SECRET)
    expect(logs).not.toContain(bed.livechat.seed.agentToken)
    expect(logs).not.toContain(bed.livechat.seed.pat)
  })
})

describe('setup: a Personal Access Token without the webhook scopes', () => {
  beforeEach(startAfresh)
  withSeed(
    'patScopes',
    HITL_SCOPES.filter((scope) => !scope.startsWith('webhooks.'))
  )

  it('installs, registers nothing and logs one line with the webhooks to create by hand', async () => {
    // This installation's lines: they name its own webhook URL.
    const logs = () =>
      bed
        .logs()
        .split('\n')
        .filter((line) => line.includes(bed.installation.webhookUrl))
    await bed.installation.register()

    expect(webhooksOf(bed.livechat)).toEqual([])
    await eventually(() => expect(logs().join('\n')).toContain('LiveChat webhooks were NOT set up automatically'))
    const manual = logs().filter((line) => line.includes('LiveChat webhooks were NOT set up automatically'))
    expect(manual).toHaveLength(1)
    const [line = ''] = manual
    expect(line).toContain(bed.installation.webhookUrl)
    expect(line).toContain('secret: the value of webhookSecret')
    expect(line).toContain('1) incoming_event (filter author_type = agent)')
    for (const action of ['user_added_to_chat', 'chat_transferred', 'chat_deactivated']) expect(line).toContain(action)
    expect(bed.logs()).not.toContain(TEST_WEBHOOK_SECRET)
  })

  it('uninstall has nothing to remove and succeeds', async () => {
    await bed.installation.register()
    const from = bed.livechat.calls.length
    await bed.installation.unregister()
    expect(bed.livechat.calls.slice(from).filter((call) => call.action === 'unregister_webhook')).toEqual([])
    expect(webhooksOf(bed.livechat)).toEqual([])
  })
})

describe('setup: an app whose Redirect URIs do not include the webhook URL', () => {
  beforeEach(startAfresh)
  withSeed('redirectUris', ['https://example.com/'])

  it('names the address to add to the whitelist (the one startHitl sends too)', async () => {
    const origin = 'https://webhook.botpress.cloud'
    const said = 'redirect_uri does not match the application configuration.'
    await expect(bed.installation.register()).rejects.toThrow(
      `LiveChat refused the redirect URI (401 invalid_request, "${said}"). Add ${origin} to the Redirect URI whitelist`
    )
    expect(webhooksOf(bed.livechat)).toEqual([])
  })
})

describe('setup: an account in the EU data centre', () => {
  // Its own bed: the region is in the PAT, the agent token and every customer token the license issues.
  let bed: TestBed

  beforeAll(async () => {
    bed = await startTestBed({ register: false, livechat: { seed: { region: 'fra' } } })
  })
  afterAll(() => bed?.stop())

  it('uses an EU token: every Web API call carries X-Region: fra and succeeds', async () => {
    expect(bed.livechat.seed.pat.startsWith('fra:')).toBe(true)
    expect(defaultConfiguration(bed.livechat.seed).agentToken).toBe(bed.livechat.seed.agentToken)
    await bed.installation.register()

    const inst = bed.installation
    const { userId } = await inst.runAction('createUser', { name: 'Eva Europa', email: 'eva@example.eu' })
    const { conversationId } = await inst.runAction('startHitl', {
      userId,
      title: 'EU help',
      messageHistory: [],
    })
    await inst.sendMessage({
      conversationId,
      userId: inst.botUserId,
      type: 'text',
      payload: { text: 'Hallo', userId },
    })
    await inst.runAction('stopHitl', { conversationId })
    await inst.unregister()

    const calls = bed.livechat.calls
    const apis = new Set(calls.map((call) => call.api))
    expect(apis).toEqual(new Set(['agent', 'customer', 'configuration', 'accounts']))
    expect(calls.filter((call) => call.status !== 200)).toEqual([])
    // The accounts server is global (no region, no token prefix to send); the three Web APIs need the header.
    const webApi = calls.filter((call) => call.api !== 'accounts')
    expect(webApi.filter((call) => call.region !== 'fra')).toEqual([])
    expect(webApi.map((call) => call.action)).toEqual(
      expect.arrayContaining(['list_chats', 'get_group', 'get_customer', 'register_webhook', 'start_chat'])
    )
    expect(webApi.map((call) => call.action)).toEqual(
      expect.arrayContaining(['send_event', 'deactivate_chat', 'unregister_webhook'])
    )
  })
})
