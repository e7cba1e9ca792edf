import { isApiError } from '@botpress/sdk'

/**
 * True when the Botpress runtime does not offer an endpoint at all (an older or partial runtime answers 404 or 405
 * for a route it lacks, or a plain "Cannot POST" page). Only used where a simpler sequence of calls can do the same
 * job, so that the integration keeps working there, a little less efficiently.
 */
export const isUnsupportedEndpoint = (thrown: unknown): boolean => {
  if (!isApiError(thrown)) {
    return false
  }
  // Widened on purpose: a partial runtime may answer codes and types the typed client does not list.
  const code: number = thrown.code
  const type: string = thrown.type
  if (code === 404 || code === 405 || code === 501 || type === 'MethodNotFound') {
    return true
  }
  return type === 'Unknown' && /not found|cannot (post|get|put|patch)/i.test(thrown.message)
}
