/**
 * Removes credentials from anything this module logs or throws: by key (Authorization, Cookie, tokens, secrets), by
 * pattern (Basic/Bearer values, `dal:…` tokens, identity cookies), and the exact secrets the caller holds.
 */

const REDACTED = '[redacted]'

const CREDENTIAL_KEY = /authorization|cookie|token|secret|password|credential|^pat$/i
/** Request bodies can carry customer text and tokens: never keep them. */
const BODY_KEY = /^(body|requestBody|request_body)$/

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~:-]+/gi, `$1 ${REDACTED}`],
  [/\b(__lc_c(?:id|st))=[^;,\s"]*/g, `$1=${REDACTED}`],
  // LiveChat tokens are `<region>:<opaque>`: dal:…, fra:…, fra-a:…
  [/\b[a-z]{2,8}(?:-[a-z0-9]{1,8})?:[A-Za-z0-9_-]{10,}/g, REDACTED],
  [/("(?:secret_key|access_token|refresh_token|agentToken|webhookSecret)"\s*:\s*")[^"]*"/g, `$1${REDACTED}"`],
]

export const redactText = (text: string, secrets: readonly string[] = []): string => {
  // Short values would mask ordinary words; credentials are never that short.
  const masked = secrets.reduce((out, secret) => (secret.length >= 6 ? out.split(secret).join(REDACTED) : out), text)
  return PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), masked)
}

/** A copy of `value` with credential-looking keys masked and every string passed through `redactText`. */
export const redactValue = (value: unknown, secrets: readonly string[] = [], depth = 0): unknown => {
  if (typeof value === 'string') return redactText(value, secrets)
  if (value === null || typeof value !== 'object') return value
  if (depth > 6) return '[…]'
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1))
  const masked = (key: string, item: unknown) =>
    CREDENTIAL_KEY.test(key) || BODY_KEY.test(key) ? REDACTED : redactValue(item, secrets, depth + 1)
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, masked(key, item)]))
}
