import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp, rateLimitKey } from './request-info.ts';

const req = (forwarded: string | undefined, remote = '10.0.0.5') =>
  ({ headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }, socket: { remoteAddress: remote } }) as unknown as IncomingMessage;

describe('clientIp', () => {
  it('uses the socket address unless the proxy is trusted', () => {
    expect(clientIp(req('1.2.3.4'), false)).toBe('10.0.0.5');
  });
  it('takes the right-most forwarded hop, which the client cannot forge', () => {
    expect(clientIp(req('6.6.6.6, 1.2.3.4'), true)).toBe('1.2.3.4');
    expect(clientIp(req(undefined), true)).toBe('10.0.0.5');
  });
});

describe('rateLimitKey', () => {
  it('keys IPv4 (and IPv4-mapped IPv6) by address', () => {
    expect(rateLimitKey('1.2.3.4')).toBe('1.2.3.4');
    expect(rateLimitKey('::ffff:1.2.3.4')).toBe('1.2.3.4');
  });
  it('keys IPv6 by /64, whatever the notation', () => {
    const key = rateLimitKey('2001:db8:0:1::1');
    expect(key).toBe('2001:0db8:0000:0001::/64');
    expect(rateLimitKey('2001:db8:0:1:ffff:ffff:ffff:ffff')).toBe(key);
    expect(rateLimitKey('2001:db8:0:2::1')).not.toBe(key);
    expect(rateLimitKey('::1')).toBe('0000:0000:0000:0000::/64');
  });
});
