import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type BrowserContext, type Page, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../sandbox'
import { samplePdf, samplePng } from '../../sandbox/sample-image'

/**
 * Drives the sandbox console in Debian's headless Chromium, as a person would: the end user escalates, Anna replies
 * and sends a file, the end user attaches a photo and a PDF, then Anna closes. Playwright never downloads a browser
 * here; without one the test is skipped and says so.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
const SKIP_REASON = `no Chromium at ${CHROMIUM} (install Debian's \`chromium\`, or set CHROMIUM_PATH): browser test skipped`
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
/** expect.poll gives up after 1 s by default: too little for a round trip through `bp serve` on a busy machine. */
const POLL = { timeout: 30_000 }
const SCREENSHOT = path.resolve(__dirname, '../../artifacts/console.png')

if (!hasChromium) console.warn(`[console.test] ${SKIP_REASON}`)

describe('the sandbox console in a browser', () => {
  let sandbox: Sandbox | undefined
  let context: BrowserContext | undefined
  let profile = ''

  beforeAll(async () => {
    if (!hasChromium) return
    sandbox = await startSandbox({ port: 0, write: () => {} })
    profile = await mkdtemp(path.join(tmpdir(), 'sandbox-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 1150 },
    })
  })

  afterAll(async () => {
    await context?.close()
    await sandbox?.stop()
    if (profile) await rm(profile, { recursive: true, force: true })
  })

  const agentPane = (page: Page) => page.getByTestId('agent-pane')
  const userPane = (page: Page) => page.getByTestId('user-pane')

  it.skipIf(!hasChromium)(
    hasChromium ? 'escalates, gets an agent reply and a file, sends files, and sees the agent close' : SKIP_REASON,
    async () => {
      if (!sandbox || !context) throw new Error('not started')
      const page = await context.newPage()
      await page.goto(sandbox.urls.console)
      await expect.poll(() => page.getByTestId('connection').textContent(), POLL).toBe('live')

      // The end user talks to the bot, then asks for a human.
      await page.getByLabel('Message to the bot or agent').fill('My parcel never arrived')
      await page.getByTestId('user-send').click()
      await page.getByTestId('user-entry-bot').nth(1).waitFor()
      await page.getByTestId('escalate').click()
      await expect.poll(() => page.getByTestId('session-status').getAttribute('data-status'), POLL).toBe('waiting')
      await page.getByLabel('Message to the bot or agent').fill('It was order 1234')
      await page.getByTestId('user-send').click()

      // The agent sees the chat in the group, with the customer's messages.
      const transcript = agentPane(page).getByTestId('agent-transcript')
      await transcript.getByText('It was order 1234').waitFor()
      await expect.poll(() => agentPane(page).getByTestId('chat-status').first().textContent(), POLL).toBe('active')
      expect(await transcript.getByTestId('agent-entry-customer').allTextContents()).toEqual(
        expect.arrayContaining([
          expect.stringContaining('My parcel never arrived'),
          expect.stringContaining('It was order 1234'),
        ])
      )
      await expect
        .poll(() => agentPane(page).getByTestId('chat-header').textContent(), POLL)
        .toContain('ada@example.com')
      // Beside the chat: the session fields the bot handed over (and the integration's own), and the chat's tag.
      const details = agentPane(page).getByTestId('chat-details')
      await expect.poll(() => details.getByTestId('session-field').allTextContents(), POLL).toContain('/help/contact')
      expect(await details.getByTestId('chat-tags').textContent()).toBe('bot-handover')
      expect(await details.getByTestId('chat-rating').textContent()).toBe('not rated')

      // Anna replies: the end user sees it under her name.
      await page.getByTestId('agent-select').selectOption({ label: 'Anna Agent' })
      await page.getByLabel('Reply to the customer').fill('Hello Ada, I am on it.')
      await page.getByTestId('agent-send').click()
      const reply = userPane(page).getByTestId('user-entry-agent').filter({ hasText: 'Hello Ada, I am on it.' })
      await reply.waitFor()
      expect(await reply.getByTestId('agent-name').textContent()).toBe('Anna Agent')
      await expect.poll(() => page.getByTestId('session-status').textContent(), POLL).toBe('with Anna Agent')

      // Anna sends a file: a link (and preview) in the end user's conversation.
      await page.getByTestId('agent-file').setInputFiles({
        name: 'parcel-label.png',
        mimeType: 'image/png',
        buffer: samplePng(),
      })
      await page.getByTestId('agent-send-file').click()
      const fileLink = userPane(page).getByTestId('user-file-link')
      await fileLink.waitFor()
      expect(await fileLink.textContent()).toBe('parcel-label.png')
      expect(await fileLink.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cdn\/.+parcel-label\.png$/)
      await agentPane(page).getByTestId('agent-file-link').filter({ hasText: 'parcel-label.png' }).waitFor()

      // The end user attaches a photo and a PDF: the agent gets them as LiveChat files, the photo with a preview.
      const attachments = [
        { name: 'receipt.png', mimeType: 'image/png', buffer: samplePng(32) },
        { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: samplePdf(['Invoice 1234']) },
      ]
      for (const attachment of attachments) {
        await page.getByTestId('user-file').setInputFiles(attachment)
        await page.getByTestId('user-send-file').click()
        await userPane(page).getByTestId('user-sent-file-link').filter({ hasText: attachment.name }).waitFor()
        const received = agentPane(page).getByTestId('agent-file-link').filter({ hasText: attachment.name })
        await received.waitFor()
        expect(await received.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cdn\/.+/)
      }
      const customerFiles = agentPane(page).getByTestId('agent-entry-customer')
      expect(await customerFiles.filter({ hasText: 'receipt.png' }).locator('img').count()).toBe(1)
      expect(await customerFiles.filter({ hasText: 'invoice.pdf' }).locator('img').count()).toBe(0)

      // Anna closes: the end user is told and the session is over; the agent sees the chat closed.
      await page.getByTestId('agent-close').click()
      await userPane(page).getByText('The agent closed the conversation').waitFor()
      await expect.poll(() => page.getByTestId('session-status').getAttribute('data-status'), POLL).toBe('ended')
      await expect.poll(() => agentPane(page).getByTestId('chat-status').first().textContent(), POLL).toBe('closed')
      expect(await page.getByTestId('escalate').isEnabled()).toBe(true)

      // The end user answers "Did we solve your problem?": the rating lands on the chat in LiveChat.
      await page.getByTestId('rate-good').click()
      await expect.poll(() => agentPane(page).getByTestId('chat-rating').textContent(), POLL).toBe('👍 good')
      await expect.poll(() => page.getByTestId('rating').isHidden(), POLL).toBe(true)

      // Anna's status switch is LiveChat's routing status, which getAvailability follows (after its 30 s cache).
      await page.getByTestId('agent-select').selectOption({ label: 'Anna Agent' })
      await page.getByTestId('agent-status').selectOption('not_accepting_chats')
      await expect
        .poll(() => (sandbox?.bed.livechat.state.routing_statuses as Record<string, string>)['anna@example.com'], POLL)
        .toBe('not_accepting_chats')

      // The events panel shows the hitl events and the calls between the parties.
      const events = page.getByTestId('events')
      await events.locator('[data-kind="hitl"][data-title="hitlStopped"]').waitFor()
      expect(await events.locator('[data-kind="hitl"][data-title="hitlAssigned"]').count()).toBeGreaterThan(0)
      expect(await events.locator('[data-title="webhook incoming_event"]').count()).toBeGreaterThan(0)
      expect(await events.locator('[data-title="action_triggered startHitl"]').count()).toBe(1)

      await mkdir(path.dirname(SCREENSHOT), { recursive: true })
      await page.screenshot({ path: SCREENSHOT, fullPage: true })
      expect(existsSync(SCREENSHOT)).toBe(true)
    },
    // ~10 s here; each step above waits up to 30 s, so a slow machine gets room past the 60 s default.
    180_000
  )
})
