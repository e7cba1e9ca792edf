import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestBed, startTestBed } from '../../testbed/test-bed'

/** The plumbing only: the served bundle, the runtime emulator and the webhook relay, whatever the handlers do. */
describe('smoke: bp serve behind the Botpress runtime emulator', () => {
  let bed: TestBed

  beforeAll(async () => {
    bed = await startTestBed()
  })
  afterAll(() => bed?.stop())

  it('serves /health', async () => {
    const [url] = bed.integrationUrls
    const res = await fetch(`${url}/health`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('ok')
  })

  it('answers register with 200 {} (the SDK ignores what register returns)', () => {
    const registers = bed.botpress.operations.filter((op) => op.operation === 'register')
    expect(registers).toEqual([expect.objectContaining({ status: 200, responseBody: '{}' })])
    expect(registers[0]?.requestBody).toEqual({ webhookUrl: bed.installation.webhookUrl })
  })

  it("relays a webhook to the served handler and returns the handler's own answer", async () => {
    const raw = JSON.stringify({ action: 'smoke_test', secret_key: 'not-the-secret', payload: {} })
    const res = await fetch(`${bed.installation.webhookUrl}?source=smoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    })
    const text = await res.text()

    const relayed = bed.botpress.operations.at(-1)
    expect(relayed).toMatchObject({
      operation: 'webhook_received',
      integrationUrl: bed.integrationUrls[0],
      requestBody: { req: { method: 'POST', path: '/', query: 'source=smoke', body: raw } },
    })
    // Whatever the handler decides (200 today, 401 for this secret later), the caller gets exactly that;
    // an envelope failure (500 {"error": ...}) would mean the relay itself is broken.
    expect({ status: res.status, body: text }).toEqual({ status: relayed?.status, body: relayed?.responseBody })
    expect(res.status).toBeLessThan(500)
  })
})

describe('smoke: test bed lifecycle', () => {
  it('starts several copies without LiveChat and leaves no process behind after stop()', async () => {
    // Through the Botpress CLI itself: the other beds serve the bundle the way `bp serve` does, without the CLI.
    const bed = await startTestBed({ livechat: false, instances: 2, register: false, cli: true })
    expect(bed.livechat).toBeUndefined()
    expect(bed.pids).toHaveLength(2)
    await bed.installation.ping()
    await bed.installation.ping()
    const pinged = bed.botpress.operations.map((op) => op.integrationUrl)
    expect(new Set(pinged)).toEqual(new Set(bed.integrationUrls))
    expect(bed.logs()).toMatch(/Listening on port/)

    await bed.stop()
    for (const pid of bed.pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/)
    for (const url of bed.integrationUrls) await expect(fetch(`${url}/health`)).rejects.toThrow()
    await expect(fetch(`${bed.botpress.url}/v1/chat/users`)).rejects.toThrow()
  })
})
