import { RuntimeError } from '@botpress/sdk'
import { type Group, type LiveChatClient, isLiveChatApiError, isRedirectUriRefusal } from '../livechat'
import type { Configuration } from '../misc/configuration'
import { type SetupLogger, isNotFoundError, reasonOf, text } from './step'

type Field = 'agentToken' | 'organizationId' | 'clientId' | 'groupId'

/** One field that LiveChat refused, with the sentence naming the step and the fix. */
export class FieldProblem extends Error {
  public override readonly name = 'FieldProblem'
  public constructor(
    public readonly field: Field,
    message: string
  ) {
    super(message)
  }
}

/**
 * `redirectUri`: the one startHitl sends with the cookie grant by default, so that what passes here works there;
 * `fallbackRedirectUri`: this installation's own webhook URL, tried when LiveChat refuses the default (an app that
 * whitelists that URL instead). Whichever LiveChat accepts is returned, so that startHitl can use it too.
 */
type Props = {
  lc: LiveChatClient
  configuration: Configuration
  redirectUri: string
  fallbackRedirectUri?: string
  log: SetupLogger
}

const CONSOLE = 'LiveChat Developer Console (platform.text.com/console)'

/**
 * Only answers that really say the token is wrong stop the install. Anything else (an outage, an answer this version
 * does not expect) is logged and the install goes on: a configuration refused for a reason that is not the admin's
 * would be worse than a warning, and the first startHitl reports real problems with the same messages.
 */
const _isAboutTheToken = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && ['authentication', 'authorization', 'invalid_configuration'].includes(thrown.type)

/**
 * The cheapest call that needs the agent token: one chat summary. `list_chats` also needs the chats scope that
 * stopHitl and the webhooks' agent lookups depend on, so a PAT made without it is caught here, at install time.
 */
