import { afterAll, describe, expect, it } from 'vitest';
import { createIsolateHost, createSecretTag, describeBundle, type SandboxBridges, type SandboxCall } from '../src/host/index.ts';
import { validateAgainst, validatorCache } from '../src/host/schema-validator.ts';

/** A bundle as `pack` makes it: a script assigning `AgentFlowPlugin = { default: { tools } }`. */
const bundleOf = (tools: string) => `var AgentFlowPlugin = (() => ({ default: { tools: [${tools}] } }))();`;

const BUNDLE = bundleOf(`
  { name: 'add', description: 'adds', inputSchema: { type: 'object' }, run: ({ a, b }) => ({ sum: a + b }) },
  { name: 'remember', run: (input) => { globalThis.seen = (globalThis.seen ?? 0) + 1; Object.prototype.polluted = 'yes'; return { seen: globalThis.seen, polluted: ({}).polluted ?? null }; } },
  { name: 'talk', run: (input, ctx) => { ctx.log('info', 'hello', { n: 1 }); console.warn('careful', { x: 2 }); ctx.log('nonsense', 'level fixed'); return null; } },
  { name: 'chatty', run: (input, ctx) => { for (let i = 0; i < 150; i++) ctx.log('debug', 'line ' + i); return i => i; } },
  { name: 'fetchOne', run: async (input, ctx) => (await ctx.fetch({ url: input.url, headers: { authorization: 'Bearer ' + ctx.secret('token') } })).json },
  { name: 'fetchMany', run: async (input, ctx) => { for (let i = 0; i < input.n; i++) await ctx.fetch({ url: 'https://api.example.com/' + i }); return 'done'; } },
  { name: 'fetchFails', run: async (input, ctx) => { try { await ctx.fetch({ url: 'https://nope.example.com/' }); return 'no error'; } catch (e) { return e.message; } } },
  { name: 'fetchNotJson', run: (input, ctx) => ctx.fetch({ url: 'x', body: { f: 1n } }).then(() => 'sent', (e) => e.message) },
  { name: 'fetchShort', run: async (input, ctx) => (await ctx.fetch('https://api.example.com/items', { method: 'POST', body: { a: 1 } })).json },
  { name: 'badSecret', run: (input, ctx) => ctx.secret('no spaces allowed') },
  { name: 'secret', run: (input, ctx) => ctx.secret(input.name) },
  { name: 'fetchAndLeave', run: (input, ctx) => { ctx.fetch({ url: 'https://slow.example.com/' }); return 'left'; } },
  { name: 'spin', run: () => { for (;;); } },
  { name: 'spinLater', run: async () => { await Promise.resolve(); for (;;); } },
  { name: 'spinAfterReturn', run: () => { Promise.resolve().then(() => Promise.resolve()).then(() => { const end = Date.now() + 50; while (Date.now() < end); }); return 'early'; } },
  { name: 'hang', run: () => new Promise(() => {}) },
  { name: 'bomb', run: () => { const hoard = []; for (;;) hoard.push(new Array(10000).fill(hoard.length)); } },
  { name: 'stringBomb', run: () => { let s = 'x'; for (;;) s += s; } },
  { name: 'huge', run: () => 'é'.repeat(200 * 1024) },
  { name: 'throws', run: () => { throw new TypeError('bad things'); } },
  { name: 'throwsObject', run: () => { throw { reason: 42 }; } },
  { name: 'fn', run: () => () => 1 },
  { name: 'cyclic', run: () => { const a = { }; a.self = a; return a; } },
  { name: 'undef', run: () => undefined },
  { name: 'typed', outputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] }, run: (input) => ({ n: input.asString ? 'one' : 1 }) },
  { name: 'defaults', run: (input) => input },
  { name: 'globals', run: () => ['require', 'process', 'setTimeout', 'fetch', 'WebAssembly', 'SharedArrayBuffer', 'FinalizationRegistry', '__agentflow_fetch', '__agentflow_log'].filter((name) => name in globalThis) },
  { name: 'b64', run: ({ text }) => ({ encoded: btoa(text), decoded: atob(btoa(text)) }) },
`);

const okBridges: SandboxBridges = {
  fetch: async (request) => ({ status: 200, ok: true, headers: {}, text: '{}', json: { url: request.url, headers: request.headers ?? null } }),
};

const host = createIsolateHost({ maxWarmIsolates: 8 });
afterAll(() => host.close());

