import { isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The client's address: the socket's, or with TRUST_PROXY the address our proxy saw, which is
 * the right-most X-Forwarded-For entry (entries to its left are whatever the client sent).
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    const last = hops.at(-1);
    if (last) return last;
  }
  return req.socket.remoteAddress ?? null;
}

/**
 * The key to rate-limit an address by. One IPv6 host usually owns a whole /64, so IPv6
 * addresses share a bucket per /64; IPv4 (also when mapped into IPv6) per address.
 */
export function rateLimitKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.padStart(4, '0')).join(':')}::/64`;
}

/** Same-origin (the Origin's host is the Host we were reached at) or explicitly allowed. */
export function isAllowedOrigin(origin: string, host: string | null | undefined, allowed: readonly string[]): boolean {
  try {
    const url = new URL(origin);
    return (host !== undefined && host !== null && url.host === host) || allowed.includes(url.origin);
  } catch {
    return false;
  }
}
