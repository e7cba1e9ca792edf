import { IntegrationDefinition } from '@botpress/sdk'
import { actions, channels, configuration, entities, hitlInterface, states, user } from './src/definitions'

export default new IntegrationDefinition({
  name: 'livechat-hitl',
  version: '0.1.0',
  title: 'LiveChat HITL',
  description:
    'Hand a Botpress conversation to a human agent in LiveChat (text.com): the chat opens in your group with the customer and the conversation so far, and the agent replies come back to the bot.',
  icon: 'icon.svg',
  readme: 'hub.md',
  configuration,
  channels,
  states,
  user,
  entities,
  actions,
}).extend(hitlInterface, ({ hitlSession }) => ({ hitlSession }))
