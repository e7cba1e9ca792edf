import { RuntimeError } from '@botpress/sdk'
import type { LiveChatClient, RegisteredWebhook } from '../livechat'
import type { Configuration } from '../misc/configuration'
import { readStoredWebhooks, writeStoredWebhooks } from './state'
import { type SetupLogger, WEBHOOKS_PLACE, inStep, isAuthorizationError, isNotFoundError, reasonOf, text } from './step'
import {
  HITL_WEBHOOKS,
  WEBHOOKS_PER_ACTION,
  type WebhookPlan,
  type WebhookSpec,
  describeSpec,
  fingerprintOf,
  planWebhooks,
} from './webhook-plan'
import type * as bp from '.botpress'

export type WebhookSetupProps = {
  lc: LiveChatClient
  client: bp.Client
  ctx: bp.Context
  configuration: Configuration
  webhookUrl: string
  log: SetupLogger
}

/** The one webhook failure the admin must fix in LiveChat before the install can complete. */
export class WebhookLimitError extends RuntimeError {}

const DESCRIPTION_PREFIX = 'Botpress LiveChat HITL'
/**
 * The one warn line for a PAT without the webhook scopes: everything needed to do by hand what register could not,
 * the secret named but never shown.
 */
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

const _limitMessage = (clientId: string, full: WebhookPlan['full']): string => {
  const parts = full.map(
    ({ spec, others }) =>
      // Ids only: another app's webhook URL may carry its own token.
      `${spec.action} (remove one of: ${others.map((webhook) => webhook.id).join(', ')})`
  )
  return text(
    `Registering the LiveChat webhooks failed: LiveChat allows at most ${WEBHOOKS_PER_ACTION} webhooks per action `,
    `for one app, and the app with Client ID ${clientId} already has ${WEBHOOKS_PER_ACTION} that this integration `,
    `did not register for ${parts.join('; ')}. Remove what you no longer use (${WEBHOOKS_PLACE}), then save the `,
    'configuration again.'
  )
}

/**
 * Removes the webhooks a previous configuration registered under another clientId: they are not in this client's
 * list, and LiveChat would keep delivering them. Best effort, logged: that app may be gone already.
 */
const _removeFromPreviousClient = async (
  { lc, log }: WebhookSetupProps,
  ids: string[],
  previousClientId: string
): Promise<void> => {
  const results = await Promise.allSettled(
    ids.map((id) => lc.configuration.unregisterWebhook({ id, owner_client_id: previousClientId }))
  )
  const left = ids.filter((_, i) => {
    const result = results[i]
    return result?.status === 'rejected' && !isNotFoundError(result.reason)
  })
  if (left.length) {
    log.warn(
      text(
        `Could not remove ${left.length} LiveChat webhook(s) registered for the previous clientId ${previousClientId} `,
        `(ids ${left.join(', ')}): remove them in that app (${WEBHOOKS_PLACE}).`
      )
    )
  }
}

const _register = (props: WebhookSetupProps, spec: WebhookSpec): Promise<string> =>
  inStep(`Registering the LiveChat webhook for ${describeSpec(spec)}`, async () => {
    const { lc, configuration, webhookUrl } = props
    const { id } = await lc.configuration.registerWebhook({
      url: webhookUrl,
      action: spec.action,
      secret_key: configuration.webhookSecret,
      owner_client_id: configuration.clientId,
      type: 'license',
      description: `${DESCRIPTION_PREFIX}: ${spec.purpose}`,
      ...(Object.keys(spec.filters).length ? { filters: spec.filters } : {}),
    })
    return id
  }).catch((thrown: unknown) => {
    // Someone else took the last slot between our list and this call.
    if (/limit_reached/.test(reasonOf(thrown))) {
      throw new WebhookLimitError(
        text(
          `Registering the LiveChat webhook for ${spec.action} failed: LiveChat allows at most ${WEBHOOKS_PER_ACTION} `,
          `webhooks per action for one app and the app with Client ID ${props.configuration.clientId} has no room `,
          `left. Remove one you no longer use (${WEBHOOKS_PLACE}), then save the configuration again.`
        )
      )
    }
    throw thrown
  })

const _unregister = (props: WebhookSetupProps, webhook: RegisteredWebhook): Promise<void> =>
  inStep(`Removing the outdated LiveChat webhook ${webhook.id} (${webhook.action})`, async () => {
    try {
      await props.lc.configuration.unregisterWebhook({ id: webhook.id, owner_client_id: props.configuration.clientId })
    } catch (thrown) {
      // Removed by hand meanwhile: what we wanted.
      if (!isNotFoundError(thrown)) throw thrown
    }
  })

