import { isApiError } from '@botpress/sdk'

/** The Botpress API answers 404 (ResourceNotFound) for a state never set or an id that does not exist. */
export const isNotFound = (thrown: unknown): boolean => isApiError(thrown) && thrown.code === 404
