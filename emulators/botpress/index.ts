export { BotpressEmulator, BotpressEmulatorOptions } from './emulator'
export { DefinitionLike } from './definition'
export { ApiError, ApiErrorBody, ApiErrorType } from './errors'
export { Fault, FaultSpec, Faults } from './faults'
export {
  ActionError,
  ActionMap,
  InstallOptions,
  Installation,
  IntegrationCallError,
  IntegrationResponse,
  SendMessageInput,
  WebhookRequest,
} from './installation'
export { normaliseEventType } from './routes/events'
export * from './types'
