import { notFound } from '../errors'
import { Route, RouteContext, parseBody, route, tagsFromQuery } from '../router'
import { updateFileBody, upsertFileBody } from '../schemas'
import { Store, mergeTags, newId, now, tagsMatch } from '../store'
import { BotpressFile } from '../types'

/** Where file bytes live on the emulator: PUT uploads them (the presigned `uploadUrl`), GET reads them (`url`). */
export const FILE_CONTENT_PATH = /^\/_files\/([^/]+)\/content$/

export const fileContentUrl = (baseUrl: string, id: string): string =>
  `${baseUrl}/_files/${encodeURIComponent(id)}/content`

export const getFileOr404 = (store: Store, id: string): BotpressFile => {
  const file = store.files.find((f) => f.id === id)
  if (!file) throw notFound(`File ${id}`)
  return file
}

const upsertFile = (ctx: RouteContext): BotpressFile & { uploadUrl: string } => {
  const body = parseBody(upsertFileBody, ctx.body)
  const at = now()
  // The key names the file: upserting a known key replaces its content, so the upload starts over.
  const previous = ctx.store.files.find((f) => f.key === body.key)
  const id = previous?.id ?? newId()
  const file: BotpressFile = {
    id,
    botId: ctx.caller.botId ?? '',
    key: body.key,
    url: fileContentUrl(ctx.baseUrl, id),
    size: body.size,
    contentType: body.contentType ?? 'application/octet-stream',
    tags: body.tags ?? {},
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
    accessPolicies: body.accessPolicies ?? [],
    index: body.index ?? false,
    status: 'upload_pending',
    ...(body.expiresAt !== undefined && { expiresAt: body.expiresAt }),
  }
  if (previous) ctx.store.files.splice(ctx.store.files.indexOf(previous), 1, file)
  else ctx.store.files.push(file)
  ctx.store.fileContents.delete(id)
  return { ...file, uploadUrl: file.url }
}

/** Called by the server for a PUT on a file's upload URL. */
export const completeUpload = (store: Store, id: string, bytes: Buffer): BotpressFile => {
  const file = getFileOr404(store, id)
  store.fileContents.set(id, bytes)
  file.size = bytes.length
  file.status = 'upload_completed'
  file.updatedAt = now()
  return file
}

/** A file the bot stored before (media its messages link to): uploaded, and served at its `url` like any file. */
export const seedFile = (
  store: Store,
  baseUrl: string,
  fields: { key: string; contentType: string; content: Buffer }
): BotpressFile => {
  const at = now()
  const id = newId()
  store.files.push({
    id,
    botId: '',
    key: fields.key,
    url: fileContentUrl(baseUrl, id),
    size: null,
    contentType: fields.contentType,
    tags: {},
    createdAt: at,
    updatedAt: at,
    accessPolicies: ['public_content'],
    index: false,
    status: 'upload_pending',
  })
  return completeUpload(store, id, fields.content)
}

export const fileRoutes: Route[] = [
  route('PUT', '/v1/files', (ctx) => ({ file: upsertFile(ctx) })),
  route('GET', '/v1/files/:id', (ctx) => ({ file: getFileOr404(ctx.store, ctx.param('id')) })),
  route('PUT', '/v1/files/:id', (ctx) => {
    const file = getFileOr404(ctx.store, ctx.param('id'))
    const update = parseBody(updateFileBody, ctx.body)
    file.tags = mergeTags(file.tags, update.tags)
    if (update.accessPolicies) file.accessPolicies = update.accessPolicies
    if (update.expiresAt === null) file.expiresAt = undefined
    else if (update.expiresAt !== undefined) file.expiresAt = update.expiresAt
    file.updatedAt = now()
    return { file }
  }),
  route('DELETE', '/v1/files/:id', (ctx) => {
    const file = getFileOr404(ctx.store, ctx.param('id'))
    ctx.store.files.splice(ctx.store.files.indexOf(file), 1)
    ctx.store.fileContents.delete(file.id)
    return {}
  }),
  route('GET', '/v1/files', (ctx) => {
    const tags = tagsFromQuery(ctx.query)
    return { files: ctx.store.files.filter((f) => tagsMatch(f.tags, tags)), meta: {} }
  }),
]
