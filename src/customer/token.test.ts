import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client as BotpressClient } from '@botpress/client'
import { IntegrationSpecificClient } from '@botpress/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Log } from '../botpress/log'
import { LiveChatClient } from '../livechat'
import { getCustomerClientOn } from './token'
import * as bp from '.botpress'

/** A LiveChat accounts server that has lost every identity: cookies are refused, a cookie-less call gets a new one. */
const cookieHeaders: (string | undefined)[] = []
const answer = (req: IncomingMessage, res: ServerResponse) => {
  req.resume()
  req.on('end', () => {
    cookieHeaders.push(req.headers.cookie)
    res.setHeader('content-type', 'application/json')
    if (req.headers.cookie) {
      res.writeHead(401)
      res.end(JSON.stringify({ identity_exception: 'identity_lost', exception_description: 'Identity lost' }))
      return
    }
    res.setHeader('set-cookie', ['__lc_cid=new-customer; Path=/v2/customer', '__lc_cst=new-secret; Path=/v2/customer'])
    res.end(JSON.stringify({ access_token: 'dal:new_customer_token', entity_id: 'new-customer', expires_in: 28800 }))
  })
}

let server: Server
let previousAccountsUrl: string | undefined

beforeAll(async () => {
  server = createServer(answer)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  previousAccountsUrl = process.env.LIVECHAT_ACCOUNTS_URL
  process.env.LIVECHAT_ACCOUNTS_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  // Assigning undefined to process.env would store the string 'undefined'.
  if (previousAccountsUrl === undefined) Reflect.deleteProperty(process.env, 'LIVECHAT_ACCOUNTS_URL')
  else process.env.LIVECHAT_ACCOUNTS_URL = previousAccountsUrl
  await new Promise((resolve) => server.close(resolve))
})

describe('getCustomerClientOn', () => {
  it('gives the end user a new LiveChat customer, with a warning, when the accounts server refuses their cookies', async () => {
    const warnings: string[] = []
    const log: Log = {
      debug: () => undefined,
      info: () => undefined,
      warn: (m) => warnings.push(m),
      error: () => undefined,
    }
    const configuration = {
      clientId: 'client',
      organizationId: 'org',
      webhookSecret: 'secret',
      agentToken: 'x',
      groupId: 0,
    }
    const ctx: bp.Context = {
      botId: 'bot',
      botUserId: 'bot-user',
      integrationId: 'integration',
      webhookId: 'webhook',
      configuration,
      operation: 'action_triggered',
    }
    const stale = {
      customerId: 'old-customer',
      cookies: '__lc_cid=old-customer; __lc_cst=old-secret',
      accessToken: 'dal:old_customer_token',
      expiresAt: new Date(0).toISOString(),
      activeChatId: 'OLDCHAT',
    }

    const customer = await getCustomerClientOn(
      {
        // Not called on this path: the customer is given and not written back (the caller writes it).
        client: new IntegrationSpecificClient(new BotpressClient({ apiUrl: 'http://127.0.0.1:9' })),
        ctx,
        lc: LiveChatClient.create(configuration, { sleep: async () => undefined }),
        log,
        botpressUserId: 'end-user',
      },
      stale
    )
    const identity = customer.current()

    expect(identity).toMatchObject({ customerId: 'new-customer', accessToken: 'dal:new_customer_token' })
    expect(identity.activeChatId).toBeUndefined()
    expect(cookieHeaders).toEqual(['__lc_cid=old-customer; __lc_cst=old-secret', undefined])
    expect(warnings.join('\n')).toMatch(/refused the end user’s identity cookies/)
    expect(warnings.join('\n')).not.toMatch(/old-secret/)
  })
})
