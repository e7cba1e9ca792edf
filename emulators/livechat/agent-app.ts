import type { Cdn } from './cdn'
import type { Actor, ChatOps, TransferTarget } from './chat-ops'
import { fail } from './errors'
import type { RoutingStatus } from './seed'
import type { Store } from './store'

// A seeded agent working in the Agent App. Each helper goes through ChatOps, the same code as the Agent Chat API,
// so webhooks fire exactly as for API calls. Writing into a chat one is not in joins it first, as the Agent App does.

export type AgentApp = {
  sendMessage(chatId: string, text: string): Promise<{ eventId: string }>
  sendFile(
    chatId: string,
    file: { name: string; contentType: string; content: Buffer }
  ): Promise<{ eventId: string; url: string }>
  sendRichMessage(chatId: string, event: Record<string, unknown>): Promise<{ eventId: string }>
  join(chatId: string): Promise<void>
  transfer(chatId: string, target: TransferTarget, opts?: { ignoreAgentsAvailability?: boolean }): Promise<void>
  closeChat(chatId: string): Promise<void>
  /** The status switch of the Agent App: accepting chats, not accepting chats (agents cannot pick `offline`). */
  setRoutingStatus(status: Exclude<RoutingStatus, 'offline'>): Promise<void>
}

export const agentApp = (ops: ChatOps, store: Store, cdn: Cdn, agentId: string): AgentApp => {
  if (!store.agent(agentId)) fail('not_found', `Agent not found: ${agentId}`)
  const actor: Actor = { kind: 'agent', agentId, via: 'agent_app' }
  const join = (chatId: string): void => {
    const chat = ops.chatFor(actor, chatId)
    if (chat.users.some((u) => u.id === agentId && u.present)) return
    ops.addUser(actor, chatId, { id: agentId, type: 'agent', visibility: 'all' }, true)
  }
  const send = (chatId: string, event: unknown): { eventId: string } => {
    join(chatId)
    return { eventId: ops.sendEvent(actor, chatId, event).id }
  }
  return {
    sendMessage: async (chatId, text) => send(chatId, { type: 'message', text, visibility: 'all' }),
    sendFile: async (chatId, file) => {
      const { url } = cdn.upload(file)
      return { ...send(chatId, { type: 'file', url }), url }
    },
    sendRichMessage: async (chatId, event) => send(chatId, { ...event, type: 'rich_message' }),
    join: async (chatId) => join(chatId),
    transfer: async (chatId, target, opts = {}) =>
      ops.transfer(actor, chatId, target, {
        ignoreAgentsAvailability: opts.ignoreAgentsAvailability === true,
        ignoreRequesterPresence: true,
      }),
    closeChat: async (chatId) => ops.deactivateChat(actor, chatId, true),
    setRoutingStatus: async (status) => ops.setRoutingStatus(agentId, status),
  }
}
