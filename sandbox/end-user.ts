import type { MediaStore } from './media'
import type { AgentFile, HistoryItem, PluginRole } from './plugin-role'

/**
 * The end user's side of the console: a webchat with a tiny scripted bot, handed over to a human through the plugin
 * role. Only what the end user and the bot said lives here; agent messages and hitl events are read back from Botpress
 * each time, so the page always shows what the integration really delivered.
 */

export type SessionStatus = 'bot' | 'waiting' | 'assigned' | 'ended'

export type TimelineEntry = {
  id: string
  at: string
  from: 'user' | 'bot' | 'agent' | 'system'
  text?: string
  file?: AgentFile
  agent?: { name: string; pictureUrl?: string }
}

export type EndUserView = {
  profile: { name: string; email: string }
  botpressUserId?: string
  conversationId?: string
  livechatChatId?: string
  status: SessionStatus
  agentName?: string
  endedBy?: 'agent' | 'bot'
  /** The last session ended and the end user has not answered "Did we solve your problem?" yet. */
  canRate: boolean
  timeline: TimelineEntry[]
}

type Session = { conversationId: string; startedAt: string; stoppedByBotAt?: string; rating?: 'good' | 'bad' }

const BOT_GREETING = 'Hi! I am the sandbox bot. Ask me anything, or press “Talk to a human” to reach an agent.'
const BOT_FALLBACK = 'I am only a demo bot. Press “Talk to a human” and an agent in LiveChat will take over.'
const BOT_OFFLINE =
  'Nobody is available right now: our agents answer Monday to Friday, 9:00 to 17:00. Leave a message and we will write back.'
const BOT_QUEUE = 'All our agents are busy: you are in line, one will be with you shortly.'
const BOT_UNKNOWN = 'I cannot reach our agents right now. Please try again in a moment.'
const BOT_ASK_RATING = 'Did we solve your problem?'
/** What the console's bot knows about the end user and hands to the agent with the chat (hitlSession). */
const HITL_SESSION = { sessionFields: { page: '/help/contact', plan: 'Pro' }, tags: ['bot-handover'] }

export class EndUser {
  public profile = { name: 'Ada Lovelace', email: 'ada@example.com' }
  private _botpressUserId: string | undefined
  /** Every session so far, the current one last: each has its own conversation, in the same LiveChat chat. */
  private readonly _sessions: Session[] = []
  private readonly _local: TimelineEntry[] = []
  private _seq = 0

  public constructor(
    private readonly _plugin: PluginRole,
    /** Where the end user's attachments are served from, for `bp serve` to fetch. */
    private readonly _media: Pick<MediaStore, 'put'>
  ) {
    this._say('bot', BOT_GREETING)
  }

  private get _session(): Session | undefined {
    return this._sessions.at(-1)
  }

  public view(): EndUserView {
    const state = this._state()
    return {
      profile: { ...this.profile },
      ...(this._botpressUserId !== undefined && { botpressUserId: this._botpressUserId }),
      ...(this._session && { conversationId: this._session.conversationId }),
      ...(this._session && { livechatChatId: this._plugin.livechatChatId(this._session.conversationId) }),
      ...state,
      timeline: this._timeline(),
    }
  }

  /** "Talk to a human": createUser once, then startHitl with what was said so far, as the plugin does. */
  public async escalate(props: { name?: string; email?: string; title?: string; description?: string }) {
    if (this._state().status === 'waiting' || this._state().status === 'assigned') {
      throw new Error('A human is already on this conversation')
    }
    if (props.name?.trim()) this.profile.name = props.name.trim()
    if (props.email !== undefined) this.profile.email = props.email.trim()
    this._botpressUserId ??= await this._plugin.createUser({
      name: this.profile.name,
      ...(this.profile.email && { email: this.profile.email }),
    })
    // The Studio recipe: ask first; offline: the opening hours instead of a hand-over; queue: say so, then hand over.
    const availability = await this._plugin.getAvailability().catch(() => undefined)
    if (availability === undefined || availability === 'offline') {
      this._say('bot', availability === 'offline' ? BOT_OFFLINE : BOT_UNKNOWN)
      return this.view()
    }
    if (availability === 'queue') this._say('bot', BOT_QUEUE)
    const endUserId = this._botpressUserId
    const lastUserText = [...this._local].reverse().find((entry) => entry.from === 'user' && entry.text)?.text
    const messageHistory = this._local
      .filter((entry) => entry.from === 'user' || entry.from === 'bot')
      .slice(-6)
      .map((entry): HistoryItem => {
        const source = entry.from === 'user' ? { type: 'user' as const, userId: endUserId } : { type: 'bot' as const }
        if (entry.file?.kind === 'image') return { source, type: 'image', payload: { imageUrl: entry.file.url } }
        if (entry.file) return { source, type: 'file', payload: { fileUrl: entry.file.url, title: entry.file.name } }
        return { source, type: 'text', payload: { text: entry.text ?? '' } }
      })
    this._say('bot', 'Connecting you to a human agent…')
    const startedAt = new Date().toISOString()
    const conversationId = await this._plugin.startHitl({
      userId: endUserId,
      title: props.title?.trim() || 'Talk to a human',
      description: props.description?.trim() || lastUserText || 'The end user asked for a human agent',
      hitlSession: HITL_SESSION,
      messageHistory,
    })
    this._sessions.push({ conversationId, startedAt })
    return this.view()
  }

