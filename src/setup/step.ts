import { RuntimeError } from '@botpress/sdk'
import { isLiveChatApiError } from '../livechat'
import { toRuntimeError } from '../misc/errors'
import type * as bp from '.botpress'

/** `logger.forBot()`: what register and unregister print reaches the bot owner's logs in Studio. */
export type SetupLogger = ReturnType<bp.Logger['forBot']>

/**
 * Runs one remote step of the setup; a failure becomes a RuntimeError that starts with the step's sentence
 * ("Registering the LiveChat webhook for chat_deactivated: …"), so the admin knows where it stopped.
 */
export const inStep = async <T>(sentence: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run()
  } catch (thrown) {
    throw thrown instanceof RuntimeError ? thrown : toRuntimeError(thrown, sentence)
  }
}

/** LiveChat said the token may not do this: the PAT lacks a scope (scopes cannot be added to an existing PAT). */
export const isAuthorizationError = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && thrown.type === 'authorization'

/** Where a LiveChat admin manages an app's webhooks, for the lines that ask them to do it by hand. */
export const WEBHOOKS_PLACE = 'Developer Console > Apps > your app > Building blocks > Chat webhooks'

/** `not_found`, `group_not_found`, …: the thing named does not exist (any more). */
export const isNotFoundError = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && /not_found$/.test(thrown.type)

export const reasonOf = (thrown: unknown): string => (thrown instanceof Error ? thrown.message : String(thrown))

/** A long message written in pieces that fit 120 columns; biome would rather see one long template literal. */
export const text = (...parts: string[]): string => parts.join('')
