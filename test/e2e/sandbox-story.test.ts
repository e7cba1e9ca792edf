import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORY_STEPS, type Sandbox, startSandbox } from '../../sandbox'

/** `npm start -- --once` in-process: the scripted story must complete with every step seen on both sides. */
describe('the sandbox story', () => {
  let sandbox: Sandbox
  let transcript = ''

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, write: () => {} })
  })
  afterAll(() => sandbox?.stop())

  it('plays every step of the HITL story and prints both sides', async () => {
    const report = await sandbox.playStory((text) => {
      transcript += text
    })

    expect(report.steps.filter((step) => !step.ok)).toEqual([])
    expect(report.steps.map((step) => step.title)).toEqual([...STORY_STEPS])
    expect(report.ok).toBe(true)
    expect(transcript).toContain('⚑ hitlAssigned: Anna Agent')
    expect(transcript).toContain('⚑ hitlAssigned: Bob Builder')
    expect(transcript).toContain('Grace Hopper: Shipped last Monday')
    expect(transcript).toContain('Story complete')
  })

  it('serves the console on loopback only', async () => {
    expect(sandbox.urls.console).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const res = await fetch(sandbox.urls.console)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('LiveChat HITL sandbox')
  })
})
