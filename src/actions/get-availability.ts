import { RuntimeError } from '@botpress/sdk'
import { GroupAvailability, cacheKey, caches } from '../botpress/caches'
import { describeError, toRuntimeError } from '../botpress/errors'
import { createLiveChat } from '../botpress/livechat-client'
import { createLog } from '../botpress/log'
import { callAsAvailabilityCustomer } from '../customer/availability-customer'
import { GroupStatus } from '../livechat'
import * as bp from '.botpress'

const AVAILABILITY: Record<GroupStatus, GroupAvailability> = {
  online: 'online',
  online_for_queue: 'queue',
  offline: 'offline',
}

/**
 * Whether a LiveChat group can answer now (list_group_statuses), cached 30 s. It fails rather than guess: LiveChat
 * down or refusing, or a group it does not list, is an error the flow can take its failure path on, never `online`.
 */
export const getAvailability: bp.IntegrationProps['actions']['getAvailability'] = async ({
  ctx,
  client,
  logger,
  input,
}) => {
  const log = createLog(logger)
  const { lc, configuration } = createLiveChat(ctx, log)
  const groupId = input.groupId ?? configuration.groupId
  const key = cacheKey(ctx.botId, ctx.integrationId, 'group', String(groupId))
  const known = caches.groupStatuses.get(key)
  if (known) return { groupId, status: known }

  const answer = await callAsAvailabilityCustomer({ client, ctx, lc, log }, (api) =>
    api.listGroupStatuses({ group_ids: [groupId] })
  ).catch((thrown: unknown) => {
    log.warn('Could not read the availability of the LiveChat group', {
      livechatGroupId: groupId,
      ...describeError(thrown),
    })
    throw toRuntimeError(thrown, `Could not tell whether LiveChat group ${groupId} is available`)
  })
  const status = answer.groups_status[String(groupId)]
  if (!status) {
    throw new RuntimeError(`LiveChat has no group ${groupId} (list_group_statuses left it out): check the group ID`)
  }
  caches.groupStatuses.set(key, AVAILABILITY[status])
  return { groupId, status: AVAILABILITY[status] }
}
