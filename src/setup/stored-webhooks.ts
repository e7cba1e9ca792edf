import type { z } from '@botpress/sdk'
import { unlessNotFound } from '../botpress/not-found'
import { states } from '../definitions/states'
import type * as bp from '.botpress'

/** The webhooks this installation registered, kept in the integration state `webhooks`. */
export type StoredWebhooks = z.infer<typeof states.webhooks.schema>

type Props = { client: bp.Client; ctx: bp.Context }

const _address = (ctx: bp.Context) => ({
  type: 'integration' as const,
  id: ctx.integrationId,
  name: 'webhooks' as const,
})

/** A state an older version wrote that no longer fits counts as "nothing registered" rather than being trusted. */
export const readStoredWebhooks = async ({ client, ctx }: Props): Promise<StoredWebhooks | undefined> => {
  const read = await unlessNotFound(client.getState(_address(ctx)))
  const parsed = states.webhooks.schema.safeParse(read?.state.payload)
  return parsed.success ? parsed.data : undefined
}

/** `null` deletes the state. */
export const writeStoredWebhooks = async ({ client, ctx }: Props, stored: StoredWebhooks | null): Promise<void> => {
  await client.setState({ ..._address(ctx), payload: stored })
}
