import { DeadlineExceededError } from '../botpress/deadline'
import { describeError } from '../botpress/errors'
import { Log, LogFields } from '../botpress/log'

/**
 * Emits a hitl event whose memory (the state that keeps a redelivery from emitting it again) was written just before:
 * remembered first, so that no failure after the emit can make a redelivery emit it twice. When Botpress refuses the
 * event, the memory is taken back so that LiveChat's redelivery emits it: exactly one event after any single failed
 * call. When the outcome is unknown (out of time, the event may still be created) the memory stays: at most one.
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
