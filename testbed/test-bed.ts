import { existsSync } from 'node:fs'
import path from 'node:path'
import { BotpressEmulator, Installation } from '../emulators/botpress'
import type { LiveChatEmulator } from '../emulators/livechat'
import definition from '../integration.definition'
import { Spawned, freePort, spawnLogged, stopGroup, waitHealthy } from './processes'
import type * as bp from '.botpress'

export type Configuration = bp.configuration.Configuration
export type LiveChatEmulatorOptions = NonNullable<Parameters<typeof LiveChatEmulator.start>[0]>
type LiveChatSeed = LiveChatEmulator['seed']

export type TestBedOptions = {
  /** How many `bp serve` copies of the bundle; the emulator spreads calls over them (default 1). */
  instances?: number
  configuration?: Partial<Configuration>
  /** Options of the LiveChat emulator, or `false` to run without one (LiveChat URLs then point at nothing). */
  livechat?: LiveChatEmulatorOptions | false
  /** Send `register` once everything is up (default true). */
  register?: boolean
  /** Extra environment for `bp serve`, e.g. `{ BP_LOG_FORMAT: 'json' }`. */
  env?: Record<string, string>
  /** Start the copies through the Botpress CLI itself (`bp serve`) rather than testbed/serve.cjs (default false). */
  cli?: boolean
}

export type TestBed<L extends LiveChatEmulator | undefined = LiveChatEmulator> = {
  livechat: L
  botpress: BotpressEmulator
  installation: Installation<bp.actions.Actions, Configuration>
  /** Base URLs of the `bp serve` instances. */
  integrationUrls: string[]
  /** Process ids of the `bp serve` instances (each leads its own process group). */
  pids: number[]
  /** The process group of each instance, in the order of `integrationUrls` (to stall one copy: SIGSTOP, SIGCONT). */
  instancePids: number[]
  /**
   * Another bot installs the integration on the same served copies: its own ids, webhook URL and Botpress state, so
   * that tests sharing a bed stay apart. Not registered.
   */
  install(configuration?: Partial<Configuration>): Installation<bp.actions.Actions, Configuration>
  /** stdout and stderr of the `bp serve` instances, one after the other. */
  logs(): string
  stop(): Promise<void>
}

/** The secret the default configuration holds; LiveChat deliveries built by tests must carry it. */
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-of-at-least-32-chars'
export const TEST_GROUP_ID = 19

const ROOT = path.resolve(__dirname, '..')
const BUNDLE = path.join(ROOT, '.botpress/dist/index.js')
const BP_BIN = path.join(ROOT, 'node_modules/.bin/bp')
const SERVE = path.join(__dirname, 'serve.cjs')
const LOOPBACK_PRELOAD = path.join(__dirname, 'loopback.cjs')
/** Nothing listens on the discard port: without a LiveChat emulator, LiveChat calls fail at once and stay local. */
const NOWHERE = 'http://127.0.0.1:9'
/** A cold `bp serve` on a busy 2-core CI machine can take tens of seconds; stays under vitest's 120 s hookTimeout. */
const HEALTH_TIMEOUT_MS = 90_000
const SPAWN_ATTEMPTS = 3

export const defaultConfiguration = (seed?: LiveChatSeed): Configuration => ({
  clientId: seed?.clientId ?? 'test-client-id',
  organizationId: seed?.organizationId ?? 'test-organization-id',
  webhookSecret: TEST_WEBHOOK_SECRET,
  agentToken: seed?.agentToken ?? Buffer.from('test-account:dal:test-pat').toString('base64'),
  groupId: TEST_GROUP_ID,
})

/** Runtime-ish variables of the developer's shell must not leak into the served bundle. */
const servedEnv = (urls: { botpress: string; livechat: string }, extra: Record<string, string> = {}) => {
  const { BP_TOKEN, BP_WORKSPACE_ID, BP_BOT_ID, BP_INTEGRATION_ID, NODE_OPTIONS, ...inherited } = process.env
  return {
    ...inherited,
    BP_API_URL: urls.botpress,
    LIVECHAT_API_URL: urls.livechat,
    LIVECHAT_ACCOUNTS_URL: urls.livechat,
    NODE_OPTIONS: `--require ${LOOPBACK_PRELOAD}`,
    ...extra,
  }
}

