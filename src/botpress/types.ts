import * as bp from '.botpress'

export type Client = bp.Client
export type Conversation = bp.ClientResponses['getConversation']['conversation']
export type User = bp.ClientResponses['getUser']['user']
