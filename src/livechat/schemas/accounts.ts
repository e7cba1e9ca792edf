import { z } from 'zod'

/**
 * Customer token, cookie grant. The docs list `response_type: "token"` as required for this grant.
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
export type CustomerTokenRequest = {
  grant_type: 'cookie'
  client_id: string
  organization_id: string
  response_type: 'token'
  redirect_uri: string
}

/**
 * `entity_id` is the customer id used everywhere in chats; `expires_in` is in seconds (28800 by default).
 * @see https://platform.text.com/docs/authorization/customer-authorization
 */
export const customerTokenResponseSchema = z
  .object({
    access_token: z.string().min(1),
    entity_id: z.string().min(1),
    // Documented as always present; a token without it is treated as LiveChat's default lifetime rather than refused.
    expires_in: z.number().positive().default(28_800),
    token_type: z.string().optional(),
    organization_id: z.string().optional(),
  })
  .passthrough()
