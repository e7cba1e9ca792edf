import type { LiveChatEmulator } from '../emulators/livechat'
import { TEST_WEBHOOK_SECRET, TestBed } from './test-bed'

/** The webhooks a LiveChat admin registers by hand today (hub.md); no author filter, so our own echoes arrive too. */
export const HITL_WEBHOOK_ACTIONS = ['incoming_event', 'user_added_to_chat', 'chat_transferred', 'chat_deactivated']

/**
 * Makes sure LiveChat delivers the HITL actions to the installation: what `register` did not set up is registered
 * through the emulator's documented Configuration API, as the admin would by hand.
 */
export const registerWebhooks = async (bed: TestBed, secret: string = TEST_WEBHOOK_SECRET): Promise<void> => {
  const lc = bed.livechat
  const existing = lc.state.webhooks as { url: string; action: string }[]
  const missing = HITL_WEBHOOK_ACTIONS.filter(
    (action) => !existing.some((webhook) => webhook.url === bed.installation.webhookUrl && webhook.action === action)
  )
  for (const action of missing) {
    const res = await fetch(`${lc.url}/v3.6/configuration/action/register_webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${lc.seed.agentToken}` },
      body: JSON.stringify({
        url: bed.installation.webhookUrl,
        action,
        secret_key: secret,
        owner_client_id: lc.seed.clientId,
        type: 'license',
      }),
    })
    if (res.status !== 200) throw new Error(`register_webhook ${action}: ${res.status} ${await res.text()}`)
  }
}

export type EmulatedChat = {
  id: string
  customer_id: string | null
  users: { id: string; type: string }[]
  access: { group_ids: number[] }
  threads: { id: string; active: boolean; events: Record<string, unknown>[] }[]
}
export type EmulatedCustomer = { id: string; name: string | null; email: string | null; avatar: string | null }

export const chatOf = (lc: LiveChatEmulator, livechatChatId: string): EmulatedChat => {
  const chats = lc.state.chats as EmulatedChat[]
  const chat = chats.find((candidate) => candidate.id === livechatChatId)
  if (!chat) throw new Error(`No LiveChat chat ${livechatChatId} in the emulator`)
  return chat
}

export const customersOf = (lc: LiveChatEmulator): EmulatedCustomer[] => lc.state.customers as EmulatedCustomer[]

export const lastThreadOf = (chat: EmulatedChat) => {
  const thread = chat.threads.at(-1)
  if (!thread) throw new Error(`Chat ${chat.id} has no thread`)
  return thread
}

/** Deliveries run in the background: wait until LiveChat has nothing left to send, retries included. */
export const settle = async (bed: TestBed): Promise<void> => {
  await bed.livechat.idle()
}

/** Posts a raw body to the installation's webhook URL, as LiveChat (or anyone on the internet) would. */
export const postWebhook = async (bed: TestBed, body: string, headers: Record<string, string> = {}) => {
  const res = await fetch(bed.installation.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  return { status: res.status, body: await res.text() }
}

/** What an action call failed with, or `succeeded`: for asserting on the error the runtime would report. */
export const failureOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'succeeded',
    (thrown: unknown) => (thrown instanceof Error ? thrown.message : String(thrown))
  )
