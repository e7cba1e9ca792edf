export type Result<T, E = string> = { success: true; data: T } | { success: false; error: E }

export const ok = <T>(data: T): { success: true; data: T } => ({ success: true, data })
export const fail = <E>(error: E): { success: false; error: E } => ({ success: false, error })
