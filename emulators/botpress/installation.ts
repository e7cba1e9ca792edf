import { z } from 'zod'
import { DefinitionLike, checkActionInput, checkActionOutput, checkMessagePayload } from './definition'
import { ApiError } from './errors'
import { storeMessage } from './routes/messages'
import { Store } from './store'
import { Message, Operation, RecordedOperation } from './types'

export type ActionMap = Record<string, { input: unknown; output: unknown }>

export type InstallOptions<TConfig extends object> = {
  /** Base URLs of `bp serve` instances of the same bundle; calls go round-robin, as the cloud runs many copies. */
  integrationUrls: string[]
  configuration: TConfig
  integrationName: string
  /** The integration definition, to check inputs and payloads as the cloud does (optional). */
  definition?: DefinitionLike
}

/** What the served integration answered, as is. */
export type IntegrationResponse = { status: number; headers: Record<string, string>; body: string }

/** The original request of a webhook, as `webhook_received` carries it (`body` is the raw string). */
export type WebhookRequest = {
  method: string
  path: string
  query: string
  headers: Record<string, string>
  body?: string
}

export type SendMessageInput = {
  conversationId: string
  userId: string
  type: string
  payload: Record<string, unknown>
  tags?: Record<string, string>
  /** A bot reply is `outgoing` (the default); the HITL plugin forwarding the end user's text is too. */
  direction?: Message['direction']
}

/** The integration (or the emulator, standing in for the cloud's checks) refused an operation. */
export class IntegrationCallError extends Error {
  public constructor(
    public readonly operation: Operation,
    public readonly status: number,
    /** Parsed JSON when the answer was JSON, else the raw text. */
    public readonly body: unknown,
    message: string
  ) {
    super(message)
    this.name = 'IntegrationCallError'
  }
}

/** An action failed: `message` is the Runtime error message the bot would see. */
export class ActionError extends IntegrationCallError {
  public constructor(
    public readonly action: string,
    status: number,
    body: unknown,
    message: string
  ) {
    super('action_triggered', status, body, message)
    this.name = 'ActionError'
  }
}

const errorMessageSchema = z.union([z.object({ message: z.string() }), z.object({ error: z.string() })])
const actionResultSchema = z.object({ output: z.unknown().optional() })

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The Runtime message (400), the envelope error (500), or the raw text. */
const errorMessage = (body: unknown, status: number): string => {
  const parsed = errorMessageSchema.safeParse(body)
  if (!parsed.success) return `HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`
  return 'message' in parsed.data ? parsed.data.message : parsed.data.error
}

// lib.dom here has no DOM.Iterable, so `Headers` is not iterable for the type checker.
const headersOf = (response: Response): Record<string, string> => {
  const out: Record<string, string> = {}
  response.headers.forEach((value, key) => {
    out[key] = value
  })
  return out
}

/** Stands in for the cloud's checks: the integration is never called, as in the cloud. */
const rejected = (problem: string) => new ApiError('InvalidPayload', problem).toBody()

export type InstallationDeps = { store: Store; operations: RecordedOperation[] }

/**
 * One bot's installation of the integration, and the driver that calls the served bundle the way the runtime does
 * (the five context headers, `x-bp-operation`, a JSON body, POST /).
 */
export class Installation<TActions extends ActionMap = ActionMap, TConfig extends object = object> {
  public readonly botId: string
  public readonly botUserId: string
  public readonly integrationId: string
  public readonly webhookId: string
  public readonly webhookUrl: string
  public readonly integrationName: string
  public readonly integrationUrls: readonly string[]
  public readonly definition: DefinitionLike | undefined
  /** Sent base64-encoded with every call; change it to play a reconfiguration. */
  public configuration: TConfig
  private _next = 0

  public constructor(
    private readonly _deps: InstallationDeps,
    ids: { botId: string; botUserId: string; integrationId: string; webhookId: string; webhookUrl: string },
    options: InstallOptions<TConfig>
  ) {
    if (options.integrationUrls.length === 0) throw new Error('install() needs at least one integration URL')
    this.botId = ids.botId
    this.botUserId = ids.botUserId
    this.integrationId = ids.integrationId
    this.webhookId = ids.webhookId
    this.webhookUrl = ids.webhookUrl
    this.integrationName = options.integrationName
    this.integrationUrls = [...options.integrationUrls]
    this.configuration = options.configuration
    this.definition = options.definition
  }

