import { RuntimeError, z } from '@botpress/sdk'
import { writeAcceptedRedirectUri } from '../botpress/redirect-state'
import { LiveChatClient } from '../livechat'
import { readConfiguration } from '../misc/configuration'
import { redirectUriOf } from '../misc/customer-token'
import { inStep, reasonOf, text } from './step'
import { validateConfiguration } from './validate'
import { WebhookLimitError, manualSetupLine, setUpWebhooks } from './webhooks'
import * as bp from '.botpress'

/** LiveChat refuses webhook URLs longer than 500 characters (register_webhook). */
const webhookUrlSchema = z.string().url().max(500)

/**
 * On install and on every configuration save: check each field against LiveChat (stop with the field and its fix),
 * then make LiveChat's license webhooks exactly what the round trip needs. A PAT without the webhook scopes is not an
 * error: the admin gets one line with the webhooks to create by hand.
 */
export const register: bp.IntegrationProps['register'] = async ({ ctx, client, logger, webhookUrl }) => {
  const log = logger.forBot()
  const configuration = readConfiguration(ctx)
  const url = webhookUrlSchema.safeParse(webhookUrl)
  if (!url.success) {
    throw new RuntimeError(
      text(
        `Botpress gave this integration a webhook URL LiveChat cannot use (${webhookUrl.length} characters, at most `,
        '500, http or https): contact Botpress support.'
      )
    )
  }
  const { agentToken, organizationId, clientId } = configuration
  const lc = LiveChatClient.create({ agentToken, organizationId, clientId }, { logger: log })

  const defaultRedirectUri = redirectUriOf(ctx)
  const accepted = await validateConfiguration({
    lc,
    configuration,
    redirectUri: defaultRedirectUri,
    fallbackRedirectUri: url.data,
    log,
  })
  if (accepted.redirectUri) {
    // Only a non-default URI is worth remembering: startHitl tries the default first and reads this after a refusal.
    const remembered = accepted.redirectUri === defaultRedirectUri ? undefined : accepted.redirectUri
    await inStep('Saving the redirect URI LiveChat accepted', () =>
      writeAcceptedRedirectUri({ client, integrationId: ctx.integrationId }, remembered)
    )
  }
  try {
    await inStep('Setting up the LiveChat webhooks', () =>
      setUpWebhooks({ lc, client, ctx, configuration, webhookUrl: url.data, log })
    )
  } catch (thrown) {
    if (thrown instanceof WebhookLimitError) {
      throw thrown
    }
    // The fields were checked above, so this is LiveChat refusing or failing a webhook call for another reason. The
    // integration itself works; only the automatic part of the setup did not, so say exactly what to do by hand.
    log.error(manualSetupLine(configuration, url.data, `LiveChat answered: ${reasonOf(thrown)}`))
  }
}
