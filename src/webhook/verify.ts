import { createHash, timingSafeEqual } from 'node:crypto'
import { Rejection, Result, fail, ok } from './types'

/** Over UTF-16 code units: UTF-8 turns each lone surrogate (`\ud800` in JSON) into U+FFFD, so secrets could collide. */
const sha256 = (value: string): Buffer => createHash('sha256').update(Buffer.from(value, 'utf16le')).digest()

/**
 * LiveChat signs nothing: it copies the registered `secret_key` into every body (see platform.text.com/docs/management/
 * webhooks). Digests of equal length compared with `timingSafeEqual` leak neither the secret nor its length.
 */
export const isSecretValid = (received: unknown, expected: string): boolean => {
  if (typeof received !== 'string' || !received || !expected) return false
  return timingSafeEqual(sha256(received), sha256(expected))
}

/** The secret, then the organization: a body naming another one was meant for another installation of the app. */
export const verifyWebhook = (
  json: Record<string, unknown>,
  configuration: { webhookSecret?: string; organizationId?: string }
): Result<void, Rejection> => {
  if (!isSecretValid(json.secret_key, configuration.webhookSecret ?? '')) {
    return fail({ status: 401, reason: 'Missing or wrong secret_key' })
  }
  const organizationId = json.organization_id
  if (typeof organizationId === 'string' && organizationId !== configuration.organizationId) {
    return fail({ status: 403, reason: 'organization_id does not match the configured organization' })
  }
  return ok(undefined)
}
