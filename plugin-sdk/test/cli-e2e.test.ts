import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { verifyPacked } from '../src/pack.ts';
import type { PackedPlugin } from '../src/types.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/agentflow-plugin.mjs', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

// The scaffold lives under plugin-sdk/test/tmp, so its imports of @agentflow/plugin-sdk, vitest
// and msw resolve through the repository's node_modules, as they would after `npm install`.
const tmpRoot = fileURLToPath(new URL('./tmp/', import.meta.url));
let workDir: string;
let pluginDir: string;

// The outer vitest's variables would make the inner one think it is a worker of this run.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'TEST'));

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  await mkdir(tmpRoot, { recursive: true });
  workDir = await mkdtemp(join(tmpRoot, 'e2e-'));
  pluginDir = join(workDir, 'github-repos');
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  // Only when empty: another run may be using it.
  await rmdir(tmpRoot).catch(() => undefined);
});

test('init -> test -> pack: the scaffold typechecks, its own test passes in the sandbox, and it packs', { timeout: 180_000 }, async () => {
  const init = await cli(['init', 'github-repos', '--title', 'GitHub repositories'], workDir);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  expect(init.stdout).toContain('Created plugin github-repos in github-repos: .gitignore, README.md, package.json, src/index.test.ts, src/index.ts, tsconfig.json, vitest.config.ts');
  const pkg = JSON.parse(await readFile(join(pluginDir, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  expect(pkg.agentflow).toMatchObject({ kind: 'plugin', title: 'GitHub repositories', engines: { agentflow: '^1.0.0' }, permissions: { network: ['api.github.com'], secrets: ['token'] } });
  expect(pkg.devDependencies).toMatchObject({ '@agentflow/plugin-sdk': '^0.1.0', vitest: expect.any(String), msw: expect.any(String) });

  await expect(run(process.execPath, [tsc, '-p', pluginDir], { env })).resolves.toMatchObject({ stdout: '' });

  const tested = await cli(['test'], pluginDir);
  expect(tested.code, tested.stdout + tested.stderr).toBe(0);
  expect(tested.stdout).toMatch(/Tests\s+.*3 passed/);

  const packed = await cli(['pack'], pluginDir);
  expect(packed.code, packed.stderr).toBe(0);
  expect(await readdir(pluginDir)).toContain('github-repos-0.1.0.agentflow.json');
  const doc = JSON.parse(await readFile(join(pluginDir, 'github-repos-0.1.0.agentflow.json'), 'utf8')) as PackedPlugin;
  expect(verifyPacked(doc)).toMatchObject({ ok: true });
  expect(doc.manifest).toMatchObject({ name: 'github-repos', version: '0.1.0', tools: [{ name: 'get_repository' }], integration: { title: 'GitHub' } });
  expect(packed.stdout).toContain(`sha256 ${doc.sha256}`);
});

test('a failing plugin test fails `agentflow-plugin test` with a non-zero exit', { timeout: 120_000 }, async () => {
  const dir = join(workDir, 'failing');
  expect((await cli(['init', 'failing', '--name', 'failing-plugin'], workDir)).code).toBe(0);
  const source = join(dir, 'src/index.ts');
  const original = await readFile(source, 'utf8');
  expect(original).toContain("`Bearer ${ctx.secret('token')}`");
  await writeFile(source, original.replace("`Bearer ${ctx.secret('token')}`", "'Bearer wrong'"));
  const tested = await cli(['test'], dir);
  expect(tested.code).toBe(1);
  expect(tested.stdout + tested.stderr).toMatch(/GitHub answered 401/);
});
