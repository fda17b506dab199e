import type { Json } from '@agentflow/plugin-sdk';
import type { TestHost } from '@agentflow/plugin-sdk/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiMock } from '../test/api-mock.ts';
import { ELSEWHERE_HOST, httpTestHost, INTEGRATION_HOST, PUBLIC_HOST, SECRETS } from '../test/http-host.ts';
import { MAX_BODY_CHARS } from './request.ts';

const api = apiMock();
let host: TestHost;
beforeAll(async () => {
  api.server.listen({ onUnhandledRequest: 'error' });
  host = await httpTestHost();
});
afterEach(() => api.reset());
afterAll(async () => {
  await host?.close();
  api.server.close();
});

const call = (input: Json) => host.call('request', input);
const errorOf = async (input: Json) => {
  const result = await call(input);
  expect(result, JSON.stringify(input)).toMatchObject({ ok: false });
  return result.ok ? '' : result.error;
};

describe('request without credentials', () => {
  it('sends a GET with its query and headers, and parses the JSON answer', async () => {
    const result = await call({ url: `https://${PUBLIC_HOST}/v2/countries?fields=code`, query: { region: 'Europe & Nordics', tag: ['a b', 'c/d'], limit: 2, active: true }, headers: { Accept: 'application/json' } });

    expect(result).toMatchObject({
      ok: true,
      output: { status: 200, ok: true, body: [{ code: 'PT', name: 'Portugal' }, { code: 'SE', name: 'Sweden' }], truncated: false, headers: { 'x-request-id': 'req_81a2', 'content-type': 'application/json' } },
    });
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'GET', url: `https://${PUBLIC_HOST}/v2/countries?fields=code&region=Europe%20%26%20Nordics&tag=a%20b&tag=c%2Fd&limit=2&active=true`, body: '' });
    expect(request!.headers['accept']).toBe('application/json');
    expect(request!.headers['authorization']).toBeUndefined();
  });

  it('returns text bodies as text, and cuts very long ones', async () => {
    await expect(call({ url: `https://${PUBLIC_HOST}/robots.txt#top` })).resolves.toMatchObject({ ok: true, output: { body: 'User-agent: *\nDisallow: /private\n', truncated: false } });
    expect(api.requests[0]!.url).toBe(`https://${PUBLIC_HOST}/robots.txt`);
    const big = await call({ url: `https://${PUBLIC_HOST}/big` });
    expect(big).toMatchObject({ ok: true, output: { truncated: true } });
    expect(big.ok && (big.output as { body: string }).body).toHaveLength(MAX_BODY_CHARS);
  });
});

