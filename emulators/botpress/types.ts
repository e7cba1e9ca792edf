/** Records as the Botpress API (client 0.29.1) returns them. */

export type Tags = Record<string, string>

export type User = {
  id: string
  createdAt: string
  updatedAt: string
  tags: Tags
  name?: string
  pictureUrl?: string
}

export type Conversation = {
  id: string
  currentTaskId?: string
  createdAt: string
  updatedAt: string
  channel: string
  /** The integration *name*, as the cloud fills it. */
  integration: string
  tags: Tags
}

export type Message = {
  id: string
  createdAt: string
  type: string
  payload: Record<string, unknown>
  direction: 'incoming' | 'outgoing'
  userId: string
  conversationId: string
  tags: Tags
}

export type StateType = 'conversation' | 'user' | 'bot' | 'task' | 'integration'

export type State = {
  id: string
  createdAt: string
  updatedAt: string
  botId: string
  conversationId?: string
  userId?: string
  name: string
  type: StateType
  payload: Record<string, unknown>
}

export type BotpressEvent = {
  id: string
  createdAt: string
  type: string
  payload: Record<string, unknown>
  conversationId?: string
  userId?: string
  messageId?: string
  status: 'pending' | 'processed' | 'ignored' | 'failed'
  failureReason: string | null
}

export type FileStatus =
  | 'upload_pending'
  | 'upload_failed'
  | 'upload_completed'
  | 'indexing_pending'
  | 'indexing_failed'
  | 'indexing_completed'

export type BotpressFile = {
  id: string
  botId: string
  key: string
  url: string
  size: number | null
  contentType: string
  tags: Tags
  createdAt: string
  updatedAt: string
  accessPolicies: ('integrations' | 'public_content')[]
  index: boolean
  status: FileStatus
  expiresAt?: string
}

/** One request the integration (or a test) made to the runtime API. */
export type RecordedCall = {
  at: string
  method: string
  path: string
  /** Query string without `?`. */
  query: string
  botId?: string
  integrationId?: string
  /** Parsed JSON body; undefined for raw uploads and empty bodies. */
  body: unknown
  status: number
  response: unknown
}

/** One call the driver made to a served integration (`x-bp-operation`). */
export type RecordedOperation = {
  at: string
  operation: Operation
  integrationUrl: string
  requestBody: unknown
  status: number
  responseHeaders: Record<string, string>
  responseBody: string
}

/** The eight operations SDK 0.10.10 accepts. */
export type Operation =
  | 'webhook_received'
  | 'message_created'
  | 'action_triggered'
  | 'register'
  | 'unregister'
  | 'ping'
  | 'create_user'
  | 'create_conversation'
