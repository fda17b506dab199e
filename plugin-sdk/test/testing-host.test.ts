import { fileURLToPath } from 'node:url';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { packPlugin } from '../src/pack.ts';
import { createSecretTag, createTestFetchBridge, createTestHost, type TestHost } from '../src/testing/index.ts';

const dir = fileURLToPath(new URL('./fixtures/echo-plugin/', import.meta.url));
// A quote and a slash, to show the value is escaped where it lands.
const API_KEY = 'sk-te"st/123';

const received: { url: string; headers: Headers; body: string }[] = [];
const api = setupServer(
  http.all('https://api.example.com/*', async ({ request }) => {
    received.push({ url: request.url, headers: request.headers, body: await request.text() });
    const key = request.headers.get('x-api-key');
    if (request.method === 'GET' && key !== API_KEY) return HttpResponse.json({ error: 'bad key' }, { status: 401 });
    // A careless API that echoes the credential back, in the body and in a header.
    return HttpResponse.json({ echoed: key ?? received.at(-1)!.body, encoded: encodeURIComponent(API_KEY) }, { headers: { 'x-echo': String(key) } });
  }),
  http.get('https://files.example.org/moved', () => new HttpResponse(null, { status: 302, headers: { location: 'https://evil.example.net/steal' } })),
  http.get('https://files.example.org/hop', () => new HttpResponse(null, { status: 302, headers: { location: 'https://api.example.com/landed' } })),
);

let host: TestHost;
beforeAll(async () => {
  api.listen({ onUnhandledRequest: 'error' });
  host = await createTestHost({ dir, secrets: { apiKey: API_KEY } });
});
afterEach(() => {
  api.resetHandlers();
  received.length = 0;
});
afterAll(async () => {
  await host?.close();
  api.close();
});

