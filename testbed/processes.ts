import { ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** Children still running, killed on exit whatever happened to the test (a failed `beforeAll` included). */
const live = new Set<ChildProcess>()

const killGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    // Negative pid: the whole process group (the child was spawned detached, so it leads its own group).
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL')
})

export type Spawned = { child: ChildProcess; output: string[] }

export const spawnLogged = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  live.add(child)
  child.once('exit', () => live.delete(child))
  const output: string[] = []
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk))
  return { child, output }
}

export const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null

/** SIGTERM to the group, SIGKILL if it is still there after `graceMs`. Resolves once the child has exited. */
export const stopGroup = async (child: ChildProcess, graceMs = 3_000): Promise<void> => {
  if (hasExited(child)) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  killGroup(child, 'SIGTERM')
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** A port free right now on loopback (the OS picks it); the caller retries if it is taken before use. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Polls `GET <url>/health` until 200 and `isOurs()` holds (e.g. the child logged that it listens on that port);
 * fails early if the process dies.
 */
export const waitHealthy = async (
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  isOurs: () => boolean = () => true
): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`exited (code ${child.exitCode}, signal ${child.signalCode}) before healthy`)
    const ok = await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false
    )
    if (ok && isOurs()) return
    await sleep(100)
  }
  throw new Error(`not healthy after ${timeoutMs} ms`)
}