describe('request with the integration\'s credentials', () => {
  it('sends a path to the integration\'s API host with a bearer token the host fills in', async () => {
    const result = await call({ method: 'POST', url: '/v1/items', body: { name: 'Widget', tags: ['new'] }, auth: { type: 'bearer' } });

    expect(result).toMatchObject({ ok: true, output: { status: 201, ok: true, body: { id: 'item_123', created: true } } });
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'POST', url: `https://${INTEGRATION_HOST}/v1/items` });
    expect(request!.headers).toMatchObject({ authorization: `Bearer ${SECRETS.token}`, 'content-type': 'application/json' });
    expect(JSON.parse(request!.body)).toEqual({ name: 'Widget', tags: ['new'] });
  });

  it('puts the token in a named header', async () => {
    await expect(call({ url: '/v1/items?page=2', auth: { type: 'header', header: 'X-API-Key' } })).resolves.toMatchObject({ ok: true, output: { body: { path: '/v1/items' } } });
    expect(api.requests[0]!.url).toBe(`https://${INTEGRATION_HOST}/v1/items?page=2`);
    expect(api.requests[0]!.headers['x-api-key']).toBe(SECRETS.token);
    expect(api.requests[0]!.headers['authorization']).toBeUndefined();
  });

  // Needs the host to base64-encode `Authorization: Basic <user>:<password>` after filling in the
  // secrets (the plugin never sees them, so it cannot encode them): see the README.
  it('uses basic auth with the integration\'s username and password', async () => {
    await expect(call({ method: 'HEAD', url: '/v1/items', auth: { type: 'basic' } })).resolves.toMatchObject({ ok: true, output: { status: 200, headers: { 'x-total-count': '3' }, body: '' } });
    expect(api.requests[0]!.headers['authorization']).toBe(`Basic ${Buffer.from(`${SECRETS.username}:${SECRETS.password}`).toString('base64')}`);
  });

  it('sends a path without credentials when auth is none', async () => {
    await expect(call({ method: 'DELETE', url: '/v1/items/7' })).resolves.toMatchObject({ ok: true, output: { status: 200 } });
    expect(api.requests[0]).toMatchObject({ method: 'DELETE', url: `https://${INTEGRATION_HOST}/v1/items/7` });
    expect(api.requests[0]!.headers['authorization']).toBeUndefined();
  });

  it('returns error statuses instead of throwing, so the caller can react', async () => {
    await expect(call({ url: '/v1/items/404', auth: { type: 'bearer' } })).resolves.toMatchObject({
      ok: true, output: { status: 404, ok: false, body: { error: { type: 'not_found', message: 'No item 404' } } },
    });
  });

  it('drops the credentials when the API redirects to another host', async () => {
    await expect(call({ url: '/v1/export', auth: { type: 'bearer' } })).resolves.toMatchObject({ ok: true, output: { status: 200, body: 'id,name\n1,Widget\n' } });
    expect(api.requests.map((r) => [r.url, r.headers['authorization']])).toEqual([
      [`https://${INTEGRATION_HOST}/v1/export`, `Bearer ${SECRETS.token}`],
      [`https://${ELSEWHERE_HOST}/exports/42.csv`, undefined],
    ]);
  });

  it('never sends credentials to a URL the caller chose', async () => {
    expect(await errorOf({ url: `https://${PUBLIC_HOST}/collect`, auth: { type: 'bearer' } })).toContain('Authenticated requests only go to the API host set in the HTTP integration');
    expect(api.requests).toHaveLength(0);
  });

  it('refuses secret placeholders smuggled into the request (a prompt injection could send them anywhere)', async () => {
    const smuggled: [Json, string][] = [
      [{ url: `https://${PUBLIC_HOST}/collect?t={{secret:token}}` }, 'input.url'],
      [{ url: `https://${PUBLIC_HOST}/collect`, headers: { 'x-leak': 'Bearer {{secret:token}}' } }, 'input.headers.x-leak'],
      [{ url: `https://${PUBLIC_HOST}/collect`, query: { t: '{{ secret:password }}' } }, 'input.query.t'],
      [{ method: 'POST', url: `https://${PUBLIC_HOST}/collect`, body: { nested: [{ value: '{{SECRET:username}}' }] } }, 'input.body.nested[0].value'],
      [{ method: 'POST', url: `https://${PUBLIC_HOST}/collect`, body: { '{{secret:token}}': 1 } }, 'input.body (a key)'],
      [{ method: 'POST', url: `https://${PUBLIC_HOST}/collect`, body: 'token={{secret:token}}' }, 'input.body'],
    ];
    for (const [input, where] of smuggled) {
      expect(await errorOf(input)).toContain(`${where} contains a secret placeholder ({{secret:...}}); credentials can only be added with auth`);
    }
    expect(api.requests).toHaveLength(0);
  });
});

describe('request input checks', () => {
  it.each([
    [{ url: 'ftp://files.example/a' }, 'Only http(s) URLs can be requested, not "ftp:"'],
    [{ url: 'https://user:pw@api.acme.example/v1' }, 'Credentials in the URL (user:password@host) are not allowed'],
    [{ url: '//evil.example/x' }, 'is a scheme-relative URL'],
    [{ url: '/v1/items with space' }, 'The path may only contain printable ASCII characters without spaces'],
    [{ url: 'api.acme.example/v1' }, 'is not a valid URL'],
    [{ url: 'https://bad_host!/x' }, '"bad_host!" is not a valid host name'],
    [{ url: `https://${PUBLIC_HOST}/v2/countries`, body: { a: 1 } }, 'A GET request has no body'],
    [{ url: `https://${PUBLIC_HOST}/v2/countries`, headers: { Host: 'evil.example' } }, 'The host header is set by the HTTP client'],
    [{ url: `https://${PUBLIC_HOST}/v2/countries`, headers: { 'bad header': 'x' } }, '"bad header" is not a valid header name'],
    [{ url: `https://${PUBLIC_HOST}/v2/countries`, headers: { 'x-a': 'b\r\nx-b: c' } }, 'The value of the x-a header contains a line break'],
    [{ url: '/v1/items', auth: { type: 'header' } }, 'auth type header needs `header`'],
    [{ url: '/v1/items', auth: { type: 'header', header: 'X Key' } }, '"X Key" is not a valid header name'],
    [{ url: '/v1/items', auth: { type: 'header', header: 'Host' } }, 'The host header is set by the HTTP client'],
    [{ url: '/v1/items', auth: { type: 'header', header: 'X-API-Key' }, headers: { 'x-api-key': 'mine' } }, 'Leave the x-api-key header out: auth header sets it'],
    [{ url: '/v1/items', auth: { type: 'bearer' }, headers: { Authorization: 'Bearer mine' } }, 'Leave the authorization header out: auth bearer sets it'],
  ] as [Json, string][])('refuses %j', async (input, message) => {
    expect(await errorOf(input)).toContain(message);
    expect(api.requests).toHaveLength(0);
  });

  it('refuses input outside the schema before running', async () => {
    for (const input of [{}, { url: '' }, { url: '/x', method: 'TRACE' }, { url: '/x', auth: { type: 'oauth' } }, { url: '/x', cookies: 'a=b' }] as Json[]) {
      await expect(call(input), JSON.stringify(input)).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
  });
});