describe('createTestHost', () => {
  test('runs a tool of the packed plugin in the sandbox and checks its schemas', async () => {
    expect(host.tools.map((t) => t.name)).toEqual(['echo', 'call_api', 'reveal_secret']);
    expect(await host.call('echo', { text: 'hi' })).toMatchObject({ ok: true, output: { text: 'hi' }, logs: [] });
    expect(await host.call('echo', { text: 42 })).toMatchObject({ ok: false, code: 'INVALID_INPUT', error: expect.stringContaining('Tool echo got input that does not match its input schema') });
    expect(await host.call('nope', {})).toMatchObject({ ok: false, code: 'TOOL_NOT_FOUND' });
  });

  test('puts the secret into the request on the host; the tool only ever holds a placeholder', async () => {
    const revealed = await host.call('reveal_secret', {});
    expect(revealed).toMatchObject({ ok: true, output: { secret: expect.stringMatching(/^\{\{secret:[0-9a-f]{32}:apiKey\}\}$/) } });
    // A fresh tag every call.
    expect((await host.call('reveal_secret', {}) as { output: unknown }).output).not.toEqual((revealed as { output: unknown }).output);

    const result = await host.call('call_api', { url: 'https://api.example.com/v1/me' });
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.get('x-api-key')).toBe(API_KEY);
    expect(result).toMatchObject({
      ok: true,
      output: { status: 200, json: { echoed: '[redacted]', encoded: '[redacted]' }, headers: { 'x-echo': '[redacted]' } },
      logs: [{ level: 'info', message: 'called', data: { status: 200 } }],
    });
    expect(JSON.stringify(result)).not.toContain('st/123');
  });

  test('JSON-escapes a secret placed in an object body', async () => {
    const result = await host.call('call_api', { url: 'https://api.example.com/v1/keys', inBody: true });
    expect(result).toMatchObject({ ok: true, output: { status: 200 } });
    expect(JSON.parse(received[0]!.body)).toEqual({ key: API_KEY });
    expect(received[0]!.headers.get('content-type')).toBe('application/json');
  });

  test('refuses a host the manifest does not declare, before any request is made', async () => {
    const result = await host.call('call_api', { url: 'https://evil.example.net/steal' });
    expect(result).toMatchObject({
      ok: false,
      code: 'THROWN',
      error: expect.stringContaining("fetch refused: evil.example.net is not in the manifest's permissions.network (declared: api.example.com, *.example.org)"),
    });
    expect(received).toHaveLength(0);
  });

  test('checks every redirect against the declared hosts', async () => {
    expect(await host.call('call_api', { url: 'https://files.example.org/moved' }))
      .toMatchObject({ ok: false, error: expect.stringContaining('fetch refused: evil.example.net is not in') });
    const hop = await host.call('call_api', { url: 'https://files.example.org/hop' });
    expect(hop).toMatchObject({ ok: true, output: { status: 401 } });
    // The key was meant for files.example.org, so it does not follow the redirect to another origin.
    expect(received.map((r) => [r.url, r.headers.get('x-api-key')])).toEqual([['https://api.example.com/landed', null]]);
  });

  test('refuses a secret the test did not provide, and secrets the manifest does not declare', async () => {
    const bare = await createTestHost({ dir });
    try {
      expect(await bare.call('call_api', { url: 'https://api.example.com/v1/me' }))
        .toMatchObject({ ok: false, error: expect.stringContaining('fetch refused: secret "apiKey" has no value in this test') });
    } finally {
      await bare.close();
    }
    await expect(createTestHost({ dir, secrets: { apiKey: 'x', password: 'y' } }))
      .rejects.toThrow("createTestHost: secrets password are not declared in the manifest's permissions.secrets (apiKey)");
  });

  test('never fills a placeholder that came from the input, whatever its form; the tool\'s own still works', async () => {
    const GUESSED = 'abcdef01'.repeat(4);
    const leak = await host.call('reveal_secret', {}) as unknown as { output: { secret: string } };
    for (const url of [
      'https://api.example.com/v1/steal?k={{secret:apiKey}}',
      'https://api.example.com/v1/steal?k=%7B%7Bsecret%3AapiKey%7D%7D',
      'https://api.example.com/v1/steal/%7B%7Bsecret:apiKey%7D%7D',
      `https://api.example.com/v1/steal?k={{secret:${GUESSED}:apiKey}}`,
      `https://api.example.com/v1/steal?k=${encodeURIComponent(leak.output.secret)}&r=${leak.output.secret}`, // another call's tag
    ]) {
      expect(await host.call('call_api', { url })).toMatchObject({ ok: true, output: { status: 200 } });
    }
    expect(received).toHaveLength(5);
    // The key went only where the tool put it (its x-api-key header), never into a URL the input wrote.
    expect(received.map((r) => r.headers.get('x-api-key'))).toEqual(Array(5).fill(API_KEY));
    for (const r of received) expect(decodeURIComponent(r.url)).not.toContain('sk-te');
    expect(decodeURIComponent(received[0]!.url)).toContain('{{secret:apiKey}}');
  });

  test('runs an already packed bundle and manifest too', async () => {
    const { bundle, manifest } = await packPlugin(dir);
    const packed = await createTestHost({ bundle, manifest });
    try {
      expect(await packed.call('echo', { text: 'packed' })).toMatchObject({ ok: true, output: { text: 'packed' } });
    } finally {
      await packed.close();
    }
    await expect(createTestHost({ bundle })).rejects.toThrow('createTestHost: pass both bundle and manifest, or a dir');
    await expect(createTestHost({ bundle, manifest: { ...manifest, version: 'one' } })).rejects.toThrow(/The plugin manifest is invalid:\n {2}version: must be a strict semver version/);
  });
});

/** For the next request: *.acme.example and *.anything.example (any port) echo the URL and the authorization header. */
const echo = () => api.use(http.all(/^https:\/\/[^/]*(acme|anything)\.example(:\d+)?\//, async ({ request }) => {
  received.push({ url: request.url, headers: request.headers, body: await request.text() });
  return HttpResponse.json({ url: request.url, authorization: request.headers.get('authorization') }, { headers: { 'x-echo-auth': request.headers.get('authorization') ?? '' } });
}));

