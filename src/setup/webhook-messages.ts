import type { Configuration } from '../botpress/configuration'
import type { RegisteredWebhook } from '../livechat'
import { HITL_WEBHOOKS } from '../webhook/registry'
import { text } from './messages'
import { WEBHOOKS_PER_ACTION, type WebhookPlan, describeSpec } from './webhook-plan'

/** The lines setup logs or throws about webhooks, and where an admin manages an app's webhooks by hand. */
export const WEBHOOKS_PLACE = 'Developer Console > Apps > your app > Building blocks > Chat webhooks'

/** Everything needed to do by hand what register could not, the secret named but never shown. */
export const manualSetupLine = (configuration: Configuration, webhookUrl: string, why: string): string => {
  const list = HITL_WEBHOOKS.map((spec, i) => `${i + 1}) ${describeSpec(spec)}`).join(', ')
  return text(
    `LiveChat webhooks were NOT set up automatically (${why}). Create these ${HITL_WEBHOOKS.length} license `,
    `webhooks by hand for the app with Client ID ${configuration.clientId} (${WEBHOOKS_PLACE}), each with URL `,
    `${webhookUrl} and secret: the value of webhookSecret: ${list}; then make sure license webhooks are enabled `,
    '(installing the app on your license enables them). Or create a Personal Access Token that also has the scopes ',
    'webhooks.configuration:rw and webhooks.state:rw, put it in agentToken and save again.'
  )
}

export const foreignOnOurUrlLine = (foreign: RegisteredWebhook[]): string =>
  text(
    `${foreign.length} LiveChat webhook(s) point at this integration's URL but were not `,
    `registered by it (${foreign.map((w) => `${w.id}: ${w.action}`).join(', ')}); they are left `,
    'alone. If they were made by hand for an earlier setup, remove them: each one delivers every event once more.'
  )

/** Found in the list before registering anything. Ids only: another app's webhook URL may carry its own token. */
export const noRoomMessage = (clientId: string, full: WebhookPlan['full']): string => {
  const parts = full.map(({ spec, others }) => `${spec.action} (remove one of: ${others.map((w) => w.id).join(', ')})`)
  return text(
    `Registering the LiveChat webhooks failed: LiveChat allows at most ${WEBHOOKS_PER_ACTION} webhooks per action `,
    `for one app, and the app with Client ID ${clientId} already has ${WEBHOOKS_PER_ACTION} that this integration `,
    `did not register for ${parts.join('; ')}. Remove what you no longer use (${WEBHOOKS_PLACE}), then save the `,
    'configuration again.'
  )
}

/** LiveChat answered `limit_reached`: someone else took the last slot between our list and the registration. */
export const noRoomLeftMessage = (clientId: string, action: string): string =>
  text(
    `Registering the LiveChat webhook for ${action} failed: LiveChat allows at most ${WEBHOOKS_PER_ACTION} `,
    `webhooks per action for one app and the app with Client ID ${clientId} has no room `,
    `left. Remove one you no longer use (${WEBHOOKS_PLACE}), then save the configuration again.`
  )

export const notRemovedFromPreviousClientLine = (left: { id: string }[], previousClientId: string): string =>
  text(
    `Could not remove ${left.length} LiveChat webhook(s) registered for the previous clientId ${previousClientId} `,
    `(ids ${left.map(({ id }) => id).join(', ')}): remove them in that app (${WEBHOOKS_PLACE}).`
  )

export const noStateScopeLine = (clientId: string): string =>
  text(
    'LiveChat license webhooks could not be checked or enabled (the agentToken has no webhooks.state:rw scope): ',
    `make sure they are enabled for the app with Client ID ${clientId}; installing the app on your `,
    'license enables them.'
  )

export const setUpLine = (plan: WebhookPlan, enabled: boolean): string =>
  text(
    `LiveChat webhooks set up: ${plan.register.length} registered, ${plan.remove.length} outdated removed, `,
    `${plan.keep.length} kept${enabled ? ', license webhooks enabled' : ''}. LiveChat applies such changes `,
    'within up to 2 minutes: events of the next minutes may not reach Botpress yet.'
  )
