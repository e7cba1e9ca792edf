import { DeadlineExceededError } from '../botpress/deadline'
import { describeError } from '../botpress/errors'
import { Log, LogFields } from '../botpress/log'

/**
 * Emits a hitl event whose memory (the state that stops a redelivery emitting it again) was written just before. If
 * Botpress refuses it, the memory is taken back so the redelivery emits it: exactly one event after any single failed
 * call. If the outcome is unknown (out of time) the memory stays: at most one.
 */
export const emitRemembered = async (props: {
  emit: () => Promise<unknown>
  forget: () => Promise<void>
  log: Log
  fields: LogFields
}): Promise<void> => {
  try {
    await props.emit()
  } catch (thrown) {
    if (!(thrown instanceof DeadlineExceededError)) {
      await props.forget().catch((forgetFailure: unknown) =>
        props.log.warn('Could not take back the memory of an event Botpress refused; it will not be emitted again', {
          ...props.fields,
          ...describeError(forgetFailure),
        })
      )
    }
    throw thrown
  }
}
