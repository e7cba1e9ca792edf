import { ApiError, notFound } from '../errors'
import { Route, RouteContext, parseBody, route } from '../router'
import { getOrSetStateBody, patchStateBody, setStateBody, stateTypeSchema } from '../schemas'
import { newId, now, stateKey } from '../store'
import { State } from '../types'

const PATH = '/v1/chat/states/:type/:id/:name'

type StateAddress = { key: string; type: State['type']; id: string; name: string }

const address = (ctx: RouteContext): StateAddress => {
  const type = stateTypeSchema.safeParse(ctx.param('type'))
  if (!type.success) throw new ApiError('InvalidPayload', `Unknown state type "${ctx.param('type')}"`)
  const id = ctx.param('id')
  const name = ctx.param('name')
  return { key: stateKey(type.data, id, name), type: type.data, id, name }
}

const write = (ctx: RouteContext, at: StateAddress, payload: State['payload'], expiry: number | undefined): State => {
  const previous = ctx.store.getState(at.key)
  const state: State = {
    id: previous?.id ?? newId(),
    createdAt: previous?.createdAt ?? now(),
    updatedAt: now(),
    botId: ctx.caller.botId ?? '',
    name: at.name,
    type: at.type,
    payload,
    ...(at.type === 'conversation' && { conversationId: at.id }),
    ...(at.type === 'user' && { userId: at.id }),
  }
  ctx.store.putState(at.key, state, expiry)
  return state
}

const read = (ctx: RouteContext, at: StateAddress): State => {
  const state = ctx.store.getState(at.key)
  if (!state) throw notFound(`State ${at.name} of ${at.type} ${at.id}`)
  return state
}

export const stateRoutes: Route[] = [
  // `meta.cached` is about the cloud's cache; nothing is cached here.
  route('GET', PATH, (ctx) => ({ state: read(ctx, address(ctx)), meta: { cached: false } })),
  route('POST', PATH, (ctx) => {
    const at = address(ctx)
    const { payload, expiry } = parseBody(setStateBody, ctx.body)
    if (payload !== null) return { state: write(ctx, at, payload, expiry) }
    // `payload: null` clears the state; the answer still describes what was cleared.
    const cleared = { ...(ctx.store.getState(at.key) ?? write(ctx, at, {}, undefined)), payload: null }
    ctx.store.deleteState(at.key)
    return { state: cleared }
  }),
  route('POST', `${PATH}/get-or-set`, (ctx) => {
    const at = address(ctx)
    const { payload, expiry } = parseBody(getOrSetStateBody, ctx.body)
    return { state: ctx.store.getState(at.key) ?? write(ctx, at, payload, expiry), meta: { cached: false } }
  }),
  route('PATCH', PATH, (ctx) => {
    const at = address(ctx)
    const { payload } = parseBody(patchStateBody, ctx.body)
    // Shallow merge into the stored payload, as the cloud documents for patchState.
    return { state: write(ctx, at, { ...read(ctx, at).payload, ...payload }, undefined) }
  }),
]
