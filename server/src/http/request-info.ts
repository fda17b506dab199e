import type { IncomingMessage } from 'node:http';

/** The client's address: the socket's, or with TRUST_PROXY the first X-Forwarded-For hop. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? null;
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
