/**
 * Optional schema checks against the built integration definition. The SDK (0.10.10) checks nothing at run time,
 * Botpress Cloud checks action inputs, message payloads and event payloads: doing it here catches in tests what
 * would only fail in the cloud.
 */

type Issue = { path: (string | number)[]; message: string }

/** The part of a zod (zui) schema used here, so that any zod version fits. */
export type Schema = {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: Issue[] } }
}

/** Structural subset of `IntegrationDefinition` (`import definition from './integration.definition'` fits). */
export type DefinitionLike = {
  actions?: Record<string, { input: { schema: Schema }; output: { schema: Schema } }>
  events?: Record<string, { schema: Schema }>
  channels?: Record<string, { messages: Record<string, { schema: Schema }> }>
}

const check = (schema: Schema, value: unknown): string | undefined => {
  const result = schema.safeParse(value)
  if (result.success) return undefined
  return result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
}

/** A sentence saying what is wrong, or undefined when the value fits (or nothing is declared to check against). */
export const checkActionInput = (def: DefinitionLike | undefined, type: string, input: unknown): string | undefined => {
  if (!def?.actions) return undefined
  const action = def.actions[type]
  if (!action) return `Action "${type}" is not declared`
  const problem = check(action.input.schema, input)
  return problem && `Input of action "${type}" does not match its schema: ${problem}`
}

export const checkActionOutput = (
  def: DefinitionLike | undefined,
  type: string,
  output: unknown
): string | undefined => {
  const action = def?.actions?.[type]
  const problem = action && check(action.output.schema, output)
  return problem && `Output of action "${type}" does not match its schema: ${problem}`
}

export const checkMessagePayload = (
  def: DefinitionLike | undefined,
  channel: string,
  type: string,
  payload: unknown
): string | undefined => {
  if (!def?.channels) return undefined
  const message = def.channels[channel]?.messages[type]
  if (!message) return `Message type "${type}" is not declared on channel "${channel}"`
  const problem = check(message.schema, payload)
  return problem && `Payload of message "${type}" on channel "${channel}" does not match its schema: ${problem}`
}

export const checkEventPayload = (
  def: DefinitionLike | undefined,
  type: string,
  payload: unknown
): string | undefined => {
  if (!def?.events) return undefined
  const event = def.events[type]
  if (!event) return `Event "${type}" is not declared`
  const problem = check(event.schema, payload)
  return problem && `Payload of event "${type}" does not match its schema: ${problem}`
}
