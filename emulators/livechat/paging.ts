import { fail } from './errors'

// Pagination rules shared by list methods (Agent/Customer Chat API "Pagination"): filters, limit and sort_order
// go in the first request only; later requests send `page_id` alone.

type PageState = { offset: number; limit: number; sort: 'asc' | 'desc'; filters: unknown }

export type PageRequest = { page_id?: string; limit?: number; sort_order?: 'asc' | 'desc'; filters?: unknown }

export const openPage = (req: PageRequest, defaults: { limit: number; max: number }): PageState => {
  if (req.page_id !== undefined) {
    if (req.limit !== undefined || req.sort_order !== undefined || req.filters !== undefined) {
      fail('validation', '`page_id` cannot be combined with `filters`, `limit` or `sort_order`')
    }
    try {
      return JSON.parse(Buffer.from(req.page_id, 'base64url').toString('utf8')) as PageState
    } catch {
      return fail('validation', 'Invalid `page_id`')
    }
  }
  const limit = req.limit ?? defaults.limit
  if (limit < 1 || limit > defaults.max) fail('validation', `\`limit\` must be between 1 and ${defaults.max}`)
  return { offset: 0, limit, sort: req.sort_order ?? 'desc', filters: req.filters ?? null }
}

export const pageOf = <T>(items: T[], state: PageState): { items: T[]; next?: string; previous?: string } => {
  const encode = (offset: number) => Buffer.from(JSON.stringify({ ...state, offset })).toString('base64url')
  const slice = items.slice(state.offset, state.offset + state.limit)
  return {
    items: slice,
    ...(state.offset + state.limit < items.length ? { next: encode(state.offset + state.limit) } : {}),
    ...(state.offset > 0 ? { previous: encode(Math.max(0, state.offset - state.limit)) } : {}),
  }
}
