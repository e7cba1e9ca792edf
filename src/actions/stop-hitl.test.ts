import { describe, expect, it } from 'vitest'
import { LiveChatApiError } from '../livechat'
import { isAlreadyClosed, standingOf } from './stop-hitl'

const refusal = (status: number, type: string) =>
  new LiveChatApiError({ status, type, operation: 'agent.deactivate_chat', message: type })

const agentSeeing = (thread: { id: string; active?: boolean } | undefined) => {
  const reads: string[] = []
  return {
    reads,
    agent: {
      getChat: async ({ chat_id }: { chat_id: string }) => {
        reads.push(chat_id)
        return { id: chat_id, ...(thread && { thread }) }
      },
    },
  }
}

describe('isAlreadyClosed', () => {
  it('takes chat_inactive as closed without reading the chat', async () => {
    const { agent, reads } = agentSeeing({ id: 'T1', active: true })
    await expect(isAlreadyClosed(agent, 'C1', refusal(422, 'chat_inactive'))).resolves.toBe(true)
    expect(reads).toEqual([])
  })

  it('takes another refusal as closed when the chat has no active thread', async () => {
    const { agent, reads } = agentSeeing({ id: 'T1', active: false })
    await expect(isAlreadyClosed(agent, 'C1', refusal(400, 'validation'))).resolves.toBe(true)
    expect(reads).toEqual(['C1'])
  })

  it('keeps the refusal when the chat is still active', async () => {
    const { agent } = agentSeeing({ id: 'T1', active: true })
    await expect(isAlreadyClosed(agent, 'C1', refusal(400, 'validation'))).resolves.toBe(false)
  })

  it('never hides a token, scope or outage problem behind a chat read', async () => {
    const { agent, reads } = agentSeeing(undefined)
    for (const [status, type] of [
      [401, 'authentication'],
      [403, 'authorization'],
      [500, 'internal'],
      [0, 'network'],
    ] as const) {
      await expect(isAlreadyClosed(agent, 'C1', refusal(status, type))).resolves.toBe(false)
    }
    expect(reads).toEqual([])
  })
})

describe('standingOf', () => {
  it('closes only the session’s own thread, and only while it is open', () => {
    expect(standingOf({ thread: { id: 'T1', active: true } }, 'T1')).toBe('open')
    expect(standingOf({ thread: { id: 'T1', active: false } }, 'T1')).toBe('closed')
    expect(standingOf({}, 'T1')).toBe('closed')
  })

  it('leaves a later session’s thread alone, open or not', () => {
    expect(standingOf({ thread: { id: 'T2', active: true } }, 'T1')).toBe('superseded')
    expect(standingOf({ thread: { id: 'T2', active: false } }, 'T1')).toBe('superseded')
  })
})
