import { describe, expect, it } from 'vitest'
import samples from '../livechat/fixtures/webhook-samples.json'
import { parseWebhook } from './parse'
import { HITL_WEBHOOKS } from './registry'

describe('webhook registry', () => {
  it('handles exactly the actions setup registers', () => {
    const registered: string[] = HITL_WEBHOOKS.map((spec) => spec.action)
    for (const { body } of Object.values(samples)) {
      const handled = parseWebhook(body).kind === 'handled'
      expect({ action: body.action, handled }).toEqual({
        action: body.action,
        handled: registered.includes(body.action),
      })
    }
  })
})
