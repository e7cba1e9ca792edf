import { describeError } from '../botpress/errors'
import { LiveChat } from '../botpress/livechat-client'
import { Log } from '../botpress/log'
import { isNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'
import { isExpiredCustomerToken } from '../livechat'
import { CustomerApi, cachedCustomer, isFresh, issueToken, rememberCustomer } from './token'
import * as bp from '.botpress'

type AvailabilityCustomer = bp.states.availabilityCustomer.AvailabilityCustomer
type Props = { client: Client; ctx: bp.Context; lc: LiveChat; log: Log }

/** Its slot in the customer-token cache; a Botpress user id never holds a colon, so it meets no end user's. */
const cacheId = (ctx: bp.Context) => `availability:${ctx.integrationId}`

const readAvailabilityCustomer = async ({ client, ctx }: Props): Promise<AvailabilityCustomer | undefined> => {
  try {
    const { state } = await client.getState({
      type: 'integration',
      id: ctx.integrationId,
      name: 'availabilityCustomer',
    })
    return state.payload
  } catch (thrown) {
    if (isNotFound(thrown)) return undefined
    throw thrown
  }
}

/** Issued with the stored cookies, so that LiveChat renews the same customer rather than making one more. */
const issueAvailabilityCustomer = async (
  props: Props,
  stored: AvailabilityCustomer | undefined
): Promise<AvailabilityCustomer> => {
  const issued = await issueToken(props, stored?.cookies)
  const identity = {
    customerId: issued.customerId,
    cookies: issued.cookies,
    accessToken: issued.accessToken,
    expiresAt: issued.expiresAt.toISOString(),
  }
  const { client, ctx } = props
  await client
    .setState({ type: 'integration', id: ctx.integrationId, name: 'availabilityCustomer', payload: identity })
    .catch((thrown: unknown) =>
      // The token works all the same; the next copy without it only makes one more customer.
      props.log.warn('Could not keep the LiveChat customer that asks for availability', describeError(thrown))
    )
  return identity
}

/** A usable identity: this copy's (fresh), else the installation's state (fresh, not the refused one), else issued. */
const availabilityCustomerOf = async (props: Props, refusedToken?: string): Promise<AvailabilityCustomer> => {
  const cached = refusedToken ? undefined : cachedCustomer(props.ctx, cacheId(props.ctx))
  if (cached) return cached
  const stored = await readAvailabilityCustomer(props)
  const usable = stored && isFresh(stored, Date.now()) && stored.accessToken !== refusedToken
  const identity = usable ? stored : await issueAvailabilityCustomer(props, stored)
  rememberCustomer(props.ctx, cacheId(props.ctx), identity)
  return identity
}

/**
 * One Customer Chat API call as the installation's availability customer: no LiveChat call but `run` while its token
 * is fresh in this copy or in the state; a token LiveChat refuses is renewed once.
 */
export const callAsAvailabilityCustomer = async <T>(
  props: Props,
  run: (customerApi: CustomerApi) => Promise<T>
): Promise<T> => {
  const identity = await availabilityCustomerOf(props)
  try {
    return await run(props.lc.customer(identity.accessToken))
  } catch (thrown) {
    if (!isExpiredCustomerToken(thrown)) throw thrown
    const renewed = await availabilityCustomerOf(props, identity.accessToken)
    return run(props.lc.customer(renewed.accessToken))
  }
}
