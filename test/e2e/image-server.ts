import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A 2x1 PNG: enough for LiveChat (and the emulator) to read its size. */
const IMAGE = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.from([0, 0, 0, 2, 0, 0, 0, 1]),
  Buffer.alloc(32),
])

export type ImageServer = { url: string; stop: () => Promise<void> }

/**
 * Bot images from loopback: every `/<name>.png` answers the same PNG. The served bundle fetches loopback only from
 * origins in MEDIA_TRUSTED_ORIGINS, so the test bed must list `url` there.
 */
export const startImageServer = async (): Promise<ImageServer> => {
  const server = createServer((req, res) => {
    if (!/^\/[\w-]+\.png$/.test(req.url ?? '')) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(IMAGE.length) }).end(IMAGE)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
