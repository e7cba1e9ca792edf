import { isNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'
import * as bp from '.botpress'

/** What the end user's `customer` state holds. */
export type Customer = bp.states.customer.Customer

/**
 * Per Botpress end user: the LiveChat customer identity (customer id, identity cookies, current access token).
 * Holds secrets: never log it, never return it from an action.
 */
export const readCustomer = async (client: Client, botpressUserId: string): Promise<Customer | undefined> => {
  try {
    const { state } = await client.getState({ type: 'user', id: botpressUserId, name: 'customer' })
    return state.payload
  } catch (thrown) {
    if (isNotFound(thrown)) return undefined
    throw thrown
  }
}

export const writeCustomer = async (client: Client, botpressUserId: string, identity: Customer): Promise<void> => {
  await client.setState({ type: 'user', id: botpressUserId, name: 'customer', payload: identity })
}
