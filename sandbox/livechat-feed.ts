import { z } from 'zod'
import type { LiveChatEmulator } from '../emulators/livechat'
import type { Activity } from './activity'

/**
 * Follows the LiveChat emulator's public SSE stream (`GET /_emulator/events`), the way the browser console of another
 * tool would: API calls it answered, webhook deliveries it made, chat changes.
 */

const callSchema = z.object({ api: z.string(), action: z.string(), status: z.number(), at: z.string() }).passthrough()
const deliverySchema = z
  .object({ action: z.string(), attempt: z.number(), status: z.union([z.number(), z.string()]), at: z.string() })
  .passthrough()
const itemSchema = z.object({ kind: z.string(), at: z.string(), data: z.unknown() })

const toActivity = (activity: Activity, raw: string): void => {
  const parsed = itemSchema.safeParse(JSON.parse(raw))
  if (parsed.success) record(activity, parsed.data.kind, parsed.data.data)
}

const record = (activity: Activity, kind: string, data: unknown): void => {
  if (kind === 'call') {
    const call = callSchema.safeParse(data)
    if (!call.success) return
    // Only the integration (and the sandbox playing the admin) call LiveChat's APIs here.
    const from = call.data.api === 'configuration' ? 'sandbox' : 'integration'
    activity.add({
      at: call.data.at,
      kind: 'http',
      from,
      to: 'LiveChat',
      title: `${call.data.api}/${call.data.action}`,
      status: call.data.status,
    })
    return
  }
  if (kind === 'delivery') {
    const delivery = deliverySchema.safeParse(data)
    if (!delivery.success) return
    const { status, attempt } = delivery.data
    activity.add({
      at: delivery.data.at,
      kind: 'http',
      from: 'LiveChat',
      to: 'Botpress',
      title: `webhook ${delivery.data.action}`,
      ...(typeof status === 'number' ? { status } : { detail: String(status) }),
      ...(attempt > 1 && { detail: `attempt ${attempt}` }),
    })
    return
  }
  activity.changed()
}

/**
 * What happened before the sandbox could subscribe: `startTestBed` registers the integration, which sets up the
 * LiveChat webhooks. Read from the emulator's records, with the same mapping as the stream.
 */
export const backfillLiveChat = (livechat: LiveChatEmulator, activity: Activity): void => {
  for (const call of livechat.calls) record(activity, 'call', call)
  for (const delivery of livechat.deliveries) record(activity, 'delivery', delivery)
}

/**
 * Resolves once subscribed (so nothing that follows is missed) with a function that stops following. Reconnects if
 * the stream drops while the sandbox runs.
 */
export const followLiveChat = async (livechatUrl: string, activity: Activity): Promise<() => void> => {
  const abort = new AbortController()
  let connected: () => void = () => {}
  const subscribed = new Promise<void>((resolve) => {
    connected = resolve
  })
  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        const res = await fetch(`${livechatUrl}/_emulator/events`, { signal: abort.signal })
        if (!res.body) throw new Error('no body')
        // The emulator subscribes before it sends the headers.
        connected()
        const decoder = new TextDecoder()
        let buffer = ''
        // lib.dom here has no async iteration of streams: read chunk by chunk.
        const reader = res.body.getReader()
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          buffer += decoder.decode(chunk.value, { stream: true })
          let end = buffer.indexOf('\n\n')
          while (end >= 0) {
            const frame = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const data = frame
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice('data: '.length))
              .join('\n')
            if (data) toActivity(activity, data)
            end = buffer.indexOf('\n\n')
          }
        }
      } catch {
        // Stopped on purpose, or the emulator went away: try again shortly unless stopping.
      }
      if (!abort.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  void run()
  await subscribed
  return () => abort.abort()
}
