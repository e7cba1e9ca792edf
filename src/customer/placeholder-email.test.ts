import { describe, expect, it } from 'vitest'
import { isPlaceholderEmail, realEmailOf } from './placeholder-email'

describe('isPlaceholderEmail', () => {
  it.each([
    ['user-1@no-reply.bot-1.botpress.com', true],
    ['5f1c2a@NO-REPLY.0a1b2c3d-bot.BotPress.com', true],
    ['  user-1@no-reply.bot-1.botpress.com  ', true],
    ['ann@example.com', false],
    ['no-reply@botpress.com', false],
    ['user@no-reply.botpress.com', false],
    ['user@no-reply.bot-1.botpress.com.evil.example', false],
  ])('%s -> %s', (email, expected) => {
    expect(isPlaceholderEmail(email)).toBe(expected)
  })
})

describe('realEmailOf', () => {
  it('normalises a real email to lower case without spaces', () => {
    expect(realEmailOf(' Ann.Lee@Example.COM ')).toBe('ann.lee@example.com')
  })

  it('drops the HITL plugin placeholder', () => {
    expect(realEmailOf('u1@no-reply.bot-1.botpress.com')).toBeUndefined()
  })

  it('drops missing, empty and malformed values', () => {
    expect(realEmailOf(undefined)).toBeUndefined()
    expect(realEmailOf('   ')).toBeUndefined()
    expect(realEmailOf('not an email')).toBeUndefined()
  })
})
