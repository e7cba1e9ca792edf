import { RuntimeError, isApiError } from '@botpress/sdk'
import { isLiveChatApiError } from '../livechat'
import { LogFields } from './log'

const MAX_REASON_LENGTH = 300

const clip = (text: string): string => (text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text)

/** Any failure as the RuntimeError the bot sees: LiveChat's secret-free message, Botpress' type, else just named. */
export const toRuntimeError = (thrown: unknown, what: string): RuntimeError => {
  if (thrown instanceof RuntimeError) return thrown
  if (isLiveChatApiError(thrown)) return new RuntimeError(`${what}: ${thrown.message}`)
  if (isApiError(thrown)) {
    return new RuntimeError(`${what}: the Botpress API answered ${thrown.code} ${thrown.type}: ${clip(thrown.message)}`)
  }
  return new RuntimeError(
    `${what}: unexpected error (${clip(thrown instanceof Error ? thrown.message : String(thrown))})`
  )
}

/** Log fields for a failure. LiveChat messages are redacted by the client; Botpress messages hold ids only. */
export const describeError = (thrown: unknown): LogFields => {
  if (isLiveChatApiError(thrown)) {
    return { errorType: `livechat:${thrown.type}`, status: thrown.status, reason: clip(thrown.message) }
  }
  if (isApiError(thrown)) {
    return { errorType: `botpress:${thrown.type}`, status: thrown.code, reason: clip(thrown.message) }
  }
  return { errorType: thrown instanceof Error ? thrown.name : typeof thrown }
}
