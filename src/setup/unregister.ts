import { type Log, createLog } from '../botpress/log'
import { LiveChatClient } from '../livechat'
import { reasonOf, text } from './messages'
import { type StoredWebhooks, readStoredWebhooks, writeStoredWebhooks } from './stored-webhooks'
import { WEBHOOKS_PLACE } from './webhook-messages'
import { removeWebhooks } from './webhooks'
import * as bp from '.botpress'

/**
 * Removes exactly the webhooks in our state (the license webhook switch stays: other webhooks of the app may rely on
 * it). Nothing blocks an uninstall: every failure is logged with what is left to remove by hand.
 */
export const unregister: bp.IntegrationProps['unregister'] = async ({ ctx, client, logger }) => {
  const log = createLog(logger)
  const stored = await readStoredWebhooks({ client, ctx }).catch((thrown: unknown) => {
    log.warn(`Could not read which LiveChat webhooks this integration registered: ${reasonOf(thrown)}`)
    return null
  })
  if (stored === null) return
  if (stored?.ids.length) await _removeStoredWebhooks(ctx, log, stored)
  await writeStoredWebhooks({ client, ctx }, null).catch((thrown: unknown) =>
    log.warn(`Could not clear the list of registered LiveChat webhooks: ${reasonOf(thrown)}`)
  )
}

/** Not through readConfiguration: a configuration that no longer passes must not keep the webhooks alive. */
const _removeStoredWebhooks = async (ctx: bp.Context, log: Log, stored: StoredWebhooks): Promise<void> => {
  const { agentToken = '', organizationId = '', clientId = '' } = ctx.configuration ?? {}
  const owner = stored.ownerClientId ?? clientId
  const lc = LiveChatClient.create({ agentToken, organizationId, clientId }, { logger: log })
  const failures = await removeWebhooks(lc, stored.ids, owner)
  if (failures.length === 0) {
    log.info(`Removed the ${stored.ids.length} LiveChat webhook(s) this integration registered.`)
    return
  }
  log.warn(
    text(
      `Could not remove ${failures.length} of the ${stored.ids.length} LiveChat webhooks this integration registered `,
      `(ids ${failures.map((f) => f.id).join(', ')}; ${reasonOf(failures[0]?.reason)}). Remove them by hand `,
      `for the app with Client ID ${owner} (${WEBHOOKS_PLACE}); until then LiveChat keeps calling a URL that no `,
      'longer answers.'
    )
  )
}
