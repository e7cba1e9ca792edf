import { RuntimeError } from '@botpress/sdk'
import { WEBHOOK_SECRET_RULE, configuration } from '../definitions/configuration'
import * as bp from '.botpress'

export type Configuration = bp.configuration.Configuration

/** A group id typed as text ("19") in a form or an API call is still the group 19. */
const withNumericGroupId = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null) return raw
  const { groupId } = raw as { groupId?: unknown }
  return typeof groupId === 'string' && /^\d+$/.test(groupId.trim()) ? { ...raw, groupId: Number(groupId) } : raw
}

/** The runtime does not check the configuration; names the fields that fail, never their values (secrets). */
export const readConfiguration = (ctx: bp.Context): Configuration => {
  const parsed = configuration.schema.safeParse(withNumericGroupId(ctx.configuration))
  if (parsed.success) {
    return parsed.data
  }
  const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '(configuration)')))]
  const rule = fields.includes('webhookSecret') ? ` ${WEBHOOK_SECRET_RULE}.` : ''
  throw new RuntimeError(
    `The LiveChat HITL configuration is incomplete or invalid: check ${fields.join(', ')} in the integration settings.${rule}`
  )
}
