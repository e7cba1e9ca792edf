import { unlessNotFound } from '../botpress/not-found'
import { Client } from '../botpress/types'
import * as bp from '.botpress'

/** The end user's `customer` state: their LiveChat customer id, identity cookies and token. Secrets: never logged. */
export type Customer = bp.states.customer.Customer

export const readCustomer = async (client: Client, botpressUserId: string): Promise<Customer | undefined> =>
  (await unlessNotFound(client.getState({ type: 'user', id: botpressUserId, name: 'customer' })))?.state.payload

export const writeCustomer = async (client: Client, botpressUserId: string, identity: Customer): Promise<void> => {
  await client.setState({ type: 'user', id: botpressUserId, name: 'customer', payload: identity })
}

const isSameCustomer = (a: Customer | undefined, b: Customer): boolean =>
  a !== undefined &&
  a.customerId === b.customerId &&
  a.cookies === b.cookies &&
  a.accessToken === b.accessToken &&
  a.expiresAt === b.expiresAt &&
  a.activeChatId === b.activeChatId

/** Writes `identity` unless it is `written`, the one already stored. */
export const writeChangedCustomer = async (
  client: Client,
  botpressUserId: string,
  written: Customer | undefined,
  identity: Customer
): Promise<void> => {
  if (!isSameCustomer(written, identity)) await writeCustomer(client, botpressUserId, identity)
}
