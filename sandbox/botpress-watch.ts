import type { BotpressEmulator } from '../emulators/botpress'
import type { Activity } from './activity'

/**
 * The Botpress emulator records in plain arrays (runtime API calls, calls to the served integration, events, messages);
 * it has no stream, so the sandbox looks for new entries a few times a second and turns them into activity.
 */

const POLL_MS = 150

const HITL_EVENTS = new Set(['hitlAssigned', 'hitlStopped'])

const jsonField = (value: unknown, key: string): string | undefined => {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined
  const field: unknown = Reflect.get(value, key)
  return typeof field === 'string' ? field : undefined
}

export const watchBotpress = (botpress: BotpressEmulator, activity: Activity): (() => void) => {
  const seen = { calls: 0, operations: 0, events: 0, messages: 0, users: 0, conversations: 0 }
  const tick = (): void => {
    const { calls, operations, db } = botpress
    for (const call of calls.slice(seen.calls)) {
      activity.add({
        at: call.at,
        kind: 'http',
        from: 'integration',
        to: 'Botpress',
        title: `${call.method} ${call.path}`,
        status: call.status,
      })
    }
    for (const op of operations.slice(seen.operations)) {
      // The action or message type is what a developer wants to see next to `action_triggered` / `message_created`.
      const type = jsonField(op.requestBody, 'type')
      activity.add({
        at: op.at,
        kind: 'http',
        from: 'Botpress',
        to: 'integration',
        title: type ? `${op.operation} ${type}` : op.operation,
        status: op.status,
      })
    }
    for (const event of db.events.slice(seen.events)) {
      if (!HITL_EVENTS.has(event.type)) continue
      const agentId = jsonField(event.payload, 'userId')
      const agent = agentId ? db.findUser(agentId)?.name : undefined
      activity.add({
        at: event.createdAt,
        kind: 'hitl',
        from: 'integration',
        to: 'Botpress',
        title: event.type,
        detail: [agent, `conversation ${jsonField(event.payload, 'conversationId') ?? '?'}`]
          .filter(Boolean)
          .join(' · '),
      })
    }
    const changed =
      db.messages.length !== seen.messages ||
      db.users.length !== seen.users ||
      db.conversations.length !== seen.conversations
    Object.assign(seen, {
      calls: calls.length,
      operations: operations.length,
      events: db.events.length,
      messages: db.messages.length,
      users: db.users.length,
      conversations: db.conversations.length,
    })
    if (changed) activity.changed()
  }
  const timer = setInterval(tick, POLL_MS)
  return () => clearInterval(timer)
}
