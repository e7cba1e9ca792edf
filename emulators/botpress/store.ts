import { randomUUID } from 'node:crypto'
import { BotpressEvent, BotpressFile, Conversation, Message, State, Tags, User } from './types'

export const now = (): string => new Date().toISOString()

export const newId = (): string => randomUUID()

/** AND over the wanted tags, the way the cloud matches `getOrCreate*` bodies and `tags.<k>=<v>` filters. */
export const tagsMatch = (have: Tags, want: Tags): boolean => Object.entries(want).every(([k, v]) => have[k] === v)

/**
 * Applies a tag update: keys not given are kept, and an empty string (or null, for files) unsets a key,
 * as the API docs say ("Individual keys can be unset by posting an empty value to them").
 */
export const mergeTags = (have: Tags, update: Record<string, string | null> | undefined): Tags => {
  const merged = Object.entries({ ...have, ...update })
  return Object.fromEntries(merged.filter((entry): entry is [string, string] => entry[1] !== null && entry[1] !== ''))
}

export const stateKey = (type: string, id: string, name: string): string => `${type}/${id}/${name}`

type StoredState = { state: State; expiresAtMs?: number }

/** Everything the emulated runtime holds, inspectable from tests as `bpe.db`. */
export class Store {
  public readonly users: User[] = []
  public readonly conversations: Conversation[] = []
  public readonly messages: Message[] = []
  public readonly events: BotpressEvent[] = []
  public readonly files: BotpressFile[] = []
  /** Uploaded bytes by file id. */
  public readonly fileContents = new Map<string, Buffer>()
  private readonly _states = new Map<string, StoredState>()

  public findUser(id: string): User | undefined {
    return this.users.find((u) => u.id === id)
  }

  public findConversation(id: string): Conversation | undefined {
    return this.conversations.find((c) => c.id === id)
  }

  public findMessage(id: string): Message | undefined {
    return this.messages.find((m) => m.id === id)
  }

  /** Live states only: an expired one is dropped on read, as `expiry` asks. */
  public getState(key: string): State | undefined {
    const stored = this._states.get(key)
    if (stored?.expiresAtMs !== undefined && stored.expiresAtMs <= Date.now()) {
      this._states.delete(key)
      return undefined
    }
    return stored?.state
  }

  public putState(key: string, state: State, expiryMs?: number): void {
    this._states.set(key, { state, expiresAtMs: expiryMs === undefined ? undefined : Date.now() + expiryMs })
  }

  public deleteState(key: string): void {
    this._states.delete(key)
  }

  /** Live states, for assertions. */
  public get states(): State[] {
    return [...this._states.keys()].flatMap((key) => this.getState(key) ?? [])
  }
}