/**
 * License webhooks are delivered only while enabled for the app, and a disable survives reinstalls. Read first, so
 * that a save with nothing to do writes nothing. `undefined`: the PAT lacks the webhooks.state scope.
 */
const _enableLicenseWebhooks = async ({ lc, configuration }: WebhookSetupProps): Promise<boolean | undefined> =>
  inStep('Enabling LiveChat license webhooks', async () => {
    const owner = { owner_client_id: configuration.clientId }
    try {
      const { license_webhooks_enabled: enabled } = await lc.configuration.getLicenseWebhooksState(owner)
      if (enabled) return false
      await lc.configuration.enableLicenseWebhooks(owner)
      return true
    } catch (thrown) {
      if (isAuthorizationError(thrown)) return undefined
      throw thrown
    }
  })

export type WebhookSetupOutcome = 'automatic' | 'manual'

/**
 * Brings the license webhooks of `clientId` to exactly the set the round trip needs, for this URL and secret:
 * ours that still match stay, ours that are outdated go first (to stay under LiveChat's per-action limit), the
 * missing ones are registered; anything not in our state is left alone. Saving twice changes nothing.
 */
export const setUpWebhooks = async (props: WebhookSetupProps): Promise<WebhookSetupOutcome> => {
  const { lc, configuration, webhookUrl, log } = props
  const { clientId } = configuration

  const listed = await inStep('Listing the LiveChat webhooks of clientId', async () => {
    try {
      return await lc.configuration.listWebhooks({ owner_client_id: clientId })
    } catch (thrown) {
      if (isAuthorizationError(thrown)) return undefined
      throw thrown
    }
  })
  if (!listed) {
    log.warn(manualSetupLine(configuration, webhookUrl, 'the agentToken has no webhooks.configuration:rw scope'))
    return 'manual'
  }

  const stored = await inStep('Reading the webhooks this integration registered', () => readStoredWebhooks(props))
  if (stored?.ownerClientId && stored.ownerClientId !== clientId && stored.ids.length) {
    await _removeFromPreviousClient(props, stored.ids, stored.ownerClientId)
  }
  const sameClient = !stored?.ownerClientId || stored.ownerClientId === clientId
  const fingerprint = fingerprintOf(webhookUrl, configuration.webhookSecret, HITL_WEBHOOKS)
  const plan = planWebhooks({
    listed,
    stored: sameClient ? stored : undefined,
    url: webhookUrl,
    fingerprint,
    specs: HITL_WEBHOOKS,
  })

  if (plan.foreignOnOurUrl.length) {
    log.warn(
      text(
        `${plan.foreignOnOurUrl.length} LiveChat webhook(s) point at this integration's URL but were not `,
        `registered by it (${plan.foreignOnOurUrl.map((w) => `${w.id}: ${w.action}`).join(', ')}); they are left `,
        'alone. If they were made by hand for an earlier setup, remove them: each one delivers every event once more.'
      )
    )
  }
  if (plan.full.length) {
    throw new WebhookLimitError(_limitMessage(clientId, plan.full))
  }

  await Promise.all(plan.remove.map((webhook) => _unregister(props, webhook)))
  const registered = await Promise.allSettled(plan.register.map((spec) => _register(props, spec)))
  const newIds = registered.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  // Saved before any failure is raised: the next save then knows which ones exist and completes the set.
  await inStep('Saving the ids of the registered LiveChat webhooks', () =>
    writeStoredWebhooks(props, {
      ids: [...plan.keep.map((kept) => kept.id), ...newIds],
      fingerprint,
      ownerClientId: clientId,
    })
  )
  const failed = registered.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) {
    throw failed.reason
  }

  const enabled = await _enableLicenseWebhooks(props)
  if (enabled === undefined) {
    log.warn(
      text(
        'LiveChat license webhooks could not be checked or enabled (the agentToken has no webhooks.state:rw scope): ',
        `make sure they are enabled for the app with Client ID ${clientId}; installing the app on your license `,
        'enables them.'
      )
    )
  }

  const changed = plan.remove.length + plan.register.length
  if (changed || enabled) {
    log.info(
      text(
        `LiveChat webhooks set up: ${plan.register.length} registered, ${plan.remove.length} outdated removed, `,
        `${plan.keep.length} kept${enabled ? ', license webhooks enabled' : ''}. LiveChat applies such changes `,
        'within up to 2 minutes: events of the next minutes may not reach Botpress yet.'
      )
    )
  } else {
    log.debug(`LiveChat webhooks already up to date (${plan.keep.length})`)
  }
  return 'automatic'
}
