import { z } from 'zod'
import type { LiveChatEmulator } from '../emulators/livechat'

/**
 * The LiveChat admin's fallback (hub.md): `register` sets up the license webhooks itself, but when it cannot (a PAT
 * without the webhook scopes, or an older bundle) the admin creates them by hand. The sandbox does that through the
 * documented Configuration API for any action not yet registered for the bot's URL, so it is a no-op when `register`
 * did its job and the story still runs when it did not.
 */
export const HITL_WEBHOOK_ACTIONS = ['incoming_event', 'user_added_to_chat', 'chat_transferred', 'chat_deactivated']

const listedWebhooks = z.array(z.object({ url: z.string(), action: z.string() }).passthrough())

const configurationCall = async (livechat: LiveChatEmulator, action: string, body: object): Promise<unknown> => {
  const res = await fetch(`${livechat.url}/v3.6/configuration/action/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${livechat.seed.agentToken}` },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`LiveChat ${action} answered ${res.status}: ${text}`)
  return JSON.parse(text)
}

export const registerHitlWebhooks = async (
  livechat: LiveChatEmulator,
  props: { webhookUrl: string; secret: string }
): Promise<void> => {
  const ownerClientId = livechat.seed.clientId
  const existing = listedWebhooks.parse(
    await configurationCall(livechat, 'list_webhooks', { owner_client_id: ownerClientId })
  )
  for (const action of HITL_WEBHOOK_ACTIONS) {
    if (existing.some((webhook) => webhook.url === props.webhookUrl && webhook.action === action)) continue
    await configurationCall(livechat, 'register_webhook', {
      url: props.webhookUrl,
      action,
      secret_key: props.secret,
      owner_client_id: ownerClientId,
      type: 'license',
    })
  }
}
