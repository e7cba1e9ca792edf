import { RuntimeError } from '@botpress/sdk'
import type { Configuration } from '../botpress/configuration'
import type { Log } from '../botpress/log'
import {
  type LiveChatClient,
  isLiveChatApiError,
  isLiveChatNotFound,
  isMissingScope,
  isNoLicense,
  isRedirectUriRefusal,
  isTokenProblem,
  isTransient,
  isUnknownClient,
  isUnknownOrganization,
} from '../livechat'
import { reasonOf, text } from './messages'

/** `redirectUri`: the one startHitl sends with the cookie grant. */
type Props = { lc: LiveChatClient; configuration: Configuration; redirectUri: string; log: Log }

const CONSOLE = 'LiveChat Developer Console (platform.text.com/console)'

/**
 * Only answers that say the token is wrong stop the install. An outage or an unexpected answer is a warning: refusing
 * a configuration for a reason not the admin's would be worse, and startHitl reports real problems the same way.
 */
const _isAboutTheToken = (thrown: unknown): boolean => isTokenProblem(thrown) || isMissingScope(thrown)

/** The cheapest call with the agent token, and it needs the chats scope stopHitl and the webhooks depend on. */
const _checkAgentToken = async ({ lc, log }: Props): Promise<void> => {
  try {
    await lc.agent.listChats({ limit: 1 })
  } catch (thrown) {
    if (_isAboutTheToken(thrown)) throw new Error(`Checking agentToken failed: ${reasonOf(thrown)}`)
    log.warn(`Could not check agentToken (${reasonOf(thrown)}); carrying on, startHitl will tell if it fails`)
  }
}

/**
 * One call says whether the group exists and whether HITL chats will find someone. No agent available is only a
 * warning: continuous chats wait in the group's queue until an agent takes them.
 */
const _checkGroup = async ({ lc, configuration, log }: Props): Promise<void> => {
  const { groupId } = configuration
  const fields = ['agent_priorities', 'routing_status']
  const group = await lc.configuration.getGroup({ id: groupId, fields }).catch((thrown: unknown) => {
    if (isLiveChatApiError(thrown) && isLiveChatNotFound(thrown)) {
      throw new Error(
        text(
          `Checking groupId failed: LiveChat has no group ${groupId} (${thrown.status} ${thrown.type}). Use the id of `,
          'an existing group: in the LiveChat Agent App, Team > Groups, open the group; its id is the number at the ',
          'end of the address (0 is the General group).'
        )
      )
    }
    if (isTokenProblem(thrown)) throw new Error(`Checking groupId failed: ${reasonOf(thrown)}`)
    log.warn(`Could not check groupId ${groupId} (${reasonOf(thrown)}); carrying on`)
    return undefined
  })
  if (!group) return
  // Supervisors are never assigned chats automatically.
  const agents = Object.entries(group.agent_priorities ?? {}).filter(([, priority]) => priority !== 'supervisor')
  if (group.agent_priorities && agents.length === 0) {
    log.warn(
      text(
        `LiveChat group ${groupId} ("${group.name}") has no agents who take chats: HITL chats will wait in its queue `,
        'until you add agents to the group (Agent App > Team > Groups).'
      )
    )
  } else if (group.routing_status && group.routing_status !== 'accepting_chats') {
    log.warn(
      text(
        `No agent of LiveChat group ${groupId} ("${group.name}") is accepting chats right now `,
        `(${group.routing_status}): HITL chats will wait in the queue until one is.`
      )
    )
  }
}

const _customerTokenProblem = (thrown: unknown, { configuration, redirectUri }: Props): Error => {
  const prefix = 'Checking clientId and organizationId (issuing a LiveChat customer token) failed'
  if (!isLiveChatApiError(thrown)) return new Error(`${prefix}: ${reasonOf(thrown)}`)
  const said = thrown.remoteMessage ?? ''
  const what = `${thrown.status} ${thrown.type}${said ? `, "${said}"` : ''}`
  if (isRedirectUriRefusal(thrown)) {
    return new Error(
      text(
        `${prefix}: LiveChat refused the redirect URI (${what}). Add ${new URL(redirectUri).origin} to the Redirect `,
        `URI whitelist of the app with Client ID ${configuration.clientId} (${CONSOLE} > Apps > your app > `,
        'Authorization).'
      )
    )
  }
  if (isUnknownOrganization(thrown)) {
    return new Error(
      text(
        `${prefix}: LiveChat does not know organizationId ${configuration.organizationId} (${what}). Copy the `,
        `Organization ID from the ${CONSOLE} > Settings > Account.`
      )
    )
  }
  if (isUnknownClient(thrown)) {
    return new Error(
      text(
        `${prefix}: LiveChat does not accept clientId ${configuration.clientId} (${what}). Copy the Client ID of `,
        `your app from the ${CONSOLE} > Apps > your app > Authorization, and check that the app has the `,
        'Authorization building block.'
      )
    )
  }
  return new Error(`${prefix}: ${thrown.message}`)
}