/** `bp serve`, or what it does without the CLI (serve.cjs); `-y`: with stdin closed, the CLI would wait on a prompt. */
const serveArgs = (port: number, cli: boolean): string[] =>
  cli ? [BP_BIN, 'serve', '-y', '--port', String(port)] : [SERVE, BUNDLE, String(port)]

/** One served copy on a free port; retried on another port if the one picked was taken meanwhile. */
const serve = async (
  env: NodeJS.ProcessEnv,
  cli: boolean,
  processes: Spawned[]
): Promise<{ url: string; pid: number }> => {
  let lastError = ''
  for (let attempt = 0; attempt < SPAWN_ATTEMPTS; attempt++) {
    const port = await freePort()
    const spawned = spawnLogged(process.execPath, serveArgs(port, cli), { cwd: ROOT, env })
    processes.push(spawned)
    const url = `http://127.0.0.1:${port}`
    try {
      // Healthy *and* our own child said it listens on this port: a /health answered by another process that grabbed
      // the port between freePort() and the bind (another test file's `bp serve`) must not count as ours.
      const listening = new RegExp(`Listening on port ${port}\\b`)
      await waitHealthy(url, spawned.child, HEALTH_TIMEOUT_MS, () => listening.test(spawned.output.join('')))
      return { url, pid: spawned.child.pid ?? 0 }
    } catch (thrown) {
      await stopGroup(spawned.child)
      lastError = `${thrown instanceof Error ? thrown.message : String(thrown)}\n${spawned.output.join('')}`
      if (!/EADDRINUSE/.test(lastError)) break
    }
  }
  throw new Error(`bp serve did not start: ${lastError}`)
}

export function startTestBed(options: TestBedOptions & { livechat: false }): Promise<TestBed<undefined>>
export function startTestBed(options?: TestBedOptions): Promise<TestBed<LiveChatEmulator>>
export async function startTestBed(options: TestBedOptions = {}): Promise<TestBed<LiveChatEmulator | undefined>> {
  if (!existsSync(BUNDLE)) {
    throw new Error(`${path.relative(ROOT, BUNDLE)} is missing: run \`npm run build\` (bp build) before the tests`)
  }
  const processes: Spawned[] = []
  let livechat: LiveChatEmulator | undefined
  let botpress: BotpressEmulator | undefined
  let stopped: Promise<void> | undefined

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all(processes.map(({ child }) => stopGroup(child)))
      await Promise.all([botpress?.stop(), livechat?.stop()])
    })()
    return stopped
  }

  try {
    if (options.livechat !== false) {
      // Loaded lazily so that a bed without LiveChat does not need the LiveChat emulator at all.
      const { LiveChatEmulator } = await import('../emulators/livechat')
      livechat = await LiveChatEmulator.start(options.livechat ?? {})
    }
    const runtime = await BotpressEmulator.start()
    botpress = runtime
    const env = servedEnv({ botpress: runtime.url, livechat: livechat?.url ?? NOWHERE }, options.env)
    const instances = Math.max(1, options.instances ?? 1)
    const served = await Promise.all(
      Array.from({ length: instances }, () => serve(env, options.cli === true, processes))
    )
    const integrationUrls = served.map(({ url }) => url)
    const install = (configuration?: Partial<Configuration>) =>
      runtime.install<bp.actions.Actions, Configuration>({
        integrationUrls,
        integrationName: definition.name,
        configuration: { ...defaultConfiguration(livechat?.seed), ...options.configuration, ...configuration },
        definition,
      })
    const installation = install()
    if (options.register !== false) await installation.register()
    return {
      livechat,
      botpress,
      installation,
      integrationUrls,
      pids: processes.flatMap(({ child }) => (child.pid === undefined ? [] : [child.pid])),
      instancePids: served.map(({ pid }) => pid),
      install,
      logs: () => processes.map((p) => p.output.join('')).join(''),
      stop,
    }
  } catch (thrown) {
    await stop()
    throw thrown
  }
}
