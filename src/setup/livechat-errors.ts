import { isLiveChatApiError } from '../livechat'

/** `not_found`, `group_not_found`, …: the thing named does not exist (any more). */
export const isNotFoundError = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && /not_found$/.test(thrown.type)

/** The PAT lacks a scope for this call (scopes cannot be added to an existing PAT). */
export const lacksScope = (thrown: unknown): boolean => isLiveChatApiError(thrown) && thrown.type === 'authorization'
