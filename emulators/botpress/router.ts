import { z } from 'zod'
import { DefinitionLike } from './definition'
import { ApiError } from './errors'
import { Store } from './store'
import { Tags } from './types'

/** Who called, from the `x-bot-id` / `x-integration-id` headers the client sends. */
export type Caller = {
  botId?: string
  integrationId?: string
  /** Known when `x-integration-id` names an installation of this emulator. */
  integrationName?: string
  definition?: DefinitionLike
}

export type RouteContext = {
  body: unknown
  query: URLSearchParams
  caller: Caller
  store: Store
  /** The emulator's own URL, for file URLs. */
  baseUrl: string
  /** A path parameter by name (`:id` in the route). */
  param(name: string): string
}

export type Route = {
  method: string
  pattern: RegExp
  names: string[]
  handle(ctx: RouteContext): object
}

export const route = (method: string, path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(/:\w+/g, '([^/]+)')}$`),
  names: [...path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? ''),
  handle,
})

export type RouteMatch = { route: Route; params: Map<string, string> }

export const matchRoute = (routes: Route[], method: string, path: string): RouteMatch | undefined => {
  for (const candidate of routes) {
    const hit = candidate.method === method ? candidate.pattern.exec(path) : null
    if (!hit) continue
    // The client encodeURIComponent-s path ids (`u 1/x` arrives as `u%201%2Fx`).
    const params = new Map(candidate.names.map((name, i) => [name, decodeURIComponent(hit[i + 1] ?? '')]))
    return { route: candidate, params }
  }
  return undefined
}

/** Parses a request body, answering 400 InvalidPayload with the zod issues when it does not fit. */
export const parseBody = <S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> => {
  const result = schema.safeParse(body ?? {})
  if (result.success) return result.data
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')
  throw new ApiError('InvalidPayload', `Invalid request body: ${issues}`)
}

/** `tags.<k>=<v>` query params (qs with `allowDots`), AND-matched by the list routes. */
export const tagsFromQuery = (query: URLSearchParams): Tags => {
  const tags: Tags = {}
  for (const [k, v] of query) if (k.startsWith('tags.')) tags[k.slice('tags.'.length)] = v
  return tags
}