const _checkAgentToken = async ({ lc, log }: Props): Promise<void> => {
  try {
    await lc.agent.listChats({ limit: 1 })
  } catch (thrown) {
    if (_isAboutTheToken(thrown)) {
      throw new FieldProblem('agentToken', `Checking agentToken failed: ${reasonOf(thrown)}`)
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
    if (isLiveChatApiError(thrown) && isNotFoundError(thrown)) {
      throw new FieldProblem(
        'groupId',
        text(
          `Checking groupId failed: LiveChat has no group ${groupId} (${thrown.status} ${thrown.type}). Use the id of `,
          'an existing group: in the LiveChat Agent App, Team > Groups, open the group; its id is the number at the ',
          'end of the address (0 is the General group).'
        )
      )
    }
    if (isLiveChatApiError(thrown) && thrown.type === 'authentication') {
      throw new FieldProblem('agentToken', `Checking groupId failed: ${thrown.message}`)
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
/** No answer, a rate limit or a server error: LiveChat could not say anything about the fields. */
const _isOutage = (thrown: unknown): boolean =>
  isLiveChatApiError(thrown) && (thrown.status === 0 || thrown.status >= 500 || thrown.status === 429)

const _customerTokenProblem = (thrown: unknown, { configuration, redirectUri }: Props): FieldProblem => {
  const prefix = 'Checking clientId and organizationId (issuing a LiveChat customer token) failed'
  if (!isLiveChatApiError(thrown)) {
    return new FieldProblem('clientId', `${prefix}: ${reasonOf(thrown)}`)
  }
  const said = thrown.remoteMessage ?? ''
  const what = `${thrown.status} ${thrown.type}${said ? `, "${said}"` : ''}`
  if (/redirect/i.test(said)) {
    return new FieldProblem(
      'clientId',
      text(
        `${prefix}: LiveChat refused the redirect URI (${what}). Add ${new URL(redirectUri).origin} to the Redirect `,
        `URI whitelist of the app with Client ID ${configuration.clientId} (${CONSOLE} > Apps > your app > `,
        'Authorization).'
      )
    )
  }
  if (/organi[sz]ation/i.test(said) || /license/i.test(said)) {
    return new FieldProblem(
      'organizationId',
      text(
        `${prefix}: LiveChat does not know organizationId ${configuration.organizationId} (${what}). Copy the `,
        `Organization ID from the ${CONSOLE} > Settings > Account.`
      )
    )
  }
  if (/client/i.test(thrown.type) || /client/i.test(said)) {
    return new FieldProblem(
      'clientId',
      text(
        `${prefix}: LiveChat does not accept clientId ${configuration.clientId} (${what}). Copy the Client ID of `,
        `your app from the ${CONSOLE} > Apps > your app > Authorization, and check that the app has the `,
        'Authorization building block.'
      )
    )
  }
  return new FieldProblem('clientId', `${prefix}: ${thrown.message}`)
}

/**
 * A customer token for (clientId, organizationId), then one Customer Chat API call with `?organization_id=`: the
 * same two steps as startHitl, so what passes here works there. Returns the customer's id for the organization
 * check. (Without identity cookies, each check makes LiveChat create one more customer, who never has a chat.)
 */
/** The default redirect URI first; the installation's webhook URL only when LiveChat refused the default. */
const _issueCustomerToken = async (props: Props): Promise<{ accessToken: string; redirectUri: string }> => {
  const { lc, redirectUri, fallbackRedirectUri } = props
  try {
    return { accessToken: (await lc.accounts.issueCustomerToken({ redirectUri })).accessToken, redirectUri }
  } catch (thrown) {
    if (!fallbackRedirectUri || fallbackRedirectUri === redirectUri || !isRedirectUriRefusal(thrown)) throw thrown
    try {
      const { accessToken } = await lc.accounts.issueCustomerToken({ redirectUri: fallbackRedirectUri })
      return { accessToken, redirectUri: fallbackRedirectUri }
    } catch {
      // Neither is whitelisted: the message names the default, the one hub.md documents.
      throw thrown
    }
  }
}

type CustomerSide = { customerId?: string; redirectUri?: string }

const _checkCustomerSide = async (props: Props): Promise<CustomerSide> => {
  const { lc, configuration } = props
  let accessToken: string
  let redirectUri: string
  try {
    ;({ accessToken, redirectUri } = await _issueCustomerToken(props))
  } catch (thrown) {
    if (_isOutage(thrown)) {
      // Like the agent-side checks: an outage is not the admin's mistake, so it does not stop the install.
      props.log.warn(`Could not check clientId and organizationId (${reasonOf(thrown)}); carrying on`)
      return {}
    }
    throw _customerTokenProblem(thrown, props)
  }
  try {
    return { customerId: (await lc.customer(accessToken).getCustomer()).id, redirectUri }
  } catch (thrown) {
    if (isLiveChatApiError(thrown) && /license|organization/.test(thrown.type)) {
      throw new FieldProblem(
        'organizationId',
        text(
          `Checking organizationId failed: LiveChat has no license for organization ${configuration.organizationId} `,
          `(${thrown.status} ${thrown.type}). Copy the Organization ID from the ${CONSOLE} > Settings > Account.`
        )
      )
    }
    props.log.warn(`Could not check organizationId (${reasonOf(thrown)}); carrying on`)
    return { redirectUri }
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
    if (isLiveChatApiError(thrown) && isNotFoundError(thrown)) {
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
      throw new FieldProblem(
        'agentToken',
        `Checking that agentToken belongs to organizationId failed: ${reasonOf(thrown)}`
      )
    }
    log.warn(`Could not check that agentToken belongs to organizationId (${reasonOf(thrown)}); carrying on`)
  }
}

const numbered = (messages: string[]): string => messages.map((message, i) => `${i + 1}) ${message}`).join(' ')

const _problems = (results: PromiseSettledResult<unknown>[]): unknown[] =>
  results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []))

/**
 * Every field against LiveChat, agent side and customer side in parallel, and one error that lists every field
 * LiveChat refused, each with its fix, so that an admin fixes them all in one round.
 */
/** Resolves to the redirect URI LiveChat accepted for customer tokens (undefined when it could not be checked). */
export const validateConfiguration = async (props: Props): Promise<{ redirectUri?: string }> => {
  const agentSide = (async () => {
    await _checkAgentToken(props)
    await _checkGroup(props)
  })()
  const customerSide = _checkCustomerSide(props)
  const [agent, customer] = await Promise.allSettled([agentSide, customerSide])
  const problems = _problems([agent, customer])
  const customerId = customer.status === 'fulfilled' ? customer.value.customerId : undefined
  if (agent.status === 'fulfilled' && customerId) {
    problems.push(..._problems(await Promise.allSettled([_checkSameOrganization(props, customerId)])))
  }
  if (problems.length === 0) {
    return { redirectUri: customer.status === 'fulfilled' ? customer.value.redirectUri : undefined }
  }
  const messages = problems.map((problem) => (problem instanceof Error ? problem.message : String(problem)))
  throw new RuntimeError(
    messages.length === 1
      ? `Invalid LiveChat HITL configuration. ${messages[0]}`
      : `Invalid LiveChat HITL configuration (${messages.length} problems). ${numbered(messages)}`
  )
}
