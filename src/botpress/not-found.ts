import { isApiError } from '@botpress/sdk'

/** The Botpress API answers 404 (ResourceNotFound) for a state never set or an id that does not exist. */
export const isNotFound = (thrown: unknown): boolean => isApiError(thrown) && thrown.code === 404

/** The call's answer, or undefined when what it reads does not exist. */
export const unlessNotFound = <T>(call: Promise<T>): Promise<T | undefined> =>
  call.catch((thrown: unknown) => {
    if (isNotFound(thrown)) return undefined
    throw thrown
  })
