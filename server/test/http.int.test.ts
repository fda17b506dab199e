import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, gql, ok, registerAccount, startTestServer, testDatabase, type TestServer } from './helpers.ts';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => { db = await testDatabase(); server = await startTestServer(db.url); });
afterAll(async () => { await server?.stop(); await db?.drop(); });

describe('GraphQL over HTTP specification (graphql-http audit suite)', () => {
  // Every audit: the MUSTs the issue requires, and the SHOULDs and MAYs as well.
  for (const audit of serverAudits({ url: () => server.graphqlUrl, fetchFn: fetch })) {
    it(audit.name, async () => {
      const result = await audit.fn();
      expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
    });
  }
});

describe('health', () => {
  it('/healthz answers while the process is up and /readyz once the database is migrated', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

const post = (body: string, headers: Record<string, string>) => fetch(server.graphqlUrl, { method: 'POST', headers, body });

describe('request hardening', () => {
  it('never runs a mutation over GET', async () => {
    const res = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('mutation { logout }')}`);
    expect(res.status).toBe(405);
  });

  it('refuses POSTs a cross-site form could send (text/plain, urlencoded, multipart)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await post('{"query":"{ setupRequired }"}', { 'content-type': type });
      expect(res.status, type).toBe(415);
    }
  });

  it('refuses a foreign Origin, accepts its own origin and clients that send none', async () => {
    const body = '{"query":"{ setupRequired }"}';
    expect((await post(body, { 'content-type': 'application/json', origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(body, { 'content-type': 'application/json', origin: server.url })).status).toBe(200);
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(200);
  });

  it('rejects batched requests', async () => {
    const res = await post('[{"query":"{ setupRequired }"},{"query":"{ setupRequired }"}]', { 'content-type': 'application/json' });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it.each([
    ['depth', `{ viewer { organizations { members { edges { node { user { organizations { members { edges { node { user { organizations { name } } } } } } } } } } } } }`],
    ['aliases', `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: setupRequired`).join(' ')} }`],
    ['directives', `{ setupRequired ${'@include(if: true) '.repeat(30)} }`],
    ['tokens', `{ ${'setupRequired '.repeat(2100)} }`],
  ])('limits query %s with BAD_USER_INPUT', async (_name, query) => {
    const result = await gql(server, query);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data ?? null).toBeNull();
  });

  it('answers errors with a code and without stack traces or SQL', async () => {
    const a = await registerAccount(server);
    const result = await gql(server, 'mutation { changeMemberRole(input: { membershipId: "TWVtYmVyc2hpcDpub3QtYS11dWlk", role: ADMIN }) { id } }', {}, { token: a.token });
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(JSON.stringify(result)).not.toMatch(/stack|at \/|select |postgres/i);
  });

  it('serves GraphiQL from its own origin when introspection is on', async () => {
    const res = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('AgentFlow API');
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\./);
  });
});

describe('production settings', () => {
  let prod: TestServer;
  beforeAll(async () => { prod = await startTestServer(db.url, { NODE_ENV: 'production' }, 'api'); });
  afterAll(async () => { await prod?.stop(); });

  it('disables introspection and field suggestions', async () => {
    const introspection = await gql(prod, '{ __schema { types { name } } }');
    expect(errorCode(introspection)).toBe('BAD_USER_INPUT');
    const typo = await gql(prod, '{ viewr { id } }');
    expect(JSON.stringify(typo.errors)).not.toContain('Did you mean');
    expect(ok(await gql(prod, '{ setupRequired }')).setupRequired).toBe(false);
  });
});

describe('size limits and headers', () => {
  it('refuses a request body over 4 MiB with 413', async () => {
    const body = JSON.stringify({ query: '{ setupRequired }', variables: { pad: 'x'.repeat(4 * 1024 * 1024) } });
    const res = await post(body, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
  });

  it('refuses a streamed body without Content-Length (its size could not be checked) with 411', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.write('{"query":"{ setupRequired }"');
      req.end('}');
    });
    expect(status).toBe(411);
  });

  it('serves the web app with a strict content security policy and no framing', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('readiness', () => {
  it('/readyz answers 503 when the database is unreachable', async () => {
    const broken = await startTestServer(db.url, {}, 'api');
    await broken.deps.pool.end(); // the pool is gone: every query fails
    const res = await fetch(`${broken.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'database unreachable' });
    await broken.stop().catch(() => undefined);
  });
});
