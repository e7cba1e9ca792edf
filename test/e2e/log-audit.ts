import { expect } from 'vitest'
import { TEST_WEBHOOK_SECRET, TestBed } from '../../testbed/test-bed'

/** Shorter strings would match by accident (ids, words); every real secret here is much longer. */
const MIN_SECRET_LENGTH = 8

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `__lc_cid=...; __lc_cst=...` as stored: the whole string and each cookie value. */
const cookieValues = (cookies: string): string[] => [
  cookies,
  ...cookies.split(';').flatMap((part) => {
    const value = part.slice(part.indexOf('=') + 1).trim()
    return part.includes('=') && value ? [value] : []
  }),
]

/** Customer tokens and identity cookies the integration ever stored, read from every state write it made. */
const customerSecrets = (bed: TestBed): string[] => {
  const payloads = [
    ...bed.botpress.calls.map((call) => (isRecord(call.body) ? call.body.payload : undefined)),
    ...bed.botpress.db.states.map((state) => state.payload),
  ]
  return payloads.flatMap((payload) => {
    if (!isRecord(payload)) return []
    const token = typeof payload.accessToken === 'string' ? [payload.accessToken] : []
    // The identity cookies carry the customer id too, which is no secret (it names the customer in logs).
    const cookies = typeof payload.cookies === 'string' ? cookieValues(payload.cookies) : []
    return [...token, ...cookies.filter((value) => value !== payload.customerId)]
  })
}

/**
 * Every secret the test bed knows: the PAT (whole and without its region prefix), the agent token built from it, the
 * webhook secrets (configured and registered), and each customer access token and identity cookie.
 */
export const secretsOf = (bed: TestBed): string[] => {
  const { pat, agentToken } = bed.livechat.seed
  const configured = bed.installation.configuration
  const registered = bed.livechat.deliveries.flatMap((delivery) =>
    typeof delivery.body.secret_key === 'string' ? [delivery.body.secret_key] : []
  )
  const all = [
    pat,
    pat.slice(pat.indexOf(':') + 1),
    agentToken,
    configured.agentToken,
    configured.webhookSecret,
    TEST_WEBHOOK_SECRET,
    ...registered,
    ...customerSecrets(bed),
  ]
  return [...new Set(all)].filter((secret) => secret.length >= MIN_SECRET_LENGTH)
}

/** What the served integration said: its log lines and every answer it gave the runtime (action errors included). */
export const integrationOutput = (bed: TestBed): string[] => [
  bed.logs(),
  ...bed.botpress.operations.map((operation) => operation.responseBody),
]

/**
 * Fails naming the secret's kind (never the secret) when any captured `bp serve` line, any answer to the runtime, or
 * any of `extra` (error messages a test caught) contains a secret.
 */
export const expectNoSecrets = (bed: TestBed, extra: readonly string[] = []): void => {
  const texts = [...integrationOutput(bed), ...extra]
  const secrets = secretsOf(bed)
  expect(secrets.length).toBeGreaterThan(3)
  const leaks = secrets.flatMap((secret, index) =>
    texts.some((text) => text.includes(secret)) ? [`secret #${index} (${secret.length} chars)`] : []
  )
  expect(leaks).toEqual([])
}
