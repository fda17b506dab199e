import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a server must not be made to call on someone else's behalf, by kind: loopback,
 * private, link-local (cloud metadata lives at 169.254.169.254), carrier-grade NAT, unspecified,
 * unique-local, multicast and reserved ranges, for IPv4 and IPv6. IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`, also written `::ffff:7f00:1`) counts as its IPv4 address; IPv6 forms that embed or
 * translate to IPv4 (NAT64, 6to4, Teredo, IPv4-compatible) are refused whole.
 */
const KINDS: [kind: string, v4: [string, number][], v6: [string, number][]][] = [
  ['a cloud metadata address', [['169.254.169.254', 32], ['169.254.170.2', 32], ['100.100.100.200', 32]], [['fd00:ec2::254', 128]]],
  ['an unspecified address', [['0.0.0.0', 8]], [['::', 128]]],
  ['a loopback address', [['127.0.0.0', 8]], [['::1', 128]]],
  ['a private address', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]], [['fc00::', 7]]],
  ['a link-local address', [['169.254.0.0', 16]], [['fe80::', 10]]],
  ['a carrier-grade NAT address', [['100.64.0.0', 10]], []],
  ['a multicast address', [['224.0.0.0', 4]], [['ff00::', 8]]],
  ['a reserved address', [['192.0.0.0', 24], ['198.18.0.0', 15], ['240.0.0.0', 4]],
    [['64:ff9b::', 96], ['64:ff9b:1::', 48], ['2002::', 16], ['2001::', 32], ['2001:db8::', 32], ['::', 96], ['100::', 64]]],
];
const lists = KINDS.map(([kind, v4, v6]) => {
  const list = new BlockList();
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return [kind, list] as const;
});
const metadata = lists[0]![1];

/**
 * Why `address` must not be connected to ("a loopback address", ...), or undefined when it is a
 * public address. Anything that is not an IP address is refused rather than guessed at.
 */
export function blockedAddressReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets, IPv6 zone
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  // BlockList matches IPv4-mapped IPv6 (in either spelling) against the IPv4 rules itself.
  for (const [kind, list] of lists) if (list.check(bare, family === 4 ? 'ipv4' : 'ipv6')) return kind;
  return undefined;
}

export function isPrivateAddress(address: string): boolean {
  return blockedAddressReason(address) !== undefined;
}

/** Cloud metadata endpoints: refused even where private addresses are allowed. */
export function isMetadataAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  return family !== 0 && metadata.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Resolves the URL's host and returns the first private address it reaches, or undefined when
 * every address is public. (The connection itself resolves again; a host that changes its answer
 * in between is not caught here: `checkedLookup` closes that gap.)
 */
export async function privateAddressOf(url: string): Promise<string | undefined> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  return addresses.find(isPrivateAddress);
}

/** `dns.lookup`'s callback form, which http.request's `lookup` option takes. */
export type LookupImpl = (hostname: string, options: { all: true; family?: number; hints?: number }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export class BlockedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedAddressError';
  }
}

/**
 * A `lookup` for http.request that checks every address the name resolves to and fails the
 * connection when one of them is refused: the addresses checked are the ones connected to, so a
 * name that answers differently the second time (DNS rebinding) gains nothing.
 * `allow(hostname, address)` may let some through (e.g. a server that allows private networks).
 */
export function checkedLookup(allow: (hostname: string, address: string) => boolean, base: LookupImpl = dnsLookup as unknown as LookupImpl): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number; hints?: number }, callback: (...args: unknown[]) => void) => {
    base(hostname, { all: true, ...(options.family ? { family: options.family } : {}), ...(options.hints ? { hints: options.hints } : {}) }, (error, addresses) => {
      if (error) return callback(error);
      if (!addresses.length) return callback(new BlockedAddressError(`${hostname} has no address`));
      for (const { address } of addresses) {
        const reason = blockedAddressReason(address);
        if (reason && !allow(hostname, address)) return callback(new BlockedAddressError(`${hostname} resolves to ${address}, ${reason}, which is not allowed`));
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as LookupFunction;
}
