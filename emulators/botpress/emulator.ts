import { randomUUID } from 'node:crypto'
import { Server } from 'node:http'
import { Faults } from './faults'
import { ActionMap, InstallOptions, Installation } from './installation'
import { createConversation } from './routes/conversations'
import { seedFile } from './routes/files'
import { seedUser } from './routes/users'
import { createRuntimeServer } from './server'
import { Store } from './store'
import { BotpressFile, Conversation, RecordedCall, RecordedOperation, User } from './types'

export type BotpressEmulatorOptions = {
  port?: number
  /** Added to every runtime API call (not to the webhook relay), as a cloud round trip; settable later. */
  latencyMs?: number
}

/**
 * In-memory Botpress runtime: the `/v1/chat/*` and `/v1/files` API the integration's client calls (point
 * `BP_API_URL` at `url`), the cloud's webhook URL, and installations that drive a served bundle.
 */
export class BotpressEmulator {
  public readonly db = new Store()
  /** Every runtime API call, in arrival order. */
  public readonly calls: RecordedCall[] = []
  /** Every call the driver made to a served integration (register, actions, messages, relayed webhooks). */
  public readonly operations: RecordedOperation[] = []
  public readonly faults = new Faults()
  public readonly installations: Installation<ActionMap, object>[] = []
  public latencyMs = 0
  private _url = ''
  private readonly _server: Server

  private constructor() {
    this._server = createRuntimeServer({
      store: this.db,
      faults: this.faults,
      calls: this.calls,
      latencyMs: () => this.latencyMs,
      baseUrl: () => this._url,
      installationByIntegrationId: (id) => this.installations.find((i) => i.integrationId === id),
      installationByWebhookId: (id) => this.installations.find((i) => i.webhookId === id),
    })
  }

  public static async start(options: BotpressEmulatorOptions = {}): Promise<BotpressEmulator> {
    const emulator = new BotpressEmulator()
    emulator.latencyMs = options.latencyMs ?? 0
    const server = emulator._server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
    })
    const address = server.address()
    if (typeof address !== 'object' || !address) throw new Error('The Botpress emulator has no TCP address')
    emulator._url = `http://127.0.0.1:${address.port}`
    return emulator
  }

  /** BP_API_URL for the integration. */
  public get url(): string {
    return this._url
  }

  /** A bot installs the integration: new bot, bot user (seeded as a user), integration and webhook ids. */
  public install<TActions extends ActionMap = ActionMap, TConfig extends object = object>(
    options: InstallOptions<TConfig>
  ): Installation<TActions, TConfig> {
    const botUser = this.seedUser({ name: 'Bot' })
    const webhookId = randomUUID()
    const installation = new Installation<TActions, TConfig>(
      { store: this.db, operations: this.operations },
      {
        botId: `bot_${randomUUID()}`,
        botUserId: botUser.id,
        integrationId: `int_${randomUUID()}`,
        webhookId,
        webhookUrl: `${this._url}/webhooks/${webhookId}`,
      },
      options
    )
    this.installations.push(installation)
    return installation
  }

  /** A user as the bot (or the HITL plugin) would have created it, e.g. the end user `startHitl` refers to. */
  public seedUser(fields: { name?: string; pictureUrl?: string; tags?: Record<string, string> } = {}): User {
    return seedUser(this.db, fields)
  }

  /** A file the bot stored, served under `url` (the BP_API_URL origin), e.g. an image a message links to. */
  public seedFile(fields: { key: string; contentType: string; content: Buffer }): BotpressFile {
    return seedFile(this.db, this._url, fields)
  }

  /** A conversation on an integration channel, e.g. to send a bot message to without running an action first. */
  public seedConversation(fields: {
    channel: string
    integrationName: string
    tags?: Record<string, string>
  }): Conversation {
    return createConversation(this.db, {
      channel: fields.channel,
      integration: fields.integrationName,
      tags: fields.tags ?? {},
    })
  }

  public async stop(): Promise<void> {
    // `bp serve`'s client keeps connections alive; close them or `close()` waits for their idle timeout.
    const closed = new Promise<void>((resolve) => this._server.close(() => resolve()))
    this._server.closeAllConnections()
    await closed
  }
}
