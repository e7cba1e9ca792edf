import type { Server } from 'node:http'
import { type TestBed, startTestBed } from '../testbed/test-bed'
import { Activity } from './activity'
import { watchBotpress } from './botpress-watch'
import { EndUser } from './end-user'
import { listenLoopback } from './http'
import { registerHitlWebhooks } from './livechat-admin'
import { backfillLiveChat, followLiveChat } from './livechat-feed'
import { MediaStore } from './media'
import { PluginRole } from './plugin-role'
import { type ConsoleDeps, createConsoleServer } from './server'
import { type StoryReport, playStory } from './story'
import { createTranscript } from './transcript'

export type SandboxOptions = {
  /** Console port; default `SANDBOX_PORT` or 8480, any free port if that one is taken. 0 picks one. */
  port?: number
  /** Where a story played from the page prints its transcript (default: stdout). */
  write?: (text: string) => void
}

export type SandboxUrls = {
  console: string
  livechat: string
  botpress: string
  /** The served bundle (`bp serve`). */
  integration: string[]
  /** The bot's webhook URL LiveChat delivers to (the Botpress emulator relays it to the integration). */
  webhook: string
}

export type Sandbox = {
  urls: SandboxUrls
  bed: TestBed
  plugin: PluginRole
  endUser: EndUser
  activity: Activity
  /** Files of the Botpress side, served at `<console>/media/…` for `bp serve` to fetch. */
  media: MediaStore
  /** Plays the scripted story once; plays do not overlap. */
  playStory(write?: (text: string) => void): Promise<StoryReport>
  stop(): Promise<void>
}

const DEFAULT_PORT = 8480

const defaultPort = (): number => {
  const fromEnv = Number(process.env.SANDBOX_PORT)
  return Number.isInteger(fromEnv) && fromEnv >= 0 && fromEnv < 65536 && process.env.SANDBOX_PORT
    ? fromEnv
    : DEFAULT_PORT
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
    // The page's event stream never ends on its own.
    server.closeAllConnections()
  })

/** The whole local world: both emulators, `bp serve` of the built bundle, the webhooks, and the console server. */
export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const write = options.write ?? ((text: string) => process.stdout.write(text))
  const ready: { deps?: ConsoleDeps } = {}
  const server = createConsoleServer(ready)
  const port = await listenLoopback(server, options.port ?? defaultPort())
  const consoleUrl = `http://127.0.0.1:${port}`
  let bed: TestBed
  try {
    // Short retry waits: a developer clicking around should not wait LiveChat's real 1 s / 5 s / 10 s. The media the
    // console serves are on loopback, which the integration refuses unless the origin is listed, as an admin would.
    bed = await startTestBed({
      livechat: { webhookRetryDelaysMs: [300, 1000, 3000] },
      env: { MEDIA_TRUSTED_ORIGINS: consoleUrl },
    })
  } catch (thrown) {
    await closeServer(server)
    throw thrown
  }
  const cleanups: (() => void)[] = []
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0)) cleanup()
    await closeServer(server)
    await bed.stop()
  }
  try {
    const activity = new Activity()
    // Nothing talks to LiveChat between the backfill and the subscription: the bed is idle once started.
    backfillLiveChat(bed.livechat, activity)
    cleanups.push(await followLiveChat(bed.livechat.url, activity))
    cleanups.push(watchBotpress(bed.botpress, activity))
    await registerHitlWebhooks(bed.livechat, {
      webhookUrl: bed.installation.webhookUrl,
      secret: bed.installation.configuration.webhookSecret,
    })
    const plugin = new PluginRole(bed)
    const media = new MediaStore()
    media.baseUrl = consoleUrl
    const endUser = new EndUser(plugin, media)
    let playing: Promise<StoryReport> = Promise.resolve({ ok: true, steps: [] })
    const play = (to: (text: string) => void = write): Promise<StoryReport> => {
      playing = playing.then(() => {
        const transcript = createTranscript(to)
        transcript.header()
        return playStory(bed, plugin, transcript, media)
      })
      return playing
    }
    const links: Record<string, string> = {}
    ready.deps = { livechat: bed.livechat, endUser, activity, media, links, playStory: () => play() }
    const urls: SandboxUrls = {
      console: `${consoleUrl}/`,
      livechat: bed.livechat.url,
      botpress: bed.botpress.url,
      integration: bed.integrationUrls,
      webhook: bed.installation.webhookUrl,
    }
    Object.assign(links, { livechatState: `${urls.livechat}/_emulator/state`, botpress: urls.botpress })
    return { urls, bed, plugin, endUser, activity, media, playStory: play, stop }
  } catch (thrown) {
    await stop()
    throw thrown
  }
}
