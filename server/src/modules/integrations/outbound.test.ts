import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutboundUrl, OutboundError, sendOutbound } from './outbound.ts';

const closed = { allowPrivate: false };
const open = { allowPrivate: true };

describe('checkOutboundUrl', () => {
  it('accepts public https URLs', () => {
    expect(checkOutboundUrl('https://oauth2.googleapis.com/token', closed, 'The token URL').host).toBe('oauth2.googleapis.com');
  });

  it.each([
    ['http://slack.com/api/oauth.v2.access', 'must use https'],
    ['ftp://files.example/token', 'must use https'],
    ['not a url', 'is not a valid URL'],
    ['https://user:pass@auth.example/token', 'user name or password'],
    ['https://127.0.0.1/token', 'The token URL points at 127.0.0.1, a loopback address; this server does not allow that (ALLOW_PRIVATE_PROVIDER_URLS)'],
    ['https://[::1]/token', 'points at ::1, a loopback address'],
    ['https://169.254.169.254/latest/meta-data', 'points at 169.254.169.254, a cloud metadata address'],
    ['https://10.0.0.1/token', 'points at 10.0.0.1, a private address'],
    // URL parsing turns decimal, octal and hex forms into the dotted address.
    ['https://2130706433/token', 'points at 127.0.0.1, a loopback address'],
    ['https://0177.0.0.1/token', 'points at 127.0.0.1, a loopback address'],
    ['https://0x7f.1/token', 'points at 127.0.0.1, a loopback address'],
    ['https://[::ffff:7f00:1]/token', 'a loopback address'],
  ])('refuses %s when private addresses are not allowed', (url, message) => {
    expect(() => checkOutboundUrl(url, closed, 'The token URL')).toThrow(OutboundError);
    expect(() => checkOutboundUrl(url, closed, 'The token URL')).toThrow(message);
  });

  it('allows plain http and private addresses when the server allows them (development, tests), but never metadata', () => {
    expect(checkOutboundUrl('http://127.0.0.1:9999/token', open, 'The token URL').port).toBe('9999');
    expect(() => checkOutboundUrl('http://169.254.169.254/latest', open, 'The token URL')).toThrow('a cloud metadata address');
  });
});

describe('sendOutbound', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/big') return res.end('x'.repeat(3000));
      if (req.url === '/slow') return; // never answers
      if (req.url === '/form') {
        res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
        return res.end('access_token=abc&scope=repo');
      }
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/' });
        return res.end();
      }
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, contentType: req.headers['content-type'], body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (path: string, policy = open, limits = {}) => sendOutbound(new URL(`http://localhost:${port}${path}`), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }, policy, limits);

  it('sends the request and parses a JSON answer', async () => {
    const answer = await post('/echo');
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ method: 'POST', contentType: 'text/plain', body: 'hello' });
  });

  it('reads a form-encoded answer', async () => {
    expect((await post('/form')).data).toEqual({ access_token: 'abc', scope: 'repo' });
  });

  it('refuses a host that resolves to a private address, at connection time', async () => {
    // localhost resolves to loopback: the URL passed the literal check, the lookup catches it.
    await expect(post('/echo', closed)).rejects.toThrow(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address, which is not allowed \(ALLOW_PRIVATE_PROVIDER_URLS\)$/);
  });

  it('does not follow redirects', async () => {
    const answer = await post('/redirect');
    expect(answer.status).toBe(302);
  });

  it('caps the answer size and the time', async () => {
    await expect(post('/big', open, { maxBytes: 1024 })).rejects.toThrow(`localhost:${port} answered with more than 1 KB`);
    await expect(post('/slow', open, { timeoutMs: 200 })).rejects.toThrow(`localhost:${port} did not answer within 0.2 s`);
  });

  it('words a connection failure', async () => {
    await expect(sendOutbound(new URL('http://127.0.0.1:1/token'), { method: 'GET', headers: {} }, open)).rejects.toThrow('Could not reach 127.0.0.1:1 (ECONNREFUSED)');
  });
});
