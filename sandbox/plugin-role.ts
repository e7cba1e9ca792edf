import type { BotpressEmulator, Installation, Message } from '../emulators/botpress'
import type { Configuration } from '../testbed/test-bed'
import type * as bp from '.botpress'

/**
 * The sandbox standing in for Botpress's HITL plugin, on the user side of the integration: it calls the integration's
 * actions, forwards what the end user writes to the `hitl` conversation, and reads back what the integration put in
 * Botpress (agent messages, hitl events). It only uses what the real plugin has: the actions, `sendMessage` as the bot,
 * and the runtime's records; nothing here knows LiveChat. It also calls the two actions a Studio flow uses around a
 * hand-over (getAvailability before it, rateSession after it), as the bot would.
 */

export type HitlSession = NonNullable<bp.actions.startHitl.input.Input['hitlSession']>
export type Availability = bp.actions.getAvailability.output.Output['status']

export type HistoryItem = bp.actions.startHitl.input.Input['messageHistory'][number]

export type AgentProfile = { botpressUserId: string; name: string; pictureUrl?: string }

export type AgentFile = { kind: 'image' | 'audio' | 'video' | 'file'; url: string; name: string }

export type AgentMessage = {
  id: string
  at: string
  agent: AgentProfile
  text?: string
  file?: AgentFile
}

export type HitlEvent =
  | { id: string; at: string; type: 'hitlAssigned'; agent: AgentProfile }
  | { id: string; at: string; type: 'hitlStopped' }

type Parties = {
  installation: Installation<bp.actions.Actions, Configuration>
  botpress: BotpressEmulator
}

const stringField = (payload: Record<string, unknown>, key: string): string | undefined => {
  const value = payload[key]
  return typeof value === 'string' ? value : undefined
}

/** The last path segment is the file name on LiveChat's CDN; good enough for a link label. */
const nameFromUrl = (url: string): string => {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').at(-1) ?? '') || url
  } catch {
    return url
  }
}

const fileOf = (message: Message): AgentFile | undefined => {
  const kinds = [
    ['image', 'imageUrl'],
    ['audio', 'audioUrl'],
    ['video', 'videoUrl'],
    ['file', 'fileUrl'],
  ] as const
  for (const [kind, key] of kinds) {
    if (message.type !== kind) continue
    const url = stringField(message.payload, key)
    if (url) return { kind, url, name: stringField(message.payload, 'title') ?? nameFromUrl(url) }
  }
  return undefined
}

export class PluginRole {
  public constructor(private readonly _parties: Parties) {}

  public get botUserId(): string {
    return this._parties.installation.botUserId
  }

  public async createUser(input: { name: string; email?: string; pictureUrl?: string }): Promise<string> {
    const { userId } = await this._parties.installation.runAction('createUser', input)
    return userId
  }

  /** Returns the Botpress `hitl` conversation id, as the plugin keeps it for the session. */
  public async startHitl(input: {
    userId: string
    title?: string
    description?: string
    hitlSession?: HitlSession
    messageHistory: HistoryItem[]
  }): Promise<string> {
    const { conversationId } = await this._parties.installation.runAction('startHitl', input)
    return conversationId
  }

  /** The flow's "Get availability" before "Start HITL": the configured group unless told otherwise. */
  public async getAvailability(groupId?: number): Promise<Availability> {
    const { status } = await this._parties.installation.runAction(
      'getAvailability',
      groupId === undefined ? {} : { groupId }
    )
    return status
  }

  /** The flow's answer to "Did we solve your problem?" after the session, on its HITL conversation. */
  public async rateSession(input: { conversationId: string; score: 'good' | 'bad'; comment?: string }): Promise<void> {
    await this._parties.installation.runAction('rateSession', input)
  }

  public async stopHitl(conversationId: string): Promise<void> {
    await this._parties.installation.runAction('stopHitl', { conversationId })
  }

  /** What the end user typed: sent as the bot, with `payload.userId` naming the end user, as the plugin does. */
  public async sendUserMessage(props: { conversationId: string; endUserId: string; text: string }): Promise<Message> {
    const { installation } = this._parties
    return installation.sendMessage({
      conversationId: props.conversationId,
      userId: installation.botUserId,
      type: 'text',
      payload: { text: props.text, userId: props.endUserId },
    })
  }

  /**
   * A photo or document from the end user, as the plugin forwards it: an `image` or `file` message sent as the bot with
   * `payload.userId` naming the end user. The URL must be one `bp serve` can fetch; an image is named by its last
   * path segment, a file by its title.
   */
  public async sendUserFile(props: {
    conversationId: string
    endUserId: string
    kind: 'image' | 'file'
    url: string
    title?: string
  }): Promise<Message> {
    const { installation } = this._parties
    const payload =
      props.kind === 'image'
        ? { imageUrl: props.url, userId: props.endUserId }
        : { fileUrl: props.url, userId: props.endUserId, ...(props.title !== undefined && { title: props.title }) }
    return installation.sendMessage({
      conversationId: props.conversationId,
      userId: installation.botUserId,
      type: props.kind,
      payload,
    })
  }

  /** The LiveChat chat behind a conversation, read from the tag the integration set. */
  public livechatChatId(conversationId: string): string | undefined {
    return this._parties.botpress.db.findConversation(conversationId)?.tags.id
  }

  public agentProfile(botpressUserId: string): AgentProfile {
    const user = this._parties.botpress.db.findUser(botpressUserId)
    return {
      botpressUserId,
      name: user?.name ?? 'Agent',
      ...(user?.pictureUrl !== undefined && { pictureUrl: user.pictureUrl }),
    }
  }

  /** Messages the integration created in the conversation: everything not sent by the bot comes from an agent. */
  public agentMessages(conversationId: string): AgentMessage[] {
    return this._parties.botpress.db.messages
      .filter((message) => message.conversationId === conversationId && message.userId !== this.botUserId)
      .map((message) => {
        const text = message.type === 'text' ? stringField(message.payload, 'text') : undefined
        const file = fileOf(message)
        return {
          id: message.id,
          at: message.createdAt,
          agent: this.agentProfile(message.userId),
          ...(text !== undefined && { text }),
          ...(file !== undefined && { file }),
          ...(text === undefined && file === undefined && { text: `[${message.type}]` }),
        }
      })
  }

  public hitlEvents(conversationId: string): HitlEvent[] {
    return this._parties.botpress.db.events.flatMap((event): HitlEvent[] => {
      if (stringField(event.payload, 'conversationId') !== conversationId) return []
      if (event.type === 'hitlStopped') return [{ id: event.id, at: event.createdAt, type: 'hitlStopped' }]
      const agentUserId = stringField(event.payload, 'userId')
      if (event.type === 'hitlAssigned' && agentUserId) {
        return [{ id: event.id, at: event.createdAt, type: 'hitlAssigned', agent: this.agentProfile(agentUserId) }]
      }
      return []
    })
  }
}
