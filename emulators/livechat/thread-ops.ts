import type { Actor, ChatOps } from './chat-ops'
import { fail } from './errors'
import type { Chat, Json, JsonObject, Store, Thread } from './store'

// What the Agent and Customer Chat APIs do to one thread besides events: chat tags (Agent Chat API, Tag Thread;
// Configuration API, Tags) and thread properties (Update Thread Properties; Default properties reference).

type Access = 'r' | 'rw'
type PropertyRule = { type: 'int' | 'string' | 'bool'; domain?: Json[]; agent?: Access; customer?: Access }

/**
 * The thread properties the emulator knows, with who may write them (src/pages/messaging/references/
 * default-properties): `rating` is "r for Agents" and "rw for Customers" in chats, threads and events; the license's
 * `test` namespace is "rw for everyone everywhere" (Configuration API, Test properties). Anything else would have to
 * be registered by its owner Client Id, which the emulator does not model: it is refused.
 */
const THREAD_PROPERTIES: Record<string, Record<string, PropertyRule>> = {
  rating: {
    score: { type: 'int', domain: [0, 1], agent: 'r', customer: 'rw' },
    comment: { type: 'string', agent: 'r', customer: 'rw' },
  },
  test: {
    bool_property: { type: 'bool', agent: 'rw', customer: 'rw' },
    int_property: { type: 'int', agent: 'rw', customer: 'rw' },
    string_property: { type: 'string', agent: 'rw', customer: 'rw' },
    tokenized_string_property: { type: 'string', agent: 'rw', customer: 'rw' },
  },
}

const fitsType = (rule: PropertyRule, value: Json): boolean => {
  if (rule.type === 'int') return typeof value === 'number' && Number.isInteger(value)
  if (rule.type === 'bool') return typeof value === 'boolean'
  return typeof value === 'string'
}

/** Every property checked before any is written, so a refused request changes nothing. */
const checkWritable = (actor: Actor, properties: Record<string, Record<string, Json>>): void => {
  for (const [namespace, values] of Object.entries(properties)) {
    for (const [name, value] of Object.entries(values)) {
      const rule =
        THREAD_PROPERTIES[namespace]?.[name] ??
        fail('validation', `Property ${namespace}.${name} does not exist in threads`)
      if (rule[actor.kind] !== 'rw') fail('authorization', `Property ${namespace}.${name} is read-only for you`)
      if (!fitsType(rule, value)) fail('validation', `Property ${namespace}.${name} must be of type ${rule.type}`)
      if (rule.domain && !rule.domain.includes(value)) {
        fail('validation', `Property ${namespace}.${name} must be one of ${rule.domain.join(', ')}`)
      }
    }
  }
}

export class ThreadOps {
  public constructor(
    private readonly _store: Store,
    private readonly _chats: ChatOps
  ) {}

  private _thread(actor: Actor, chatId: string, threadId: string): { chat: Chat; thread: Thread } {
    const chat = this._chats.chatFor(actor, chatId)
    const thread = chat.threads.find((t) => t.id === threadId)
    return thread ? { chat, thread } : fail('not_found', `Thread not found: ${threadId}`)
  }

  /**
   * Tag Thread: active and inactive threads alike; the tag must exist in the license (matched case-sensitively, as
   * the request table says) and share a group with the thread. A tag already on the thread changes nothing.
   */
  public tagThread(actor: Actor, chatId: string, threadId: string, tag: string): void {
    const { chat, thread } = this._thread(actor, chatId, threadId)
    const known =
      this._store.seed.tags.find((candidate) => candidate.name === tag) ?? fail('not_found', `Tag not found: ${tag}`)
    if (!known.groupIds.some((id) => thread.groupIds.includes(id))) {
      fail('validation', `Tag ${tag} is not assigned to any group of the thread`)
    }
    if (thread.tags.includes(tag)) return
    thread.tags.push(tag)
    this._chats.notify(actor, chat, 'thread_tagged', { chat_id: chat.id, thread_id: thread.id, tag })
  }

  /** Update Thread Properties: merged namespace by namespace; the webhook carries only what was written. */
  public updateThreadProperties(
    actor: Actor,
    chatId: string,
    threadId: string,
    properties: Record<string, Record<string, Json>>
  ): void {
    const { chat, thread } = this._thread(actor, chatId, threadId)
    checkWritable(actor, properties)
    for (const [namespace, values] of Object.entries(properties)) {
      const current = thread.properties[namespace]
      const base = current && typeof current === 'object' && !Array.isArray(current) ? current : {}
      thread.properties[namespace] = { ...base, ...values }
    }
    const written: JsonObject = JSON.parse(JSON.stringify(properties))
    this._chats.notify(actor, chat, 'thread_properties_updated', {
      chat_id: chat.id,
      thread_id: thread.id,
      properties: written,
    })
  }
}
