import { isNotFound } from '../botpress/not-found'
import { states } from '../definitions/states'
import type { StoredWebhooks } from './webhook-plan'
import type * as bp from '.botpress'

type Props = { client: bp.Client; ctx: bp.Context }

const _address = (ctx: bp.Context) => ({
  type: 'integration' as const,
  id: ctx.integrationId,
  name: 'webhooks' as const,
})

/**
 * The webhooks this installation registered. Read through the state's own schema: a state written by an older version
 * that no longer fits is treated as "nothing registered" rather than trusted.
 */
export const readStoredWebhooks = async ({ client, ctx }: Props): Promise<StoredWebhooks | undefined> => {
  try {
    const { state } = await client.getState(_address(ctx))
    const parsed = states.webhooks.schema.safeParse(state.payload)
    return parsed.success ? parsed.data : undefined
  } catch (thrown) {
    if (isNotFound(thrown)) return undefined
    throw thrown
  }
}

export const writeStoredWebhooks = async ({ client, ctx }: Props, stored: StoredWebhooks): Promise<void> => {
  await client.setState({ ..._address(ctx), payload: stored })
}

/** `payload: null` deletes the state. */
export const clearStoredWebhooks = async ({ client, ctx }: Props): Promise<void> => {
  await client.setState({ ..._address(ctx), payload: null })
}
