import { EventEmitter } from 'node:events'

// One stream of everything the emulator records (calls, deliveries, chat and agent changes) for GET /_emulator/events.
export type FeedKind = 'call' | 'delivery' | 'chat' | 'agent'
export type FeedItem = { kind: FeedKind; at: string; data: unknown }

export class Feed {
  private readonly _emitter = new EventEmitter()

  public constructor() {
    this._emitter.setMaxListeners(100)
  }

  public publish(kind: FeedKind, data: unknown): void {
    this._emitter.emit('item', { kind, at: new Date().toISOString(), data } satisfies FeedItem)
  }

  public subscribe(listener: (item: FeedItem) => void): () => void {
    this._emitter.on('item', listener)
    return () => this._emitter.off('item', listener)
  }
}
