import { RuntimeError } from '@botpress/sdk'
import type { Configuration } from '../botpress/configuration'
import type { Log } from '../botpress/log'
import {
  type Group,
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

type Props = {
  lc: LiveChatClient
  configuration: Configuration
  /** The one startHitl sends with the cookie grant, so that what passes here works there. */
  redirectUri: string
  log: Log
}

const CONSOLE = 'LiveChat Developer Console (platform.text.com/console)'

/**
 * Only answers that really say the token is wrong stop the install. Anything else (an outage, an answer this version
 * does not expect) is logged and the install goes on: a configuration refused for a reason that is not the admin's
 * would be worse than a warning, and the first startHitl reports real problems with the same messages.
 */
const _isAboutTheToken = (thrown: unknown): boolean => isTokenProblem(thrown) || isMissingScope(thrown)

/**
 * The cheapest call that needs the agent token: one chat summary. `list_chats` also needs the chats scope that
 * stopHitl and the webhooks' agent lookups depend on, so a PAT made without it is caught here, at install time.
 */
const _checkAgentToken = async ({ lc, log }: Props): Promise<void> => {
  try {
    await lc.agent.listChats({ limit: 1 })
  } catch (thrown) {
    if (_isAboutTheToken(thrown)) {
      throw new Error(`Checking agentToken failed: ${reasonOf(thrown)}`)
    }
    log.warn(`Could not check agentToken (${reasonOf(thrown)}); carrying on, startHitl will tell if it fails`)
  }
}

/**
 * `get_group` answers `group_not_found` for an unknown id; the agents and their routing come with it, so one call
 * says whether HITL chats will find someone. No agent available is only a warning: startHitl opens continuous chats,
 * which wait in the group's queue until an agent takes them.
 */
const _checkGroup = async ({ lc, configuration, log }: Props): Promise<void> => {
  const { groupId } = configuration
  let group: Group
  try {
    group = await lc.configuration.getGroup({ id: groupId, fields: ['agent_priorities', 'routing_status'] })
  } catch (thrown) {
    if (isLiveChatApiError(thrown) && isLiveChatNotFound(thrown)) {
      throw new Error(
        text(
          `Checking groupId failed: LiveChat has no group ${groupId} (${thrown.status} ${thrown.type}). Use the id of `,
          'an existing group: in the LiveChat Agent App, Team > Groups, open the group; its id is the number at the ',
          'end of the address (0 is the General group).'
        )
      )
    }
    if (isLiveChatApiError(thrown) && isTokenProblem(thrown)) {
      throw new Error(`Checking groupId failed: ${thrown.message}`)
    }
    log.warn(`Could not check groupId ${groupId} (${reasonOf(thrown)}); carrying on`)
    return
  }
  // Supervisors are never assigned chats automatically, so they do not count as agents who will answer.
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

/**
 * The accounts server answers `invalid_client` for an unknown Client ID and `invalid_request` for the rest; only its
 * description tells an unknown organization from a Redirect URI mismatch.
 */
const _customerTokenProblem = (thrown: unknown, { configuration, redirectUri }: Props): Error => {
  const prefix = 'Checking clientId and organizationId (issuing a LiveChat customer token) failed'
  if (!isLiveChatApiError(thrown)) {
    return new Error(`${prefix}: ${reasonOf(thrown)}`)
  }
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
 * A customer token for (clientId, organizationId), then one Customer Chat API call with `?organization_id=`: the
 * same two steps as startHitl, so what passes here works there. Resolves to the customer's id for the organization
 * check (undefined when LiveChat could not tell). Without identity cookies, each check makes LiveChat create one more
 * customer, who never has a chat.
 */
const _checkCustomerSide = async (props: Props): Promise<string | undefined> => {
  const { lc, configuration, redirectUri } = props
  let accessToken: string
  try {
    accessToken = (await lc.accounts.issueCustomerToken({ redirectUri })).accessToken
  } catch (thrown) {
    if (isTransient(thrown)) {
      // Like the agent-side checks: an outage is not the admin's mistake, so it does not stop the install.
      props.log.warn(`Could not check clientId and organizationId (${reasonOf(thrown)}); carrying on`)
      return undefined
    }
    throw _customerTokenProblem(thrown, props)
  }
  try {
    return (await lc.customer(accessToken).getCustomer()).id
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
 * No Agent Chat or Configuration API answer carries the organization of a PAT, and the accounts server only echoes
 * the `organization_id` we send. What does tie them: customers belong to one organization, so the agent token can
 * read the customer just created for `organizationId` only if it belongs to that organization too.
 */
const _checkSameOrganization = async ({ lc, configuration, log }: Props, customerId: string): Promise<void> => {
  try {
    await lc.agent.getCustomer({ id: customerId })
  } catch (thrown) {
    if (isLiveChatApiError(thrown) && isLiveChatNotFound(thrown)) {
      // A warning, not a stop: `not_found` is also what a customer not yet visible to the agent side would give, and
      // refusing a good configuration on that guess would block the install for nothing.
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
    if (_isAboutTheToken(thrown)) {
      throw new Error(`Checking that agentToken belongs to organizationId failed: ${reasonOf(thrown)}`)
    }
    log.warn(`Could not check that agentToken belongs to organizationId (${reasonOf(thrown)}); carrying on`)
  }
}

const numbered = (messages: string[]): string => messages.map((message, i) => `${i + 1}) ${message}`).join(' ')

/**
 * Every field against LiveChat, agent side and customer side in parallel. Each check throws one sentence that names
 * the field and its fix, and all of them make one error, so that an admin fixes every field in one round.
 */
export const validateConfiguration = async (props: Props): Promise<void> => {
  const agentSide = _checkAgentToken(props).then(() => _checkGroup(props))
  const [agent, customer] = await Promise.allSettled([agentSide, _checkCustomerSide(props)])
  const results: PromiseSettledResult<unknown>[] = [agent, customer]
  if (agent.status === 'fulfilled' && customer.status === 'fulfilled' && customer.value) {
    results.push(...(await Promise.allSettled([_checkSameOrganization(props, customer.value)])))
  }
  const messages = results.flatMap((result) => (result.status === 'rejected' ? [reasonOf(result.reason)] : []))
  if (messages.length === 1) {
    throw new RuntimeError(`Invalid LiveChat HITL configuration. ${messages[0]}`)
  }
  if (messages.length > 1) {
    throw new RuntimeError(`Invalid LiveChat HITL configuration (${messages.length} problems). ${numbered(messages)}`)
  }
}