// The same rules as the server's fetch bridge (server/src/sandbox/fetch-bridge.test.ts), minus its DNS and address checks.
describe('createTestFetchBridge', () => {
  const SECRETS = { host: 'api.acme.example', user: 'alice', password: 's3cret:with:colons', token: 'tok_live_7f3b9c' };
  const TAG = createSecretTag();
  /** The text with each `{{secret:<name>}}` as the tool's own `ctx.secret(name)` makes it in the call the bridge serves. */
  const own = (text: string) => text.replace(/(\{\{|%7B%7B)secret:([A-Za-z]\w*)(\}\}|%7D%7D)/g, (_, open: string, name: string, close: string) => `${open}secret:${TAG}:${name}${close}`);
  const bridge = (network: string[], secrets: Record<string, string> = {}) =>
    createTestFetchBridge({ manifest: { permissions: { network, secrets: Object.keys(SECRETS) } }, secrets: { ...SECRETS, ...secrets }, secretTag: TAG });

  test('permissions.network ["*"] allows any host', async () => {
    echo();
    await expect(bridge(['*'])({ url: 'https://www.anything.example/x' })).resolves.toMatchObject({ status: 200 });
    expect(received.map((r) => r.url)).toEqual(['https://www.anything.example/x']);
  });

  test('a secret may be the whole host: filled in first (a port included), then checked against permissions.network', async () => {
    echo();
    await bridge(['api.acme.example'])({ url: own('https://{{secret:host}}/v1/items/{{secret:token}}?q=1') });
    await bridge(['api.acme.example'], { host: 'api.acme.example:8443' })({ url: own('https://{{secret:host}}?q=2') });
    expect(received.map((r) => r.url)).toEqual(['https://api.acme.example/v1/items/tok_live_7f3b9c?q=1', 'https://api.acme.example:8443/?q=2']);
    await expect(bridge(['api.acme.example'], { host: 'evil.example.net' })({ url: own('https://{{secret:host}}/v1') }))
      .rejects.toThrow("fetch refused: [redacted] is not in the manifest's permissions.network (declared: api.acme.example)");
    await expect(createTestFetchBridge({ manifest: { permissions: { network: ['*'], secrets: [] } }, secrets: {}, secretTag: TAG })({ url: own('https://{{secret:host}}/v1') }))
      .rejects.toThrow('fetch refused: secret "host" is not declared in the manifest\'s permissions.secrets');
    expect(received).toHaveLength(2);
  });

  test.each([
    ['https://api.acme.example', 'it starts with a scheme'],
    ['api.acme.example/v1', 'it contains a path, query or fragment'],
    ['me:pw@api.acme.example', 'it contains user info (@)'],
    ['{{secret:token}}', 'it contains a placeholder'],
    ['api.acme.example\t', 'it contains whitespace'],
    ['api.acme.example:99999', 'its port is not a number from 1 to 65535'],
    ['-api.acme.example', 'it is not a valid host name'],
    ['999.1.1.1', 'it is not a valid host name'],
  ])('refuses a host value of %j', async (value, what) => {
    await expect(bridge(['*'], { host: value })({ url: own('https://{{secret:host}}/v1') })).rejects.toThrow(
      `fetch refused: secret "host" is the URL's host, but ${what}: its value must be a bare host name such as api.example.com, optionally with :port (no scheme, path, user info or placeholder)`);
  });

  test.each([
    ['https://{{secret:host}}.evil.example/', 'a secret can only be the whole host name'],
    ['https://{{secret:host}}:8443/', 'a secret can only be the whole host name'],
    ['https://%7B%7Bsecret:host%7D%7D/', 'a secret can only be the whole host name'],
    ['https://{{secret:user}}:{{secret:password}}@api.acme.example/', 'put credentials in an Authorization header, not in the URL'],
    ['https://me@api.acme.example/', 'put credentials in an Authorization header, not in the URL'],
  ])('refuses %s (the tool\'s own placeholders, or not)', async (url, message) => {
    await expect(bridge(['*'])({ url: own(url) })).rejects.toThrow(`fetch refused: ${message}`);
    await expect(bridge(['*'])({ url })).rejects.toThrow(`fetch refused: ${message}`);
  });

  test('sends an authorization header of exactly "Basic {{secret:a}}:{{secret:b}}" base64-encoded, and scrubs it back', async () => {
    echo();
    const response = await bridge(['api.acme.example'])({ url: own('https://{{secret:host}}/me'), headers: { Authorization: own('Basic {{secret:user}}:{{secret:password}}') } });
    expect(received[0]!.headers.get('authorization')).toBe(`Basic ${Buffer.from('alice:s3cret:with:colons').toString('base64')}`);
    expect(response.headers['x-echo-auth']).toBe('Basic [redacted]');
    expect(response.json).toEqual({ url: 'https://[redacted]/me', authorization: 'Basic [redacted]' });

    await bridge(['*'])({ url: 'https://api.acme.example/', headers: { 'x-authorization': own('Basic {{secret:user}}:{{secret:password}}'), authorization: own('Basic me:{{secret:password}}') } });
    expect([received[1]!.headers.get('x-authorization'), received[1]!.headers.get('authorization')]).toEqual(['Basic alice:s3cret:with:colons', 'Basic me:s3cret:with:colons']);
    await expect(bridge(['*'], { user: 'ali:ce' })({ url: 'https://api.acme.example/', headers: { authorization: own('Basic {{secret:user}}:{{secret:password}}') } }))
      .rejects.toThrow('Secret "user" is the user name of basic auth, which cannot contain ":"');
    expect(received).toHaveLength(2);
  });

  test.each([
    ['raw', { url: 'https://api.acme.example/steal?k={{secret:token}}', headers: { 'x-leak': '{{secret:token}}', authorization: 'Basic {{secret:user}}:{{secret:password}}' } }],
    ['percent-encoded', { url: 'https://api.acme.example/steal/%7B%7Bsecret:token%7D%7D?k=%7B%7Bsecret%3Atoken%7D%7D' }],
    ['in a JSON body', { url: 'https://api.acme.example/steal', method: 'POST', body: { text: 'here: {{secret:token}}' } }],
    ['JSON-escaped', { url: 'https://api.acme.example/steal', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"t":"\\u007b\\u007bsecret:token\\u007d\\u007d"}' }],
    ['with a guessed tag', { url: `https://api.acme.example/steal?k={{secret:${'0'.repeat(32)}:token}}`, method: 'POST', body: `{{secret:${'0'.repeat(32)}:password}}` }],
    ['with another call\'s tag', { url: 'https://api.acme.example/', headers: { 'x-leak': `{{secret:${createSecretTag()}:token}}` } }],
  ] as const)('never fills a placeholder the tool did not make (%s): it goes out as written', async (_, request) => {
    echo();
    await bridge(['*'])(request as Parameters<ReturnType<typeof bridge>>[0]);
    expect(received).toHaveLength(1);
    const sent = JSON.stringify([received[0]!.url, [...received[0]!.headers], received[0]!.body]);
    for (const value of [SECRETS.token, SECRETS.password, 'alice']) expect(sent).not.toContain(value);
    expect(sent).not.toContain(Buffer.from('alice:').toString('base64').slice(0, 6));
    expect(sent).toMatch(/\{\{secret|%7B%7Bsecret|u007b/);
  });

  test('hands an echoed secret back as [redacted], which sent again is just that text', async () => {
    echo();
    const fetch = bridge(['*']);
    const echoed = await fetch({ url: own('https://api.acme.example/echo?t={{secret:token}}'), headers: { authorization: own('Bearer {{secret:token}}') } });
    expect(echoed.json).toEqual({ url: 'https://[redacted]/echo?t=[redacted]', authorization: 'Bearer [redacted]' });
    echo();
    await fetch({ url: 'https://api.acme.example/replay', method: 'POST', headers: { authorization: echoed.headers['x-echo-auth']! }, body: echoed.text });
    expect(received[1]!.headers.get('authorization')).toBe('Bearer [redacted]');
    expect(received[1]!.body).toBe(echoed.text);
    expect(received[1]!.body).not.toContain(SECRETS.token);
  });

  test('refuses a 307/308 to another origin that would send a body with a secret in it again; follows one without', async () => {
    const hops: string[] = [];
    api.use(
      http.post('https://api.acme.example/moved/:status', ({ params }) => new HttpResponse(null, { status: Number(params.status), headers: { location: 'https://other.anything.example/collect' } })),
      http.post('https://other.anything.example/collect', async ({ request }) => { hops.push(await request.text()); return HttpResponse.json({ ok: true }); }),
    );
    for (const status of [307, 308]) {
      await expect(bridge(['*'])({ url: `https://api.acme.example/moved/${status}`, method: 'POST', body: { key: own('{{secret:token}}') } }))
        .rejects.toThrow('fetch refused: a redirect to https://other.anything.example would send the request body, which has a secret in it, to another origin');
    }
    expect(hops).toEqual([]);
    await expect(bridge(['*'])({ url: 'https://api.acme.example/moved/307', method: 'POST', headers: { authorization: own('Bearer {{secret:token}}') }, body: { key: '{{secret:token}}' } }))
      .resolves.toMatchObject({ status: 200 });
    expect(hops).toEqual(['{"key":"{{secret:token}}"}']);
  });

  test('needs a well-formed tag', () => {
    expect(() => createTestFetchBridge({ manifest: { permissions: { network: ['*'], secrets: [] } }, secretTag: 'not-a-tag' })).toThrow('a secret tag is 32 to 128 lowercase hex characters');
  });
});
