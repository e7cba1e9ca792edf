import { BlockList, isIP } from 'node:net'

/**
 * Which resolved addresses a media download may connect to: only the public internet. A bot message names any URL,
 * so without this it could make the integration read cloud metadata (credentials) or internal services.
 */
const RANGES: [network: string, prefix: number, kind: string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // the deprecated IPv4-compatible form: nothing public lives there
  ['64:ff9b:1::', 48, 'reserved'],
  ['100::', 64, 'reserved'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
]

const hex = (a: string, b: string) => ((Number(a) << 8) | Number(b)).toString(16)

/**
 * An IPv4 range also in its NAT64 (64:ff9b::/96) and 6to4 (2002::/16) forms, which reach the IPv4 address inside.
 * BlockList itself checks the IPv4-mapped form (::ffff:a.b.c.d) against IPv4 ranges.
 */
const blockIpv4 = (list: BlockList, network: string, prefix: number) => {
  const [a = '0', b = '0', c = '0', d = '0'] = network.split('.')
  list.addSubnet(network, prefix, 'ipv4')
  list.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6')
  list.addSubnet(`2002:${hex(a, b)}:${hex(c, d)}::`, 16 + prefix, 'ipv6')
}

const LISTS = RANGES.map(([network, prefix, kind]) => {
  const list = new BlockList()
  if (isIP(network) === 4) blockIpv4(list, network, prefix)
  else list.addSubnet(network, prefix, 'ipv6')
  return { list, kind }
})

/** Why an address must not be fetched ('loopback', 'private', …), or undefined when it is a public address. */
export const refusedKind = (raw: string): string | undefined => {
  const address = raw.replace(/^\[|\]$/g, '').split('%')[0] ?? ''
  const version = isIP(address)
  if (version === 0) return 'not an IP address'
  const family = version === 4 ? 'ipv4' : 'ipv6'
  return LISTS.find(({ list }) => list.check(address, family))?.kind
}
