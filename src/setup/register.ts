import { RuntimeError, z } from '@botpress/sdk'
import { createLiveChat } from '../botpress/livechat-client'
import { createLog } from '../botpress/log'
import { redirectUriOf } from '../customer/token'
import { reasonOf, text } from './messages'
import { validateConfiguration } from './validate'
import { manualSetupLine } from './webhook-messages'
import { WebhookLimitError, setUpWebhooks } from './webhooks'
import * as bp from '.botpress'

/** LiveChat refuses webhook URLs longer than 500 characters (register_webhook). */
const webhookUrlSchema = z.string().url().max(500)

/**
 * On install and on every configuration save: check each field against LiveChat (stop with the field and its fix),
 * then make LiveChat's license webhooks exactly what the round trip needs. A PAT without the webhook scopes is not an
 * error: the admin gets one line with the webhooks to create by hand.
 */
export const register: bp.IntegrationProps['register'] = async ({ ctx, client, logger, webhookUrl }) => {
  const log = createLog(logger)
  const { lc, configuration } = createLiveChat(ctx, log)
  const url = webhookUrlSchema.safeParse(webhookUrl)
  if (!url.success) {
    throw new RuntimeError(
      text(
        `Botpress gave this integration a webhook URL LiveChat cannot use (${webhookUrl.length} characters, at most `,
        '500, http or https): contact Botpress support.'
      )
    )
  }
  await validateConfiguration({ lc, configuration, redirectUri: redirectUriOf(ctx), log })
  try {
    await setUpWebhooks({ lc, client, ctx, configuration, webhookUrl: url.data, log })
  } catch (thrown) {
    if (thrown instanceof WebhookLimitError) throw thrown
    // The fields were checked above: the integration works, only the automatic setup did not, so say what to do.
    log.error(manualSetupLine(configuration, url.data, `LiveChat answered: ${reasonOf(thrown)}`))
  }
}
