/** Why a call failed, for a sentence to the admin (a LiveChat error's message is secret-free). */
export const reasonOf = (thrown: unknown): string => (thrown instanceof Error ? thrown.message : String(thrown))

/** A long message written in pieces that fit 120 columns; biome would rather see one long template literal. */
export const text = (...parts: string[]): string => parts.join('')
