/**
 * The identity cookies (`__lc_cid`, `__lc_cst`) the accounts server sets with a customer token: sent back, they renew
 * the token of the same customer. Kept as one `Cookie` header value; the values are secrets, masked by these.
 */
export const cookieValues = (cookies: string | undefined): string[] =>
  (cookies ?? '')
    .split(';')
    .map((pair) => pair.slice(pair.indexOf('=') + 1).trim())
    .filter((value) => value.length > 0)

/** `Max-Age=0` or an `Expires` in the past: the server removes the cookie. */
const _expired = (attributes: string[], now: number): boolean =>
  attributes.some((attribute) => {
    const [key = '', raw = ''] = attribute.split('=').map((part) => part.trim())
    if (key.toLowerCase() === 'max-age') return Number(raw) <= 0
    if (key.toLowerCase() === 'expires') {
      const at = Date.parse(attribute.slice(attribute.indexOf('=') + 1))
      return !Number.isNaN(at) && at <= now
    }
    return false
  })

/** Applies `Set-Cookie` headers (RFC 6265) to a `Cookie` header value; attributes are dropped. */
export const mergeCookies = (previous: string | undefined, setCookie: unknown, now: number = Date.now()): string => {
  const jar = new Map<string, string>()
  for (const pair of (previous ?? '').split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
  }
  const lines = Array.isArray(setCookie) ? setCookie : typeof setCookie === 'string' ? [setCookie] : []
  for (const line of lines) {
    const [first = '', ...attributes] = typeof line === 'string' ? line.split(';') : []
    const eq = first.indexOf('=')
    if (eq <= 0) continue
    const name = first.slice(0, eq).trim()
    if (_expired(attributes, now)) jar.delete(name)
    else jar.set(name, first.slice(eq + 1).trim())
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}
