import { z } from 'zod'

/**
 * Error body of the Agent, Customer and Configuration Web APIs.
 * @see https://platform.text.com/docs/messaging/agent-chat-api#possible-errors
 */
export const webApiErrorSchema = z
  .object({
    error: z
      .object({
        type: z.string(),
        message: z.string().optional(),
        data: z.record(z.string(), z.unknown()).optional(),
      })
      .passthrough(),
  })
  .passthrough()

/**
 * Error body of the accounts server (customer tokens).
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
export const oauthErrorSchema = z
  .object({
    oauth_exception: z.string(),
    exception_description: z.string().optional(),
  })
  .passthrough()

/**
 * Identity errors of the accounts server (`identity_exception`: `unauthorized`, `identity_lost`, …).
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
export const identityErrorSchema = z
  .object({
    identity_exception: z.string(),
    exception_description: z.string().optional(),
  })
  .passthrough()
