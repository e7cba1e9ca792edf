import { startSandbox } from './sandbox'

/**
 * `npm start`: the local world and its web console. `bp build` has run first (package.json), so this serves the
 * freshly built bundle.
 *   --story     play the scripted HITL story (the default at start)
 *   --no-story  start without playing it
 *   --once      play the story, print the transcript, exit 0 if every step was seen (1 otherwise)
 */

const USAGE = 'Usage: tsx sandbox/start.ts [--story | --no-story] [--once]'

const main = async (): Promise<number> => {
  const args = new Set(process.argv.slice(2))
  const known = new Set(['--story', '--no-story', '--once', '--help'])
  const unknown = [...args].filter((arg) => !known.has(arg))
  if (unknown.length > 0 || args.has('--help')) {
    process.stderr.write(`${unknown.length > 0 ? `Unknown option ${unknown.join(' ')}\n` : ''}${USAGE}\n`)
    return unknown.length > 0 ? 2 : 0
  }
  const once = args.has('--once')
  const story = once || args.has('--story') || !args.has('--no-story')

  process.stdout.write('Starting the LiveChat emulator, the Botpress emulator and `bp serve`…\n')
  const sandbox = await startSandbox()
  let stopping: Promise<void> | undefined
  const shutdown = (code: number): void => {
    if (stopping) {
      // A second Ctrl-C while tearing down: leave now; the harness kills `bp serve` on exit.
      process.exit(130)
    }
    process.stdout.write('\nStopping…\n')
    stopping = sandbox.stop().then(
      () => process.exit(code),
      (thrown: unknown) => {
        process.stderr.write(`Teardown failed: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', () => shutdown(0))
  process.on('SIGTERM', () => shutdown(0))

  const { urls } = sandbox
  if (!once) {
    process.stdout.write(
      [
        '',
        'LiveChat HITL sandbox is running (everything on 127.0.0.1):',
        `  Console (open this)      ${urls.console}`,
        `  LiveChat emulator        ${urls.livechat}   (control API: /_emulator/state, /_emulator/events)`,
        `  Botpress emulator        ${urls.botpress}`,
        `  Integration (bp serve)   ${urls.integration.join(', ')}`,
        `  Bot webhook URL          ${urls.webhook}`,
        '',
      ].join('\n')
    )
  }
  if (story) {
    const report = await sandbox.playStory()
    if (once) {
      if (!report.ok) process.stderr.write(`\nbp serve output:\n${sandbox.bed.logs().slice(-4000)}\n`)
      await sandbox.stop()
      return report.ok ? 0 : 1
    }
  }
  process.stdout.write(`\nConsole: ${urls.console}\nPress Ctrl-C to stop everything.\n`)
  return -1
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (thrown: unknown) => {
    process.stderr.write(`The sandbox could not start: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`)
    process.exit(1)
  }
)