  /** Sends one operation to the next integration instance and returns its answer whatever the status. */
  public async call(
    operation: Operation,
    body: unknown,
    options: { type?: string } = {}
  ): Promise<IntegrationResponse> {
    const integrationUrl = this.integrationUrls[this._next++ % this.integrationUrls.length] ?? ''
    const response = await fetch(`${integrationUrl}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-bot-id': this.botId,
        'x-bot-user-id': this.botUserId,
        'x-integration-id': this.integrationId,
        'x-webhook-id': this.webhookId,
        'x-bp-configuration': Buffer.from(JSON.stringify(this.configuration)).toString('base64'),
        'x-bp-operation': operation,
        ...(options.type !== undefined && { 'x-bp-type': options.type }),
      },
      body: JSON.stringify(body),
    }).catch((thrown: unknown) => {
      const cause = thrown instanceof Error && thrown.cause instanceof Error ? thrown.cause.message : String(thrown)
      throw new Error(`Could not reach the integration at ${integrationUrl} (${operation}): ${cause}`)
    })
    const answer: IntegrationResponse = {
      status: response.status,
      headers: headersOf(response),
      body: await response.text(),
    }
    this._deps.operations.push({
      at: new Date().toISOString(),
      operation,
      integrationUrl,
      requestBody: body,
      status: answer.status,
      responseHeaders: answer.headers,
      responseBody: answer.body,
    })
    return answer
  }

  public async register(): Promise<void> {
    await this._expectOk('register', { webhookUrl: this.webhookUrl })
  }

  public async unregister(): Promise<void> {
    await this._expectOk('unregister', { webhookUrl: this.webhookUrl })
  }

  public async ping(): Promise<void> {
    await this._expectOk('ping', {})
  }

  /** Runs an action and returns its output; throws `ActionError` with the Runtime message when it fails. */
  public async runAction<K extends keyof TActions & string>(
    type: K,
    input: TActions[K]['input']
  ): Promise<TActions[K]['output']> {
    const inputProblem = checkActionInput(this.definition, type, input)
    if (inputProblem) throw new ActionError(type, 400, rejected(inputProblem), inputProblem)

    const answer = await this.call('action_triggered', { type, input }, { type })
    const body = parseJson(answer.body)
    if (answer.status !== 200) throw new ActionError(type, answer.status, body, errorMessage(body, answer.status))
    const result = actionResultSchema.safeParse(body)
    if (!result.success) throw new ActionError(type, answer.status, body, `Action ${type} answered no JSON object`)

    const outputProblem = checkActionOutput(this.definition, type, result.data.output)
    if (outputProblem) throw new ActionError(type, 400, rejected(outputProblem), outputProblem)
    // Checked against the declared output schema above when a definition is given; trusted otherwise, as the SDK does.
    return result.data.output as TActions[K]['output']
  }

  /**
   * A bot message on an integration channel: stored first (so that `ack()` finds it, as in the cloud), then
   * `message_created`. Returns the stored message, acked tags included.
   */
  public async sendMessage(input: SendMessageInput): Promise<Message> {
    const { store } = this._deps
    const conversation = store.findConversation(input.conversationId)
    if (!conversation) throw new Error(`sendMessage: conversation ${input.conversationId} is not in the emulator`)
    const user = store.findUser(input.userId)
    if (!user) throw new Error(`sendMessage: user ${input.userId} is not in the emulator`)
    const problem = checkMessagePayload(this.definition, conversation.channel, input.type, input.payload)
    if (problem) throw new IntegrationCallError('message_created', 400, rejected(problem), problem)

    const message = storeMessage(store, {
      type: input.type,
      payload: input.payload,
      direction: input.direction ?? 'outgoing',
      userId: user.id,
      conversationId: conversation.id,
      tags: input.tags ?? {},
    })
    const body = { conversation, user, message, type: input.type, payload: input.payload }
    await this._expectOk('message_created', body, input.type)
    return message
  }

  /** What the emulator's webhook URL does with an incoming request. */
  public relayWebhook(req: WebhookRequest): Promise<IntegrationResponse> {
    return this.call('webhook_received', { req })
  }

  private async _expectOk(operation: Operation, body: unknown, type?: string): Promise<void> {
    const answer = await this.call(operation, body, { type })
    if (answer.status === 200) return
    const parsed = parseJson(answer.body)
    throw new IntegrationCallError(operation, answer.status, parsed, errorMessage(parsed, answer.status))
  }
}
