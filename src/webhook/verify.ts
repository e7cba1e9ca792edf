import { createHash, timingSafeEqual } from 'node:crypto'
import { Result, fail, ok } from './result'
import { Rejection } from './types'

/**
 * The digest of the string's UTF-16 code units, exactly as JavaScript holds them. Not UTF-8: encoding replaces every
 * lone surrogate (which a JSON body can carry as `\ud800`) by U+FFFD, so two different secrets would hash alike.
 */
const sha256 = (value: string): Buffer => createHash('sha256').update(Buffer.from(value, 'utf16le')).digest()

/**
 * LiveChat signs nothing: it copies the `secret_key` given at registration into every webhook body
 * (platform.text.com/docs/management/webhooks). Comparing SHA-256 digests with `timingSafeEqual` takes the same time
 * whatever the input, and the digests always have the same length, so neither the content nor the length of the
 * configured secret leaks (`timingSafeEqual` itself throws on buffers of different lengths).
 */
export const isSecretValid = (received: unknown, expected: string): boolean => {
  if (typeof received !== 'string' || !received || !expected) {
    return false
  }
  return timingSafeEqual(sha256(received), sha256(expected))
}

/**
 * The secret first, then the organization: a body that knows the secret but names another organization was meant
 * for another installation (the same LiveChat app can serve several), so it is refused as forbidden.
 */
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
