import { BlockList, isIP } from 'node:net'

/**
 * Which resolved addresses a media download may connect to. A bot message names any URL, so without this a message
 * could make the integration read cloud metadata (credentials) or internal services and upload what they answer to
 * the agent. Refused: everything that is not on the public internet.
 */

type Range = { network: string; prefix: number; family: 'ipv4' | 'ipv6'; kind: string }

const RANGES: Range[] = [
  { network: '0.0.0.0', prefix: 8, family: 'ipv4', kind: 'unspecified' },
  { network: '10.0.0.0', prefix: 8, family: 'ipv4', kind: 'private' },
  { network: '100.64.0.0', prefix: 10, family: 'ipv4', kind: 'shared (CGNAT)' },
  { network: '127.0.0.0', prefix: 8, family: 'ipv4', kind: 'loopback' },
  { network: '169.254.0.0', prefix: 16, family: 'ipv4', kind: 'link-local' },
  { network: '172.16.0.0', prefix: 12, family: 'ipv4', kind: 'private' },
  { network: '192.0.0.0', prefix: 24, family: 'ipv4', kind: 'reserved' },
  { network: '192.168.0.0', prefix: 16, family: 'ipv4', kind: 'private' },
  { network: '198.18.0.0', prefix: 15, family: 'ipv4', kind: 'reserved' },
  { network: '224.0.0.0', prefix: 4, family: 'ipv4', kind: 'multicast' },
  { network: '240.0.0.0', prefix: 4, family: 'ipv4', kind: 'reserved' },
  { network: '::', prefix: 128, family: 'ipv6', kind: 'unspecified' },
  { network: '::1', prefix: 128, family: 'ipv6', kind: 'loopback' },
  // The deprecated IPv4-compatible form: nothing public lives there.
  { network: '::', prefix: 96, family: 'ipv6', kind: 'reserved' },
  { network: '64:ff9b:1::', prefix: 48, family: 'ipv6', kind: 'reserved' },
  { network: '100::', prefix: 64, family: 'ipv6', kind: 'reserved' },
  { network: 'fc00::', prefix: 7, family: 'ipv6', kind: 'unique-local' },
  { network: 'fe80::', prefix: 10, family: 'ipv6', kind: 'link-local' },
  { network: 'fec0::', prefix: 10, family: 'ipv6', kind: 'site-local' },
  { network: 'ff00::', prefix: 8, family: 'ipv6', kind: 'multicast' },
]

const LISTS = RANGES.map((range) => {
  const list = new BlockList()
  list.addSubnet(range.network, range.prefix, range.family)
  return { list, range }
})

/** The eight 16-bit groups of a valid IPv6 address (zone removed), with a trailing dotted quad folded in. */
const ipv6Groups = (address: string): number[] => {
  let text = address
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0')
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16))
}

const dottedQuad = (high: number, low: number): string => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`

/**
 * The IPv4 address an IPv6 one carries to the same host: IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and
 * 6to4 (2002::/16). Each reaches the IPv4 address inside, so it is that address which must be checked.
 */
const embeddedIpv4 = (groups: number[]): string | undefined => {
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return dottedQuad(g6, g7)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return dottedQuad(g6, g7)
  if (g0 === 0x2002) return dottedQuad(g1 ?? 0, g2 ?? 0)
  return undefined
}

/** The address to check, as IPv4 when it is one in IPv6 form; undefined when it is not an IP address at all. */
export const unmapAddress = (raw: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined => {
  const address = raw.replace(/^\[|\]$/g, '').split('%')[0] ?? ''
  const version = isIP(address)
  if (version === 4) return { address, family: 'ipv4' }
  if (version !== 6) return undefined
  const inner = embeddedIpv4(ipv6Groups(address))
  return inner ? { address: inner, family: 'ipv4' } : { address: address.toLowerCase(), family: 'ipv6' }
}

/** Why an address must not be fetched ('loopback', 'private', …), or undefined when it is a public address. */
export const refusedKind = (raw: string): string | undefined => {
  const unmapped = unmapAddress(raw)
  if (!unmapped) return 'not an IP address'
  return LISTS.find(({ list, range }) => range.family === unmapped.family && list.check(unmapped.address, range.family))
    ?.range.kind
}
