import { LiveChatClient } from '../livechat'
import { clearStoredWebhooks, readStoredWebhooks } from './state'
import { WEBHOOKS_PLACE, isNotFoundError, reasonOf, text } from './step'
import type { StoredWebhooks } from './webhook-plan'
import * as bp from '.botpress'

/**
 * Removes exactly the webhooks in our state and nothing else (the license webhook switch stays as it is: other
 * webhooks of the same app may rely on it). Uninstall must never be blocked by LiveChat, by a configuration that no
 * longer works or by the Botpress state: every failure is logged with what is left to remove by hand.
 */
export const unregister: bp.IntegrationProps['unregister'] = async ({ ctx, client, logger }) => {
  const log = logger.forBot()
  let stored: StoredWebhooks | undefined
  try {
    stored = await readStoredWebhooks({ client, ctx })
  } catch (thrown) {
    log.warn(`Could not read which LiveChat webhooks this integration registered: ${reasonOf(thrown)}`)
    return
  }
  if (stored?.ids.length) {
    await _removeWebhooks(ctx, log, stored)
  }
  try {
    await clearStoredWebhooks({ client, ctx })
  } catch (thrown) {
    log.warn(`Could not clear the list of registered LiveChat webhooks: ${reasonOf(thrown)}`)
  }
}

const _removeWebhooks = async (
  ctx: bp.Context,
  log: ReturnType<bp.Logger['forBot']>,
  stored: StoredWebhooks
): Promise<void> => {
  const { agentToken = '', organizationId = '', clientId = '' } = ctx.configuration ?? {}
  const owner = stored.ownerClientId ?? clientId
  const lc = LiveChatClient.create({ agentToken, organizationId, clientId }, { logger: log })
  const results = await Promise.allSettled(
    stored.ids.map((id) => lc.configuration.unregisterWebhook({ id, owner_client_id: owner }))
  )
  const failures = stored.ids.flatMap((id, i) => {
    const result = results[i]
    // Already gone (removed by hand): that is the goal.
    return result?.status === 'rejected' && !isNotFoundError(result.reason) ? [{ id, reason: result.reason }] : []
  })
  const removed = stored.ids.length - failures.length
  if (failures.length === 0) {
    log.info(`Removed the ${removed} LiveChat webhook(s) this integration registered.`)
    return
  }
  log.warn(
    text(
      `Could not remove ${failures.length} of the ${stored.ids.length} LiveChat webhooks this integration registered `,
      `(ids ${failures.map((f) => f.id).join(', ')}; ${reasonOf(failures[0]?.reason)}). Remove them by hand for `,
      `the app with Client ID ${owner} (${WEBHOOKS_PLACE}); until then LiveChat keeps calling a URL that no longer `,
      'answers.'
    )
  )
}