const run = (tool: string, input: SandboxCall['input'] = {}, extra: Partial<SandboxCall> = {}, bridges = okBridges) =>
  host.call({ codeKey: 'test-bundle', bundle: BUNDLE, tool, input, ...extra }, bridges);

describe('isolate host: calls', () => {
  it('runs a tool and returns its output as JSON', async () => {
    const result = await run('add', { a: 2, b: 3 });
    expect(result).toMatchObject({ ok: true, output: { sum: 5 }, logs: [] });
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('gives every call a fresh context: globals and prototypes do not carry over', async () => {
    const first = await run('remember');
    const second = await run('remember');
    expect(first).toMatchObject({ ok: true, output: { seen: 1, polluted: 'yes' } });
    expect(second).toMatchObject({ ok: true, output: { seen: 1, polluted: 'yes' } });
    expect(await run('add', { a: 1, b: 1 })).toMatchObject({ ok: true, output: { sum: 2 } });
  });

  it('reuses a warm isolate for the same code', async () => {
    await run('add', { a: 1, b: 1 });
    await new Promise((r) => setTimeout(r, 20)); // the isolate goes back once it is idle
    const before = host.stats().isolatesCreated;
    await run('add', { a: 1, b: 1 });
    expect(host.stats().isolatesCreated).toBe(before);
  });

  it('collects ctx.log and console lines, fixing unknown levels', async () => {
    const result = await run('talk');
    expect(result.ok).toBe(true);
    expect(result.logs.map(({ level, message, data }) => ({ level, message, data }))).toEqual([
      { level: 'info', message: 'hello', data: { n: 1 } },
      { level: 'warn', message: 'careful {"x":2}', data: undefined },
      { level: 'info', message: 'level fixed', data: undefined },
    ]);
    expect(Date.parse(result.logs[0]!.at)).not.toBeNaN();
  });

  it('keeps the first 100 log lines and says how many were dropped', async () => {
    const result = await run('chatty');
    expect(result).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
    expect(result.logs).toHaveLength(101);
    expect(result.logs[100]).toMatchObject({ level: 'warn', message: '50 more log entries were dropped (at most 100 per call)' });
  });

  it('gives each call the lines its bundle logged while loading, warm or cold', async () => {
    const bundle = `console.log('loading'); ${bundleOf(`{ name: 'one', run: () => 1 }`)}`;
    for (let i = 0; i < 3; i++) {
      const result = await host.call({ codeKey: 'logs-at-load', bundle, tool: 'one', input: {} }, okBridges);
      expect(result).toMatchObject({ ok: true, output: 1, logs: [{ level: 'info', message: 'loading' }] });
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  it('offers only ECMAScript built-ins, console, atob and btoa', async () => {
    expect(await run('globals')).toMatchObject({ ok: true, output: [] });
    expect(await run('b64', { text: 'user:pässword' })).toMatchObject({ ok: true, output: { encoded: 'dXNlcjpw5HNzd29yZA==', decoded: 'user:pässword' } });
  });
});

describe('isolate host: ctx.fetch and secrets', () => {
  it('passes the request as JSON to the bridge, with the secret as a placeholder (carrying the call\'s tag) only', async () => {
    const seen: unknown[] = [];
    const secretTag = createSecretTag();
    const result = await run('fetchOne', { url: 'https://api.example.com/me' }, { secretTag }, { fetch: async (request) => { seen.push(request); return okBridges.fetch(request); } });
    expect(seen).toEqual([{ url: 'https://api.example.com/me', headers: { authorization: `Bearer {{secret:${secretTag}:token}}` } }]);
    expect(result).toMatchObject({ ok: true, output: { url: 'https://api.example.com/me', headers: { authorization: `Bearer {{secret:${secretTag}:token}}` } } });
  });

  it('gives ctx.secret the tag of its own call only: a warm isolate\'s next call has its own, or none', async () => {
    const [a, b] = [createSecretTag(), createSecretTag()];
    expect(await run('secret', { name: 'token' }, { secretTag: a })).toMatchObject({ ok: true, output: `{{secret:${a}:token}}` });
    expect(await run('secret', { name: 'token' }, { secretTag: b })).toMatchObject({ ok: true, output: `{{secret:${b}:token}}` });
    expect(await run('secret', { name: 'token' })).toMatchObject({ ok: false, code: 'THROWN', error: 'Tool secret threw Error: ctx.secret: this call has no secrets (the host gave it no secret tag)' });
    for (const secretTag of ['', 'abc', a.toUpperCase(), `${a}:x`, `${a}}}{{secret:y`]) {
      expect(await run('secret', { name: 'token' }, { secretTag })).toMatchObject({ ok: false, code: 'INVALID_INPUT', error: expect.stringContaining('malformed secretTag') });
    }
  });

  it('also takes fetch(url, init), like the web', async () => {
    const seen: unknown[] = [];
    await run('fetchShort', {}, {}, { fetch: async (request) => { seen.push(request); return okBridges.fetch(request); } });
    expect(seen).toEqual([{ method: 'POST', body: { a: 1 }, url: 'https://api.example.com/items' }]);
  });

  it('refuses a secret name that could not be declared', async () => {
    expect(await run('badSecret')).toMatchObject({ ok: false, code: 'THROWN', error: 'Tool badSecret threw TypeError: ctx.secret: no spaces allowed is not a valid secret name' });
  });

  it('turns a bridge error into an Error the tool can catch', async () => {
    const result = await run('fetchFails', {}, {}, { fetch: async () => { throw new Error('Host nope.example.com is not in the plugin\'s permissions.network'); } });
    expect(result).toMatchObject({ ok: true, output: "Host nope.example.com is not in the plugin's permissions.network" });
  });

  it('refuses a request that is not JSON before it reaches the host', async () => {
    const result = await run('fetchNotJson');
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.output).toMatch(/ctx\.fetch: the request must be plain JSON/);
  });

  it('fails a call that makes more fetch calls than allowed', async () => {
    expect(await run('fetchMany', { n: 3 }, { limits: { maxBridgeCalls: 3 } })).toMatchObject({ ok: true, output: 'done' });
    expect(await run('fetchMany', { n: 4 }, { limits: { maxBridgeCalls: 3 } })).toMatchObject({
      ok: false, code: 'BRIDGE_LIMIT', error: 'Tool fetchMany made more than 3 ctx.fetch calls',
    });
  });

  it('does not reuse an isolate whose fetch is still pending when the call ends', async () => {
    let answer!: () => void;
    const slow: SandboxBridges = { fetch: () => new Promise((resolve) => (answer = () => resolve({ status: 200, ok: true, headers: {}, text: '', json: null }))) };
    const disposedBefore = host.stats().isolatesDisposed;
    expect(await run('fetchAndLeave', {}, {}, slow)).toMatchObject({ ok: true, output: 'left' });
    answer();
    await new Promise((r) => setTimeout(r, 20));
    expect(host.stats().isolatesDisposed).toBe(disposedBefore + 1);
  });
});

describe('isolate host: limits', () => {
  it('stops a synchronous infinite loop (CPU) and disposes the isolate', async () => {
    const disposedBefore = host.stats().isolatesDisposed;
    const result = await run('spin', {}, { limits: { cpuMs: 200 } });
    expect(result).toMatchObject({ ok: false, code: 'CPU_LIMIT', error: 'Tool spin used more than 200 ms of CPU time and was stopped' });
    expect(result.durationMs).toBeLessThan(2000);
    expect(host.stats().isolatesDisposed).toBeGreaterThan(disposedBefore);
    expect(await run('add', { a: 1, b: 2 })).toMatchObject({ ok: true, output: { sum: 3 } });
  });

  it('stops a loop inside a promise chain', async () => {
    const result = await run('spinLater', {}, { limits: { cpuMs: 200 } });
    expect(result).toMatchObject({ ok: false, code: 'CPU_LIMIT' });
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('stops a call that never settles after the wall-clock limit', async () => {
    const result = await run('hang', {}, { limits: { wallMs: 300 } });
    expect(result).toMatchObject({ ok: false, code: 'TIMEOUT', error: 'Tool hang ran longer than 300 ms and was stopped' });
    expect(result.durationMs).toBeLessThan(1500);
  });

  it('counts time waiting on the bridge against the wall clock, not the CPU', async () => {
    const slow: SandboxBridges = { fetch: () => new Promise((resolve) => setTimeout(resolve, 400, { status: 200, ok: true, headers: {}, text: '', json: null })) };
    expect(await run('fetchMany', { n: 1 }, { limits: { cpuMs: 100, wallMs: 2000 } }, slow)).toMatchObject({ ok: true, output: 'done' });
    expect(await run('fetchMany', { n: 1 }, { limits: { wallMs: 200 } }, slow)).toMatchObject({ ok: false, code: 'TIMEOUT' });
  });

  it('lets work a tool leaves running after its result finish before reusing the isolate', async () => {
    expect(await run('spinAfterReturn')).toMatchObject({ ok: true, output: 'early' });
    expect(await run('add', { a: 1, b: 2 })).toMatchObject({ ok: true, output: { sum: 3 } });
  });

  it('stops a memory bomb', async () => {
    const result = await run('bomb', {}, { limits: { memoryMb: 16 } });
    expect(result).toMatchObject({ ok: false, code: 'MEMORY_LIMIT', error: 'Tool bomb used more than 16 MB of memory and was stopped' });
    const strings = await run('stringBomb', {}, { limits: { memoryMb: 16 } });
    expect(strings.ok).toBe(false);
    expect(['MEMORY_LIMIT', 'THROWN']).toContain(!strings.ok && strings.code); // V8 may refuse the string first (RangeError)
    expect(await run('add', { a: 1, b: 2 }, { limits: { memoryMb: 16 } })).toMatchObject({ ok: true });
  });

  it('refuses output over the size limit (bytes, not characters)', async () => {
    expect(await run('huge', {}, { limits: { maxOutputBytes: 300 * 1024 } })).toMatchObject({
      ok: false, code: 'OUTPUT_TOO_LARGE', error: `Tool huge returned ${400 * 1024 + 2} bytes of output, more than the ${300 * 1024} allowed`,
    });
    expect(await run('huge', {}, { limits: { maxOutputBytes: 100 * 1024 } })).toMatchObject({ ok: false, code: 'OUTPUT_TOO_LARGE' });
    expect(await run('huge', {}, { limits: { maxOutputBytes: 500 * 1024 } })).toMatchObject({ ok: true });
  });

  it('keeps serving other calls while one loops', async () => {
    const looping = run('spinLater', {}, { limits: { cpuMs: 600, wallMs: 5000 } });
    const others = await Promise.all(Array.from({ length: 10 }, (_, i) => run('add', { a: i, b: 1 })));
    expect(others.map((r) => r.ok && r.output)).toEqual(Array.from({ length: 10 }, (_, i) => ({ sum: i + 1 })));
    expect(await looping).toMatchObject({ ok: false, code: 'CPU_LIMIT' });
  });
});

describe('isolate host: failures', () => {
  it('reports a thrown error with its type and message', async () => {
    expect(await run('throws')).toMatchObject({ ok: false, code: 'THROWN', error: 'Tool throws threw TypeError: bad things' });
    expect(await run('throwsObject')).toMatchObject({ ok: false, code: 'THROWN', error: 'Tool throwsObject threw a non-Error value was thrown: {"reason":42}' });
  });

  it('refuses output that is not JSON', async () => {
    expect(await run('fn')).toMatchObject({ ok: false, code: 'INVALID_OUTPUT', error: 'Tool fn returned output that is not valid: it returned a value that is not JSON: TypeError: a function is not JSON' });
    const cyclic = await run('cyclic');
    expect(cyclic).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
    expect(!cyclic.ok && cyclic.error).toMatch(/circular structure/);
    expect(await run('undef')).toMatchObject({ ok: true, output: null });
  });

  it('validates input and output against the schemas', async () => {
    const inputSchema = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false };
    expect(await run('add', { a: 1, b: 'two' }, { inputSchema })).toMatchObject({
      ok: false, code: 'INVALID_INPUT', error: 'Tool add got input that does not match its input schema: /b must be number',
    });
    expect(await run('add', { a: 1, c: 2 }, { inputSchema })).toMatchObject({
      ok: false, code: 'INVALID_INPUT', error: "Tool add got input that does not match its input schema: (root) must have required property 'b'; (root) must NOT have additional properties (c)",
    });
    const outputSchema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    expect(await run('typed', {}, { outputSchema })).toMatchObject({ ok: true, output: { n: 1 } });
    expect(await run('typed', { asString: true }, { outputSchema })).toMatchObject({
      ok: false, code: 'INVALID_OUTPUT', error: 'Tool typed returned output that does not match its output schema: /n must be number',
    });
    expect(await run('add', {}, { inputSchema: { type: 'nonsense' } })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('fills in defaults the input schema declares, without touching the caller\'s object', async () => {
    const inputSchema = { type: 'object', properties: { limit: { type: 'integer', default: 10 } } };
    const input = {};
    expect(await run('defaults', input, { inputSchema })).toMatchObject({ ok: true, output: { limit: 10 } });
    expect(input).toEqual({});
  });

  it('names a missing tool and the ones the plugin has', async () => {
    const result = await host.call({ codeKey: 'small', bundle: bundleOf(`{ name: 'a', run: () => 1 }, { name: 'b', run: () => 2 }`), tool: 'c', input: {} }, okBridges);
    expect(result).toMatchObject({ ok: false, code: 'TOOL_NOT_FOUND', error: 'Tool c was not found: the plugin has no tool "c" (it has: a, b)' });
  });

  it.each([
    ['a syntax error', 'var AgentFlowPlugin = {', /^The bundle of tool t does not load: SyntaxError/],
    ['a throwing bundle', 'throw new Error("no init")', /^The bundle of tool t does not load: Error: no init/],
    ['no AgentFlowPlugin', 'var Other = 1', /^The bundle of tool t is not a plugin: the bundle does not assign AgentFlowPlugin.default/],
    ['a loop at load time', 'for (;;);', /^Tool t used more than 300 ms of CPU time/],
  ])('reports %s as a bad bundle', async (_, bundle, message) => {
    const result = await host.call({ codeKey: `bad-${bundle}`, bundle, tool: 't', input: {}, limits: { cpuMs: 300 } }, okBridges);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });
});

describe('describeBundle', () => {
  it('returns the default export without functions', async () => {
    const description = await describeBundle(bundleOf(`{ name: 'add', description: 'adds', inputSchema: { type: 'object' }, run: () => 1 }`));
    expect(description).toEqual({ tools: [{ name: 'add', description: 'adds', inputSchema: { type: 'object' } }] });
  });

  it('explains bundles that do not load', async () => {
    await expect(describeBundle('var x = 1')).rejects.toThrow('The bundle does not assign AgentFlowPlugin.default');
    await expect(describeBundle('throw new Error("boom")')).rejects.toThrow('The bundle does not load: Error: boom');
    await expect(describeBundle('while (true) {}')).rejects.toThrow('The bundle used more than 2000 ms of CPU time while loading');
  });
});

/**
 * Every string a guest sends out (ctx.fetch requests, errors, output) is copied into the host's
 * heap, so sizes are bounded before the copy (by the runtime, captured before the bundle runs) and
 * checked again by the host before it parses anything.
 */
/** A bridge that records the JSON length of each request it is asked to send. */
const counting = () => {
  const seen: number[] = [];
  return { seen, bridges: { fetch: async (request) => { seen.push(JSON.stringify(request).length); return okBridges.fetch({ url: request.url }); } } as SandboxBridges };
};

describe('isolate host: what leaves the isolate is bounded', () => {
  const SIZES = bundleOf(`
    { name: 'post', run: async ({ kb, n }, ctx) => { const body = 'x'.repeat(kb * 1024); for (let i = 0; i < n; i++) await ctx.fetch({ url: 'https://api.example.com/' + i, method: 'POST', body }); return 'sent'; } },
    { name: 'postCaught', run: async ({ kb }, ctx) => { try { await ctx.fetch({ url: 'https://api.example.com/', body: 'x'.repeat(kb * 1024) }); return 'sent'; } catch (e) { return 'caught ' + e.message; } } },
    { name: 'throwsLong', run: ({ chars }) => { throw new Error('x'.repeat(chars)); } },
    { name: 'throwsLongPatched', run: ({ chars }) => { String.prototype.slice = function () { return String(this); }; String.prototype.substring = String.prototype.slice; throw new Error('y'.repeat(chars)); } },
    { name: 'manyTools', run: () => 1 },
  `);
  const sized = (tool: string, input: SandboxCall['input'], limits: SandboxCall['limits'] = {}, bridges = okBridges) =>
    host.call({ codeKey: 'sizes', bundle: SIZES, tool, input, limits }, bridges);

  it('refuses a ctx.fetch request larger than maxFetchRequestBytes before the bridge sees it, failing only that call', async () => {
    const { seen, bridges } = counting();
    expect(await sized('post', { kb: 2 * 1024, n: 1 }, {}, bridges)).toMatchObject({
      ok: false, code: 'BRIDGE_LIMIT', error: 'Tool post sent a ctx.fetch request larger than 1048576 bytes (as JSON)',
    });
    expect(await sized('postCaught', { kb: 40 }, { maxFetchRequestBytes: 32 * 1024 }, bridges)).toMatchObject({
      ok: false, code: 'BRIDGE_LIMIT', error: 'Tool postCaught sent a ctx.fetch request larger than 32768 bytes (as JSON)',
    });
    expect(seen).toEqual([]);
    expect(await sized('post', { kb: 900, n: 1 }, {}, bridges)).toMatchObject({ ok: true, output: 'sent' });
    expect(await run('add', { a: 1, b: 2 })).toMatchObject({ ok: true, output: { sum: 3 } });
  });

  it('counts bytes, not characters: multi-byte text over the cap is refused by the host', async () => {
    const bundle = bundleOf(`{ name: 'accents', run: async ({ n }, ctx) => { await ctx.fetch({ url: 'https://api.example.com/', body: 'é'.repeat(n) }); return 'sent'; } }`);
    const { seen, bridges } = counting();
    const call = (n: number) => host.call({ codeKey: 'accents', bundle, tool: 'accents', input: { n }, limits: { maxFetchRequestBytes: 1000 } }, bridges);
    expect(await call(900)).toMatchObject({ ok: false, code: 'BRIDGE_LIMIT', error: 'Tool accents sent a ctx.fetch request larger than 1000 bytes (as JSON)' });
    expect(await call(400)).toMatchObject({ ok: true, output: 'sent' });
    expect(seen).toHaveLength(1);
  });

  it('caps the bytes of all ctx.fetch requests of one call (maxFetchTotalBytes)', async () => {
    const { seen, bridges } = counting();
    expect(await sized('post', { kb: 50, n: 5 }, { maxFetchTotalBytes: 200 * 1024 }, bridges)).toMatchObject({
      ok: false, code: 'BRIDGE_LIMIT', error: 'Tool post sent more than 204800 bytes in its ctx.fetch requests',
    });
    expect(seen).toHaveLength(3);
    expect(await sized('post', { kb: 50, n: 5 }, { maxFetchTotalBytes: 300 * 1024 }, bridges)).toMatchObject({ ok: true, output: 'sent' });
  });

  it('truncates a long error message inside the isolate, even when the bundle replaced String methods', async () => {
    const long = await sized('throwsLong', { chars: 3_000_000 });
    expect(long).toMatchObject({ ok: false, code: 'THROWN', error: `Tool throwsLong threw Error: ${'x'.repeat(1993)}… (2998007 more characters)` });
    const patched = await sized('throwsLongPatched', { chars: 3_000_000 });
    expect(patched).toMatchObject({ ok: false, code: 'THROWN', error: `Tool throwsLongPatched threw Error: ${'y'.repeat(1993)}… (2998007 more characters)` });
  });
});

/** Long enough for a finished call's isolate to be measured and put back (or disposed). */
const idle = () => new Promise((r) => setTimeout(r, 50));

describe('isolate host: warm isolates do not hoard memory', () => {
  const HEAVY = bundleOf(`
    { name: 'light', run: () => 'ok' },
    { name: 'heavy', run: ({ mb }) => { const keep = []; for (let i = 0; i < mb * 16; i++) keep.push(Array.from({ length: 4096 }, (_, j) => j + i)); return keep.length; } },
  `);

  it('disposes an isolate whose heap grew past maxIdleIsolateHeapMb (16 MB) instead of keeping it warm', async () => {
    const own = createIsolateHost();
    try {
      const call = (tool: string, input: SandboxCall['input'] = {}) => own.call({ codeKey: 'heavy', bundle: HEAVY, tool, input }, okBridges);
      expect(await call('light')).toMatchObject({ ok: true });
      await idle();
      expect(own.stats()).toMatchObject({ idleIsolates: 1, isolatesCreated: 1, isolatesDisposed: 0 });
      expect(own.stats().idleHeapBytes).toBeLessThan(4 * 1024 * 1024);
      expect(await call('heavy', { mb: 40 })).toMatchObject({ ok: true });
      await idle();
      expect(own.stats()).toMatchObject({ idleIsolates: 0, isolatesDisposed: 1 });
      expect(await call('light')).toMatchObject({ ok: true });
      expect(own.stats().isolatesCreated).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('keeps at most 8 idle isolates by default, and no more idle heap than maxWarmHeapMb', async () => {
    const own = createIsolateHost();
    const small = createIsolateHost({ maxWarmHeapMb: 6 });
    try {
      for (let i = 0; i < 10; i++) {
        for (const h of [own, small]) expect(await h.call({ codeKey: `code-${i}`, bundle: HEAVY, tool: 'light', input: {} }, okBridges)).toMatchObject({ ok: true });
        await idle();
      }
      expect(own.stats().idleIsolates).toBe(8);
      expect(small.stats().idleHeapBytes).toBeLessThanOrEqual(6 * 1024 * 1024);
      expect(small.stats().idleIsolates).toBeGreaterThanOrEqual(1);
      expect(small.stats().idleIsolates).toBeLessThan(8);
    } finally {
      await own.close();
      await small.close();
    }
  });
});

describe('isolate host: schemas of different tenants do not meet', () => {
  const SCHEMAS = bundleOf(`{ name: 'echo', run: (input) => input }`);
  const echo = (input: SandboxCall['input'], inputSchema: SandboxCall['inputSchema']) =>
    host.call({ codeKey: 'schemas', bundle: SCHEMAS, tool: 'echo', input, inputSchema }, okBridges);

  it('compiles two different schemas that claim the same $id, each on its own', async () => {
    const orgB = { $id: 'https://example.com/schemas/item', type: 'object', properties: { n: { type: 'string' } }, required: ['n'] };
    const orgA = { $id: 'https://example.com/schemas/item', type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    expect(await echo({ n: 'one' }, orgB)).toMatchObject({ ok: true, output: { n: 'one' } });
    expect(await echo({ n: 1 }, orgA)).toMatchObject({ ok: true, output: { n: 1 } });
    expect(await echo({ n: 'one' }, orgA)).toMatchObject({ ok: false, code: 'INVALID_INPUT', error: 'Tool echo got input that does not match its input schema: /n must be number' });
    expect(await echo({ n: 'one' }, structuredClone(orgB))).toMatchObject({ ok: true });
  });

  it('does not let one schema\'s nested $id change how another resolves its $ref', async () => {
    const orgB = { type: 'object', properties: { a: { $id: 'https://example.com/shared', type: 'string' } } };
    expect(await echo({ a: 'x' }, orgB)).toMatchObject({ ok: true });
    const orgA = { type: 'object', properties: { a: { type: 'number' }, b: { $ref: 'https://example.com/shared' } } };
    expect(await echo({ b: 1 }, orgA)).toMatchObject({ ok: false, code: 'INVALID_INPUT', error: expect.stringMatching(/input schema is not a valid JSON Schema: can't resolve reference https:\/\/example\.com\/shared/) });
  });
});

describe('schema validator: cache', () => {
  it('is keyed by the schema\'s JSON text: equal schemas from new objects reuse one validator', () => {
    const before = validatorCache.size();
    for (let i = 0; i < 50; i++) {
      expect(validateAgainst({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, { id: String(i) }, 'input')).toEqual({ ok: true, value: { id: String(i) } });
    }
    expect(validatorCache.size()).toBe(before + 1);
  });

  it('is bounded, and keeps the most recently used schemas (LRU)', () => {
    const first = { type: 'object', title: 'first' };
    validateAgainst(first, {}, 'input');
    for (let i = 0; i < validatorCache.max + 20; i++) {
      validateAgainst({ type: 'object', title: `schema ${i}` }, {}, 'input');
      validateAgainst({ type: 'object', title: 'first' }, {}, 'input'); // used all along
    }
    expect(validatorCache.size()).toBe(validatorCache.max);
    expect(validatorCache.has(first)).toBe(true);
    expect(validatorCache.has({ type: 'object', title: 'schema 0' })).toBe(false);
  });

  it('compiles a schema with an $id again once it fell out of the cache', () => {
    const schema = { $id: 'https://example.com/evicted', type: 'string' };
    expect(validateAgainst(schema, 'a', 'input')).toMatchObject({ ok: true });
    for (let i = 0; i < validatorCache.max; i++) validateAgainst({ type: 'object', title: `filler ${i}` }, {}, 'input');
    expect(validatorCache.has(schema)).toBe(false);
    expect(validateAgainst(schema, 'a', 'input')).toMatchObject({ ok: true });
    expect(validateAgainst(schema, 1, 'input')).toEqual({ ok: false, error: '(root) must be string' });
  });
});
