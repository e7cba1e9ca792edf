/**
 * The HITL plugin invents `<upstream user id>@no-reply.<bot id>.botpress.com` when it knows no email. Such an address
 * reaches nobody: never shown to an agent as the customer's email, never used to merge two end users.
 */
const PLACEHOLDER_EMAIL = /^[^@\s]+@no-reply\.[^@\s]+\.botpress\.com$/i

/** Just enough to keep obvious garbage away from LiveChat's `update_customer`, which validates emails. */
const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

export const isPlaceholderEmail = (email: string): boolean => PLACEHOLDER_EMAIL.test(email.trim())

/** A real, normalised email (trimmed, lower case, so that `Ann@X.com` and `ann@x.com` are one user), or undefined. */
export const realEmailOf = (email: string | undefined): string | undefined => {
  const trimmed = email?.trim().toLowerCase()
  return trimmed && !isPlaceholderEmail(trimmed) && EMAIL_SHAPE.test(trimmed) ? trimmed : undefined
}
