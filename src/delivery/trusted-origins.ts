import { z } from 'zod'
import { MediaError } from './media-error'

/**
 * Origins whose media are fetched even at an internal address: Botpress's own (`BP_API_URL`: a self-hosted Botpress
 * lives on a private network), plus those an admin lists in `MEDIA_TRUSTED_ORIGINS` (comma-separated origins).
 * A redirect from a trusted origin is checked like any other URL.
 */
const TRUSTED_ORIGINS_VARIABLE = 'MEDIA_TRUSTED_ORIGINS'

const origin = z
  .string()
  .trim()
  .url()
  .transform((text) => new URL(text))
  .refine((url) => url.protocol === 'http:' || url.protocol === 'https:', 'must be http(s)')
  .refine(
    (url) => url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password,
    'must be an origin only (scheme, host and port), without path, query or credentials'
  )
  .transform((url) => url.origin)

const originList = z
  .string()
  .transform((text) => text.split(',').filter((entry) => entry.trim() !== ''))
  .pipe(z.array(origin))

/** The trusted origins; a malformed variable refuses every medium with a message that says what to fix. */
export const trustedOrigins = (env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> => {
  const listed = originList.safeParse(env[TRUSTED_ORIGINS_VARIABLE] ?? '')
  if (!listed.success) {
    const issue = listed.error.issues[0]
    const entry = issue?.path[0] === undefined ? '' : ` (entry ${Number(issue.path[0]) + 1})`
    throw new MediaError(
      `${TRUSTED_ORIGINS_VARIABLE} must be comma-separated http(s) origins${entry}: ${issue?.message ?? 'invalid'}`
    )
  }
  const botpress = z.string().url().safeParse(env.BP_API_URL)
  return new Set([...(botpress.success ? [new URL(botpress.data).origin] : []), ...listed.data])
}
