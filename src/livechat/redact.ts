/**
 * One place that removes credentials from anything this module logs or throws. It masks, by key, every field that
 * looks like a credential (Authorization, Cookie, tokens, secrets), and by pattern, Basic/Bearer values, region-prefixed
 * LiveChat tokens (`dal:…`) and the LiveChat identity cookies (`__lc_cid`, `__lc_cst`). Callers can also pass the exact
 * secrets they hold, which are masked wherever they appear.
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

const _maskSecrets = (text: string, secrets: readonly string[]): string => {
  let out = text
  for (const secret of secrets) {
    // Short values would mask ordinary words; credentials are never that short.
    if (secret.length >= 6) {
      out = out.split(secret).join(REDACTED)
    }
  }
  return out
}

export const redactText = (text: string, secrets: readonly string[] = []): string => {
  let out = _maskSecrets(text, secrets)
  for (const [pattern, replacement] of PATTERNS) {
    out = out.replace(pattern, replacement)
  }
  return out
}

/** A copy of `value` with credential-looking keys masked and every string passed through `redactText`. */
export const redactValue = (value: unknown, secrets: readonly string[] = [], depth = 0): unknown => {
  if (typeof value === 'string') {
    return redactText(value, secrets)
  }
  if (value === null || typeof value !== 'object') {
    return value
  }
  if (depth > 6) {
    return '[…]'
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactValue(item, secrets, depth + 1))
  }
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] = CREDENTIAL_KEY.test(key) || BODY_KEY.test(key) ? REDACTED : redactValue(item, secrets, depth + 1)
  }
  return out
}
