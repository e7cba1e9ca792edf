import { createHash } from 'node:crypto'
import type { RegisteredWebhook } from '../livechat'
import type { WebhookSpec } from '../webhook/registry'
import type { StoredWebhooks } from './stored-webhooks'

/** @see https://platform.text.com/docs/management/configuration-api#webhooks */
export const WEBHOOKS_PER_ACTION = 3

/**
 * What a registered set was made for. list_webhooks never shows secrets, so a hash is the only way to tell that
 * `webhookSecret` changed; unsalted, since whoever reads the state can read the configuration anyway.
 */
export const fingerprintOf = (url: string, secret: string, specs: readonly WebhookSpec[]): string =>
  createHash('sha256')
    .update(JSON.stringify({ url, secret, webhooks: specs.map(({ action, filters }) => ({ action, filters })) }))
    .digest('hex')

const _sameFilters = (listed: RegisteredWebhook['filters'], wanted: WebhookSpec['filters']): boolean => {
  const have = Object.entries(listed ?? {}).filter(([, value]) => value !== undefined && value !== null)
  const want = Object.entries(wanted).filter(([, value]) => value !== undefined)
  return have.length === want.length && want.every(([key, value]) => listed?.[key] === value)
}

export type WebhookPlan = {
  /** Ours, up to date: left alone. */
  keep: { spec: WebhookSpec; id: string }[]
  /** Ours, outdated (URL, secret or action set changed) or duplicated: unregistered before anything is registered. */
  remove: RegisteredWebhook[]
  /** Not there yet. */
  register: WebhookSpec[]
  /** Not ours but pointing at our URL (hand-made in an earlier setup?): never touched, only reported. */
  foreignOnOurUrl: RegisteredWebhook[]
  /** Actions for which there is no room left: 3 webhooks of others already use them. */
  full: { spec: WebhookSpec; others: RegisteredWebhook[] }[]
}

type PlanInput = {
  listed: readonly RegisteredWebhook[]
  stored: StoredWebhooks | undefined
  url: string
  fingerprint: string
  specs: readonly WebhookSpec[]
}

/**
 * Ours means "its id is in our state": LiveChat lets us recognise a webhook by nothing else, and it keeps us away from
 * webhooks that other apps, people or installations registered for the same Client ID.
 */
export const planWebhooks = ({ listed, stored, url, fingerprint, specs }: PlanInput): WebhookPlan => {
  const ourIds = new Set(stored?.ids ?? [])
  const ours = listed.filter((webhook) => ourIds.has(webhook.id))
  const sameSet = stored?.fingerprint === fingerprint
  const keep: WebhookPlan['keep'] = []
  const remove: RegisteredWebhook[] = []
  for (const webhook of ours) {
    const spec = specs.find((candidate) => candidate.action === webhook.action)
    const current =
      sameSet &&
      spec !== undefined &&
      webhook.url === url &&
      _sameFilters(webhook.filters, spec.filters) &&
      !keep.some((kept) => kept.spec.action === spec.action)
    if (current) keep.push({ spec, id: webhook.id })
    else remove.push(webhook)
  }
  const register = specs.filter((spec) => !keep.some((kept) => kept.spec.action === spec.action))
  const theirs = listed.filter((webhook) => !ourIds.has(webhook.id))
  const full = register.flatMap((spec) => {
    const others = theirs.filter((webhook) => webhook.action === spec.action)
    return others.length >= WEBHOOKS_PER_ACTION ? [{ spec, others }] : []
  })
  const foreignOnOurUrl = theirs.filter((webhook) => webhook.url === url)
  return { keep, remove, register, foreignOnOurUrl, full }
}

/** Human description of one webhook to create by hand, e.g. `incoming_event (filter author_type = agent)`. */
export const describeSpec = (spec: WebhookSpec): string => {
  const filters = Object.entries(spec.filters).map(([key, value]) => `${key} = ${value}`)
  return filters.length ? `${spec.action} (filter ${filters.join(', ')})` : spec.action
}
