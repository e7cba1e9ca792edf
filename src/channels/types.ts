import * as bp from '.botpress'

type HitlHandlers = bp.IntegrationProps['channels']['hitl']['messages']

/**
 * The props of any `hitl` message handler. Not `bp.AnyMessageProps`: that one is simplified, and its `client` no
 * longer matches `bp.Client`.
 */
export type HitlMessageProps = { [K in keyof HitlHandlers]: Parameters<HitlHandlers[K]>[0] }[keyof HitlHandlers]
