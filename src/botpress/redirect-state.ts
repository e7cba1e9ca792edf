import { isNotFound } from './not-found'
import { Client } from './types'

type Address = { client: Client; integrationId: string }

/** The redirect URI register found accepted when the default was refused; undefined when none was stored. */
export const readAcceptedRedirectUri = async ({ client, integrationId }: Address): Promise<string | undefined> => {
  try {
    const { state } = await client.getState({ type: 'integration', id: integrationId, name: 'redirect' })
    return state.payload.redirectUri
  } catch (thrown) {
    if (isNotFound(thrown)) return undefined
    throw thrown
  }
}

export const writeAcceptedRedirectUri = async (
  { client, integrationId }: Address,
  redirectUri: string | undefined
): Promise<void> => {
  await client.setState({
    type: 'integration',
    id: integrationId,
    name: 'redirect',
    payload: redirectUri ? { redirectUri } : null,
  })
}
