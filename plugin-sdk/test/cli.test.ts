import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphql, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/io.ts';
import { verifyPacked } from '../src/pack.ts';
import type { PackedPlugin } from '../src/types.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'agentflow-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (l) => out.push(l), stderr: (l) => err.push(l), cwd: work, env, fetch: (input, init) => globalThis.fetch(input, init) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('usage', () => {
  test.each<[string[], string]>([
    [[], 'Usage: agentflow-plugin <command>'],
    [['deploy'], 'Unknown command "deploy".'],
    [['init'], 'Missing <dir>: where to create the plugin package\nUsage: agentflow-plugin init <dir>'],
    [['init', 'x', 'y'], 'Unexpected argument "y"'],
    [['pack', '--sign'], "Unknown option '--sign'"],
    [['init', 'My Plugin'], '"My Plugin" is not a valid plugin name: 3 to 64 lowercase letters, digits or dashes, starting with a letter (pass --name)'],
    [['publish', 'x.agentflow.json'], 'Missing --server <url> (or AGENTFLOW_SERVER)'],
    [['publish', 'x.agentflow.json', '--server', 'https://a.example.com', '--api-key', 'k', '--price-cents', '4.99'], '--price-cents must be a whole number of cents, such as 0 or 499 (got "4.99")'],
  ])('%j exits 2 with a clear message', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  test('--help prints a command\'s usage', async () => {
    expect(await run(['pack', '--help'])).toEqual({ code: 0, out: 'Usage: agentflow-plugin pack [dir] [--out <file>] [--key <private-key.pem>] [--changelog <text>]', err: '' });
  });
});

describe('keygen and pack', () => {
  test('keygen writes a private key only its owner can read, and refuses to overwrite it', async () => {
    const { code, out } = await run(['keygen', '--out-dir', 'keys']);
    expect(code).toBe(0);
    expect(out).toMatch(/Private key: keys\/agentflow-signing\.key\.pem/);
    expect((await stat(join(work, 'keys/agentflow-signing.key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(work, 'keys/agentflow-signing.pub.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await run(['keygen', '--out-dir', 'keys']);
    expect(again.code).toBe(2);
    expect(again.err).toContain('keys/agentflow-signing.key.pem already exists');
  });

  test('pack writes the signed document and prints its sha256', async () => {
    await run(['keygen', '--out-dir', 'signing']);
    const { code, out } = await run(['pack', fixture('echo-plugin'), '--out', 'echo.agentflow.json', '--key', 'signing/agentflow-signing.key.pem', '--changelog', 'Adds echo']);
    expect(code).toBe(0);
    const packed = JSON.parse(await readFile(join(work, 'echo.agentflow.json'), 'utf8')) as PackedPlugin;
    expect(verifyPacked(packed)).toMatchObject({ ok: true });
    expect(packed.manifest.changelog).toBe('Adds echo');
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^Packed echo-plugin@1\.2\.3 \(plugin, 3 tools\) -> echo\.agentflow\.json \(\d+\.\d kB\)$/),
      `sha256 ${packed.sha256}`,
      `signed with Ed25519 key ${packed.signature!.publicKey}`,
    ]);
  });

  test('pack fails with every manifest error, or the bundling error', async () => {
    const invalid = await run(['pack', fixture('invalid-plugin')]);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/^The plugin manifest is invalid:\n {2}name: must be 3 to 64 lowercase letters/);
    expect(invalid.err).toContain('engines.agentflow: needs AgentFlow plugin API ^2.0.0, this is 1.0.0');
    const builtin = await run(['pack', fixture('builtin-plugin')]);
    expect(builtin.code).toBe(1);
    expect(builtin.err).toContain('src/main.ts:1:30: "node:fs" is a Node.js built-in module');
    const key = await run(['pack', fixture('echo-plugin'), '--key', 'missing.pem']);
    expect(key).toMatchObject({ code: 1, err: expect.stringContaining('Cannot read the signing key missing.pem') });
  });
});

describe('publish', () => {
  const calls: { authorization: string | null; variables: Record<string, unknown> }[] = [];
  const server = setupServer(
    graphql.link('https://agentflow.test/graphql').mutation('PublishPlugin', ({ request, variables }) => {
      calls.push({ authorization: request.headers.get('authorization'), variables });
      if (request.headers.get('authorization') !== 'Bearer afk_good_key') {
        return HttpResponse.json({ errors: [{ message: 'Invalid or revoked API key', extensions: { code: 'UNAUTHENTICATED' } }] });
      }
      const document = variables.document as PackedPlugin;
      return HttpResponse.json({ data: { publishPlugin: { id: 'UGx1Z2luVmVyc2lvbjox', version: document.manifest.version, sha256: document.sha256, signed: document.signature !== null, sizeBytes: 1234 } } });
    }),
  );
  let file: string;
  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'error' });
    await run(['pack', fixture('echo-plugin'), '--out', 'publish-me.agentflow.json']);
    file = join(work, 'publish-me.agentflow.json');
  });
  afterEach(() => {
    calls.length = 0;
  });
  afterAll(() => server.close());

  test('posts the document to publishPlugin with the API key and prints the version', async () => {
    const { code, out } = await run(['publish', file, '--server', 'https://agentflow.test', '--api-key', 'afk_good_key', '--price-cents', '499']);
    expect(code).toBe(0);
    const packed = JSON.parse(await readFile(file, 'utf8')) as PackedPlugin;
    expect(calls).toEqual([{ authorization: 'Bearer afk_good_key', variables: { document: packed, priceCents: 499 } }]);
    expect(out).toBe(`Published echo-plugin@1.2.3 to https://agentflow.test (unsigned, 1234 bytes)\nsha256 ${packed.sha256}\nversion id UGx1Z2luVmVyc2lvbjox`);
  });

  test('takes the server and key from the environment', async () => {
    const { code } = await run(['publish', file], { AGENTFLOW_SERVER: 'https://agentflow.test/graphql', AGENTFLOW_API_KEY: 'afk_good_key' });
    expect(code).toBe(0);
    expect(calls[0]!.variables.priceCents).toBeUndefined();
  });

  test('prints the server\'s error and exits 1', async () => {
    expect(await run(['publish', file, '--server', 'https://agentflow.test', '--api-key', 'afk_bad']))
      .toEqual({ code: 1, out: '', err: 'Publish failed: Invalid or revoked API key (UNAUTHENTICATED)' });
  });

  test('refuses a changed document before sending it', async () => {
    const packed = JSON.parse(await readFile(file, 'utf8')) as PackedPlugin;
    packed.manifest.permissions.network.push('evil.example.com');
    await writeFile(join(work, 'changed.agentflow.json'), JSON.stringify(packed));
    const { code, err } = await run(['publish', 'changed.agentflow.json', '--server', 'https://agentflow.test', '--api-key', 'afk_good_key']);
    expect(code).toBe(1);
    expect(err).toContain('changed.agentflow.json is not a valid packed plugin: sha256 does not match the manifest and bundle');
    expect(calls).toEqual([]);
  });

  test('says when the server is not an AgentFlow server', async () => {
    server.use(http.post('https://agentflow.test/graphql', () => new HttpResponse('<html>Not found</html>', { status: 404, statusText: 'Not Found' })));
    const { code, err } = await run(['publish', file, '--server', 'https://agentflow.test', '--api-key', 'afk_good_key']);
    expect(code).toBe(1);
    expect(err).toBe('agentflow-plugin publish failed: https://agentflow.test/graphql answered 404 Not Found without a GraphQL response: is it an AgentFlow server?');
  });

  test('needs a file when there is not exactly one packed plugin here', async () => {
    const { code, err } = await run(['publish', '--server', 'https://agentflow.test', '--api-key', 'k']);
    expect(code).toBe(2);
    expect(err).toMatch(/^Several packed plugins here \(.*\): name the one to publish/);
  });
});
