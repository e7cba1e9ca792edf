import { describeError } from '../botpress/errors'
import { Clients } from '../botpress/livechat-client'
import { unlessNotFound } from '../botpress/not-found'
import { CustomerApi, cachedCustomer, isFresh, issueToken, rememberCustomer, renewingClient } from './token'
import * as bp from '.botpress'

type AvailabilityCustomer = bp.states.availabilityCustomer.AvailabilityCustomer

/** Its slot in the customer cache; a Botpress user id never holds a colon, so it meets no end user's. */
const cacheId = (ctx: bp.Context) => `availability:${ctx.integrationId}`

const stateOf = (ctx: bp.Context) =>
  ({ type: 'integration', id: ctx.integrationId, name: 'availabilityCustomer' }) as const

/** Issued on the stored cookies, so that LiveChat renews the same customer rather than making one more. */
const issueAvailabilityCustomer = async (props: Clients, stored: AvailabilityCustomer | undefined) => {
  const identity = await issueToken(props, stored?.cookies)
  await props.client.setState({ ...stateOf(props.ctx), payload: identity }).catch((thrown: unknown) =>
    // The token works all the same; the next copy without it only makes one more customer.
    props.log.warn('Could not keep the LiveChat customer that asks for availability', describeError(thrown))
  )
  return identity
}

/** A usable identity: this copy's (fresh), else the installation's state (fresh, not the refused one), else issued. */
const availabilityCustomerOf = async (props: Clients, refusedToken?: string): Promise<AvailabilityCustomer> => {
  const cached = refusedToken ? undefined : cachedCustomer(props.ctx, cacheId(props.ctx))
  if (cached) return cached
  const stored = (await unlessNotFound(props.client.getState(stateOf(props.ctx))))?.state.payload
  const usable = stored && isFresh(stored) && stored.accessToken !== refusedToken
  const identity = usable ? stored : await issueAvailabilityCustomer(props, stored)
  rememberCustomer(props.ctx, cacheId(props.ctx), identity)
  return identity
}

/**
 * One Customer Chat API call as the installation's availability customer (list_group_statuses needs a customer token,
 * and the action has no end user): no call but `run` while its token is fresh; a refused token is renewed once.
 */
export const callAsAvailabilityCustomer = async <T>(
  props: Clients,
  run: (api: CustomerApi) => Promise<T>
): Promise<T> =>
  renewingClient(props.lc, await availabilityCustomerOf(props), (refused) =>
    availabilityCustomerOf(props, refused)
  ).call(run)
