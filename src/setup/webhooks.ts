import { RuntimeError } from '@botpress/sdk'
import type { Configuration } from '../botpress/configuration'
import { toRuntimeError } from '../botpress/errors'
import type { Log } from '../botpress/log'
import {
  type LiveChatClient,
  type RegisteredWebhook,
  isLimitReached,
  isLiveChatNotFound,
  isMissingScope,
} from '../livechat'
import { HITL_WEBHOOKS, type WebhookSpec } from '../webhook/registry'
import { readStoredWebhooks, writeStoredWebhooks } from './stored-webhooks'
import {
  foreignOnOurUrlLine,
  manualSetupLine,
  noRoomLeftMessage,
  noRoomMessage,
  noStateScopeLine,
  notRemovedFromPreviousClientLine,
  setUpLine,
} from './webhook-messages'
import { type WebhookPlan, describeSpec, fingerprintOf, planWebhooks } from './webhook-plan'
import type * as bp from '.botpress'

type Props = {
  lc: LiveChatClient
  client: bp.Client
  ctx: bp.Context
  configuration: Configuration
  webhookUrl: string
  log: Log
}

/** The one webhook failure the admin must fix in LiveChat before the install can complete. */
export class WebhookLimitError extends RuntimeError {}

/**
 * Brings the license webhooks of `clientId` to exactly the set the round trip needs, for this URL and secret: ours
 * that match stay, outdated ones go first (LiveChat limits webhooks per action), missing ones are registered; anything
 * not in our state is left alone. Saving twice changes nothing.
 */
export const setUpWebhooks = async (props: Props): Promise<void> => {
  const { configuration, webhookUrl, log } = props
  const listed = await inStep('Listing the LiveChat webhooks of clientId', () =>
    _unlessMissingScope(() => props.lc.configuration.listWebhooks({ owner_client_id: configuration.clientId }))
  )
  if (!listed) {
    log.warn(manualSetupLine(configuration, webhookUrl, 'the agentToken has no webhooks.configuration:rw scope'))
    return
  }
  const fingerprint = fingerprintOf(webhookUrl, configuration.webhookSecret, HITL_WEBHOOKS)
  const plan = await _plan(props, listed, fingerprint)
  if (plan.foreignOnOurUrl.length) log.warn(foreignOnOurUrlLine(plan.foreignOnOurUrl))
  if (plan.full.length) throw new WebhookLimitError(noRoomMessage(configuration.clientId, plan.full))
  await _apply(props, plan, fingerprint)
  const enabled = await _enableLicenseWebhooks(props)
  if (enabled === undefined) log.warn(noStateScopeLine(configuration.clientId))
  if (plan.remove.length + plan.register.length > 0 || enabled) {
    log.info(setUpLine(plan, enabled === true))
  } else {
    log.debug(`LiveChat webhooks already up to date (${plan.keep.length})`)
  }
}

/** A failure of one step starts with the step's sentence, so that the admin knows where it stopped. */
const inStep = <T>(sentence: string, run: () => Promise<T>): Promise<T> =>
  run().catch((thrown: unknown) => {
    throw toRuntimeError(thrown, sentence)
  })

/** `undefined`: the PAT lacks the scope the step needs. */
const _unlessMissingScope = <T>(run: () => Promise<T>): Promise<T | undefined> =>
  run().catch((thrown: unknown) => {
    if (isMissingScope(thrown)) return undefined
    throw thrown
  })

/** Ours that a previous configuration registered for another clientId go, best effort (that app may be gone). */
const _plan = async (props: Props, listed: RegisteredWebhook[], fingerprint: string): Promise<WebhookPlan> => {
  const { lc, configuration, log } = props
  const stored = await inStep('Reading the webhooks this integration registered', () => readStoredWebhooks(props))
  const previousClientId = stored?.ownerClientId || configuration.clientId
  const sameClient = previousClientId === configuration.clientId
  if (!sameClient && stored?.ids.length) {
    const left = await removeWebhooks(lc, stored.ids, previousClientId)
    if (left.length) log.warn(notRemovedFromPreviousClientLine(left, previousClientId))
  }
  return planWebhooks({
    listed,
    stored: sameClient ? stored : undefined,
    url: props.webhookUrl,
    fingerprint,
    specs: HITL_WEBHOOKS,
  })
}

/** Outdated ones first, then the missing ones; the ids are saved before any failure is raised. */
const _apply = async (props: Props, plan: WebhookPlan, fingerprint: string): Promise<void> => {
  const { lc, configuration } = props
  const outdated = plan.remove.map((webhook) => webhook.id)
  const [notRemoved] = await removeWebhooks(lc, outdated, configuration.clientId)
  if (notRemoved) {
    const { action } = plan.remove.find((webhook) => webhook.id === notRemoved.id) ?? {}
    throw toRuntimeError(notRemoved.reason, `Removing the outdated LiveChat webhook ${notRemoved.id} (${action})`)
  }
  const registered = await Promise.allSettled(plan.register.map((spec) => _register(props, spec)))
  const newIds = registered.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  // Saved first: the next save then knows which ones exist and completes the set.
  await inStep('Saving the ids of the registered LiveChat webhooks', () =>
    writeStoredWebhooks(props, {
      ids: [...plan.keep.map((kept) => kept.id), ...newIds],
      fingerprint,
      ownerClientId: configuration.clientId,
    })
  )
  const failed = registered.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) throw failed.reason
}

const _register = ({ lc, configuration, webhookUrl }: Props, spec: WebhookSpec): Promise<string> =>
  inStep(`Registering the LiveChat webhook for ${describeSpec(spec)}`, async () => {
    const request = {
      url: webhookUrl,
      action: spec.action,
      secret_key: configuration.webhookSecret,
      owner_client_id: configuration.clientId,
      type: 'license' as const,
      description: `Botpress LiveChat HITL: ${spec.purpose}`,
      ...(Object.keys(spec.filters).length ? { filters: spec.filters } : {}),
    }
    const { id } = await lc.configuration.registerWebhook(request).catch((thrown: unknown) => {
      // Someone else took the last slot between our list and this registration.
      if (isLimitReached(thrown)) throw new WebhookLimitError(noRoomLeftMessage(configuration.clientId, spec.action))
      throw thrown
    })
    return id
  })

/** Resolves to the webhooks LiveChat kept, each with its reason; one already gone (removed by hand) counts as gone. */
export const removeWebhooks = async (lc: LiveChatClient, ids: readonly string[], owner: string) => {
  const results = await Promise.allSettled(
    ids.map((id) => lc.configuration.unregisterWebhook({ id, owner_client_id: owner }))
  )
  return ids.flatMap((id, i) => {
    const result = results[i]
    return result?.status === 'rejected' && !isLiveChatNotFound(result.reason) ? [{ id, reason: result.reason }] : []
  })
}

/**
 * License webhooks are delivered only while enabled, and a disable survives reinstalls. Read first, so that a save
 * with nothing to do writes nothing. Resolves to whether this enabled them.
 */
const _enableLicenseWebhooks = ({ lc, configuration }: Props): Promise<boolean | undefined> =>
  inStep('Enabling LiveChat license webhooks', () =>
    _unlessMissingScope(async () => {
      const owner = { owner_client_id: configuration.clientId }
      if ((await lc.configuration.getLicenseWebhooksState(owner)).license_webhooks_enabled) return false
      await lc.configuration.enableLicenseWebhooks(owner)
      return true
    })
  )