  /** During a session the text goes to the agent; otherwise the bot answers. */
  public async say(text: string): Promise<EndUserView> {
    const trimmed = text.trim()
    if (!trimmed) throw new Error('The message is empty')
    const { status } = this._state()
    this._say('user', trimmed)
    if ((status === 'waiting' || status === 'assigned') && this._session && this._botpressUserId) {
      await this._plugin.sendUserMessage({
        conversationId: this._session.conversationId,
        endUserId: this._botpressUserId,
        text: trimmed,
      })
    } else {
      this._say('bot', BOT_FALLBACK)
    }
    return this.view()
  }

  /**
   * An attachment: served by the sandbox, then sent as an `image` (image/*) or `file` message during a session, as the
   * plugin forwards what the end user uploads to the webchat. Outside a session the bot gets it (and the history).
   */
  public async sendFile(file: { name: string; contentType: string; content: Buffer }): Promise<EndUserView> {
    if (file.content.length === 0) throw new Error('The file is empty')
    const url = this._media.put(file)
    const kind = file.contentType.startsWith('image/') ? 'image' : 'file'
    const { status } = this._state()
    this._push({ from: 'user', file: { kind, url, name: file.name } })
    if ((status === 'waiting' || status === 'assigned') && this._session && this._botpressUserId) {
      await this._plugin.sendUserFile({
        conversationId: this._session.conversationId,
        endUserId: this._botpressUserId,
        kind,
        url,
        ...(kind === 'file' && { title: file.name }),
      })
    } else {
      this._say('bot', BOT_FALLBACK)
    }
    return this.view()
  }

  /** The end user leaves (or the bot ends the session): the plugin calls stopHitl. */
  public async end(): Promise<EndUserView> {
    const session = this._session
    const { status } = this._state()
    if (!session || (status !== 'waiting' && status !== 'assigned')) throw new Error('There is no session to end')
    await this._plugin.stopHitl(session.conversationId)
    session.stoppedByBotAt = new Date().toISOString()
    return this.view()
  }

  /** The answer to "Did we solve your problem?": the rating goes to the session's LiveChat chat (rateSession). */
  public async rate(score: 'good' | 'bad'): Promise<EndUserView> {
    const session = this._session
    if (!session || !this.view().canRate) throw new Error('There is no ended session to rate')
    this._say('user', score === 'good' ? '👍 Yes' : '👎 No')
    await this._plugin.rateSession({ conversationId: session.conversationId, score })
    session.rating = score
    this._say('bot', 'Thanks for telling us!')
    return this.view()
  }

  private _say(from: 'user' | 'bot', text: string): void {
    this._push({ from, text })
  }

  private _push(entry: { from: 'user' | 'bot'; text?: string; file?: AgentFile }): void {
    this._local.push({ id: `local-${++this._seq}`, at: new Date().toISOString(), ...entry })
  }

  /** Derived from the hitl events since the session started, as the plugin tracks a session. */
  private _state(): Pick<EndUserView, 'status' | 'agentName' | 'endedBy' | 'canRate'> {
    const state = this._sessionState()
    return { ...state, canRate: state.status === 'ended' && this._session?.rating === undefined }
  }

  private _sessionState(): Pick<EndUserView, 'status' | 'agentName' | 'endedBy'> {
    const session = this._session
    if (!session) return { status: 'bot' }
    if (session.stoppedByBotAt) return { status: 'ended', endedBy: 'bot' }
    const events = this._plugin.hitlEvents(session.conversationId).filter((event) => event.at >= session.startedAt)
    if (events.some((event) => event.type === 'hitlStopped')) return { status: 'ended', endedBy: 'agent' }
    const assigned = events.filter((event) => event.type === 'hitlAssigned').at(-1)
    return assigned?.type === 'hitlAssigned'
      ? { status: 'assigned', agentName: assigned.agent.name }
      : { status: 'waiting' }
  }

  private _timeline(): TimelineEntry[] {
    const entries = [...this._local]
    const conversationIds = new Set(this._sessions.map((session) => session.conversationId))
    for (const conversationId of conversationIds) {
      for (const message of this._plugin.agentMessages(conversationId)) {
        entries.push({
          id: message.id,
          at: message.at,
          from: 'agent',
          agent: {
            name: message.agent.name,
            ...(message.agent.pictureUrl && { pictureUrl: message.agent.pictureUrl }),
          },
          ...(message.text !== undefined && { text: message.text }),
          ...(message.file && { file: message.file }),
        })
      }
      for (const event of this._plugin.hitlEvents(conversationId)) {
        const text =
          event.type === 'hitlAssigned'
            ? `${event.agent.name} joined the conversation`
            : 'The agent closed the conversation. You are back with the bot.'
        entries.push({ id: event.id, at: event.at, from: 'system', text })
        if (event.type === 'hitlStopped')
          entries.push({ id: `ask-${event.id}`, at: event.at, from: 'bot', text: BOT_ASK_RATING })
      }
    }
    for (const [index, session] of this._sessions.entries()) {
      if (!session.stoppedByBotAt) continue
      const text = 'You ended the conversation with the agent.'
      entries.push({ id: `stopped-${index}`, at: session.stoppedByBotAt, from: 'system', text })
      entries.push({ id: `ask-${index}`, at: session.stoppedByBotAt, from: 'bot', text: BOT_ASK_RATING })
    }
    // Stable sort: entries with the same millisecond keep the order they were added in.
    return entries
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.index - b.index)
      .map(({ entry }) => entry)
  }
}
