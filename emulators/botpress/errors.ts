import { randomBytes } from 'node:crypto'

/** Error types of the Botpress API and the HTTP status each one is sent with (client 0.29.1 `gen/errors.ts`). */
export const ERROR_CODES = {
  Unknown: 500,
  Internal: 500,
  Unauthorized: 401,
  Forbidden: 403,
  PayloadTooLarge: 413,
  InvalidPayload: 400,
  UnsupportedMediaType: 415,
  MethodNotFound: 405,
  ResourceNotFound: 404,
  InvalidJsonSchema: 400,
  InvalidDataFormat: 400,
  InvalidIdentifier: 400,
  RelationConflict: 409,
  ReferenceConstraint: 409,
  ResourceLockedConflict: 409,
  ReferenceNotFound: 400,
  InvalidQuery: 400,
  Runtime: 400,
  AlreadyExists: 409,
  RateLimited: 429,
  PaymentRequired: 402,
  QuotaExceeded: 403,
  LimitExceeded: 413,
  BreakingChanges: 400,
} as const

export type ApiErrorType = keyof typeof ERROR_CODES

export type ApiErrorBody = { id: string; code: number; type: ApiErrorType; message: string }

/** `err_<YYYYMMDDHHMMSS>x<8 hex>`: the client turns an error without an `id` into `UnknownError`. */
export const newErrorId = (now = new Date()): string => {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return `err_${stamp}x${randomBytes(4).toString('hex').toUpperCase()}`
}

/** Thrown by route handlers; the server answers it with the exact Botpress error body. */
export class ApiError extends Error {
  public readonly code: number

  public constructor(
    public readonly type: ApiErrorType,
    message: string,
    code?: number
  ) {
    super(message)
    this.code = code ?? ERROR_CODES[type]
  }

  public toBody(): ApiErrorBody {
    return { id: newErrorId(), code: this.code, type: this.type, message: this.message }
  }
}

export const notFound = (what: string): ApiError => new ApiError('ResourceNotFound', `${what} doesn't exist`)

/** The type a fault answers with for a given status: the one Botpress uses for it, else Unknown. */
const TYPE_FOR_STATUS: Readonly<Record<number, ApiErrorType>> = {
  400: 'InvalidPayload',
  401: 'Unauthorized',
  402: 'PaymentRequired',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  405: 'MethodNotFound',
  409: 'AlreadyExists',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'RateLimited',
  500: 'Internal',
}

export const errorTypeForStatus = (status: number): ApiErrorType => TYPE_FOR_STATUS[status] ?? 'Unknown'
