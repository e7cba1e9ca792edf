/**
 * What the events panel shows: every HTTP call between the three parties and the hitl events, in arrival order.
 * Kept in memory (a bounded backlog) so that a page opened late still sees how the story started.
 */

export type Party = 'LiveChat' | 'Botpress' | 'integration' | 'sandbox'

export type ActivityItem = {
  seq: number
  at: string
  /** `http` for a call or delivery, `hitl` for hitlAssigned / hitlStopped. */
  kind: 'http' | 'hitl'
  from: Party
  to: Party
  title: string
  status?: number
  detail?: string
}

type Listener = { activity(item: ActivityItem): void; changed(): void }

const BACKLOG = 1000

export class Activity {
  private readonly _items: ActivityItem[] = []
  private readonly _listeners = new Set<Listener>()
  private _seq = 0

  public add(item: Omit<ActivityItem, 'seq'>): void {
    const full = { ...item, seq: ++this._seq }
    this._items.push(full)
    if (this._items.length > BACKLOG) this._items.shift()
    for (const listener of this._listeners) listener.activity(full)
    this.changed()
  }

  /** Something the page renders changed (a chat, a message, a user), even without a new item. */
  public changed(): void {
    for (const listener of this._listeners) listener.changed()
  }

  public items(): ActivityItem[] {
    return [...this._items]
  }

  public subscribe(listener: Listener): () => void {
    this._listeners.add(listener)
    return () => this._listeners.delete(listener)
  }
}
