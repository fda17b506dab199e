import { fileURLToPath } from 'node:url';
import { createIsolateHost } from '../host/isolate-host.ts';
import { createSecretTag } from '../host/secret-tag.ts';
import type { SandboxLimits, SandboxResult } from '../host/types.ts';
import { validateManifest } from '../manifest.ts';
import { ManifestError, digestOf, packPlugin } from '../pack.ts';
import type { Json, PluginManifest, ToolManifest } from '../types.ts';
import { createTestFetchBridge } from './fetch-bridge.ts';

export interface TestHostOptions {
  /** The plugin package to pack and run (the current directory by default). */
  dir?: string | URL;
  /** Or an already built plugin: both `bundle` and `manifest`, as in a packed document. */
  bundle?: string;
  manifest?: PluginManifest;
  /** Values for the secrets the manifest declares; the tool only ever sees placeholders. */
  secrets?: Record<string, string>;
  /** Performs the bridged requests; the global `fetch` by default, which msw intercepts. */
  fetch?: typeof globalThis.fetch;
  /** Per-call sandbox limits, as the server would apply them. */
  limits?: Partial<SandboxLimits>;
}

export interface TestHost {
  manifest: PluginManifest;
  tools: ToolManifest[];
  /** Runs a tool in the sandbox: input and output are validated against its schemas. */
  call(tool: string, input: Json): Promise<SandboxResult>;
  close(): Promise<void>;
}

/**
 * Packs the plugin and runs its tools in the same isolated-vm host the server's sandbox
 * processes run, with the manifest's rules on `ctx.fetch`: only declared hosts, secrets put in
 * by the host and scrubbed from responses. Requests go out through the global `fetch`, so mock
 * them with msw. The test process needs `--no-node-snapshot` (vitest: `pool: 'forks'`,
 * `execArgv: ['--no-node-snapshot']`).
 *
 * @example
 * const api = setupServer(http.get('https://api.github.com/repos/:owner/:repo', () => HttpResponse.json({ full_name: 'a/b' })));
 * api.listen({ onUnhandledRequest: 'error' });
 * const host = await createTestHost({ dir: fileURLToPath(new URL('..', import.meta.url)), secrets: { token: 'test-token' } });
 * const result = await host.call('get_repository', { owner: 'a', repo: 'b' });
 * expect(result).toMatchObject({ ok: true, output: { fullName: 'a/b' } });
 * await host.close();
 */
export async function createTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const { bundle, manifest } = await load(options);
  const undeclared = Object.keys(options.secrets ?? {}).filter((name) => !manifest.permissions.secrets.includes(name));
  if (undeclared.length) {
    throw new Error(`createTestHost: secrets ${undeclared.join(', ')} are not declared in the manifest's permissions.secrets (${manifest.permissions.secrets.join(', ') || 'none'})`);
  }
  const runner = createIsolateHost();
  const codeKey = digestOf(manifest, bundle);
  return {
    manifest,
    tools: manifest.tools,
    call(tool, input) {
      const found = manifest.tools.find((t) => t.name === tool);
      // As on the server: a fresh tag per call, shared by its ctx.secret and its bridge only.
      const secretTag = createSecretTag();
      const bridges = { fetch: createTestFetchBridge({ manifest, secrets: options.secrets, fetch: options.fetch, secretTag }) };
      return runner.call({
        codeKey,
        bundle,
        tool,
        input,
        secretTag,
        ...(found ? { inputSchema: found.inputSchema } : {}),
        ...(found?.outputSchema ? { outputSchema: found.outputSchema } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
      }, bridges);
    },
    close: () => runner.close(),
  };
}

async function load(options: TestHostOptions): Promise<{ bundle: string; manifest: PluginManifest }> {
  if (options.bundle !== undefined || options.manifest !== undefined) {
    if (options.bundle === undefined || options.manifest === undefined) throw new Error('createTestHost: pass both bundle and manifest, or a dir');
    const checked = validateManifest(options.manifest);
    if (!checked.ok) throw new ManifestError(checked.errors);
    return { bundle: options.bundle, manifest: checked.manifest };
  }
  const dir = options.dir instanceof URL ? fileURLToPath(options.dir) : options.dir ?? process.cwd();
  const packed = await packPlugin(dir);
  if (packed.manifest.kind !== 'plugin') throw new Error(`createTestHost runs tools; ${packed.manifest.name} is a ${packed.manifest.kind}`);
  return { bundle: packed.bundle, manifest: packed.manifest };
}