/**
 * A customer token, then one Customer Chat API call: the same two steps as startHitl. Resolves to the customer's id
 * for the organization check (undefined when LiveChat could not tell); each check leaves one customer without a chat.
 */
const _checkCustomerSide = async (props: Props): Promise<string | undefined> => {
  const { lc, configuration, redirectUri } = props
  const token = await lc.accounts.issueCustomerToken({ redirectUri }).catch((thrown: unknown) => {
    if (!isTransient(thrown)) throw _customerTokenProblem(thrown, props)
    props.log.warn(`Could not check clientId and organizationId (${reasonOf(thrown)}); carrying on`)
    return undefined
  })
  if (!token) return undefined
  try {
    return (await lc.customer(token.accessToken).getCustomer()).id
  } catch (thrown) {
    if (isLiveChatApiError(thrown) && isNoLicense(thrown)) {
      throw new Error(
        text(
          `Checking organizationId failed: LiveChat has no license for organization ${configuration.organizationId} `,
          `(${thrown.status} ${thrown.type}). Copy the Organization ID from the ${CONSOLE} > Settings > Account.`
        )
      )
    }
    props.log.warn(`Could not check organizationId (${reasonOf(thrown)}); carrying on`)
    return undefined
  }
}

/**
 * No answer names a PAT's organization, but customers belong to one: the agent token can read the customer just
 * created for `organizationId` only if it belongs to that organization too.
 */
const _checkSameOrganization = async ({ lc, configuration, log }: Props, customerId: string): Promise<void> => {
  try {
    await lc.agent.getCustomer({ id: customerId })
  } catch (thrown) {
    if (isLiveChatApiError(thrown) && isLiveChatNotFound(thrown)) {
      // Not a stop: a customer not yet visible to the agent side gives `not_found` too.
      log.warn(
        text(
          'agentToken may belong to another organization than organizationId: the agent token cannot see customers of ',
          `organization ${configuration.organizationId} (${thrown.status} ${thrown.type}). If startHitl fails, `,
          'check it. Use the Organization ID of the account that created the Personal Access Token, or ',
          'create the token while logged in to that organization.'
        )
      )
      return
    }
    if (_isAboutTheToken(thrown))
      throw new Error(`Checking that agentToken belongs to organizationId failed: ${reasonOf(thrown)}`)
    log.warn(`Could not check that agentToken belongs to organizationId (${reasonOf(thrown)}); carrying on`)
  }
}

/** Agent and customer sides in parallel; each sentence names a field and its fix, all in one error (one round). */
export const validateConfiguration = async (props: Props): Promise<void> => {
  const agentSide = _checkAgentToken(props).then(() => _checkGroup(props))
  const [agent, customer] = await Promise.allSettled([agentSide, _checkCustomerSide(props)])
  const results: PromiseSettledResult<unknown>[] = [agent, customer]
  if (agent.status === 'fulfilled' && customer.status === 'fulfilled' && customer.value) {
    results.push(...(await Promise.allSettled([_checkSameOrganization(props, customer.value)])))
  }
  const messages = results.flatMap((result) => (result.status === 'rejected' ? [reasonOf(result.reason)] : []))
  if (messages.length === 1) throw new RuntimeError(`Invalid LiveChat HITL configuration. ${messages[0]}`)
  if (messages.length > 1) {
    const numbered = messages.map((message, i) => `${i + 1}) ${message}`).join(' ')
    throw new RuntimeError(`Invalid LiveChat HITL configuration (${messages.length} problems). ${numbered}`)
  }
}
