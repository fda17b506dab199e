import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { CliIo } from './io.ts';

/**
 * Runs the plugin's own vitest (the SDK's when the plugin has none) in the plugin directory,
 * with `--no-node-snapshot`: the test host runs isolated-vm in-process, which needs the flag.
 * The plugin's vitest.config.ts passes it on to the test workers (`execArgv`).
 */
export async function runTests(io: CliIo, options: { dir?: string; vitestArgs: string[]; stdio?: 'inherit' | 'pipe' }): Promise<number> {
  const dir = resolve(io.cwd, options.dir ?? '.');
  if (!existsSync(join(dir, 'package.json'))) throw new Error(`No package.json in ${dir}: is it a plugin package?`);
  const bin = vitestBin(dir);
  const child = spawn(process.execPath, ['--no-node-snapshot', bin, 'run', ...options.vitestArgs], {
    cwd: dir,
    env: io.env,
    stdio: options.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  child.stdout?.on('data', (chunk: Buffer) => io.stdout(chunk.toString().replace(/\n$/, '')));
  child.stderr?.on('data', (chunk: Buffer) => io.stderr(chunk.toString().replace(/\n$/, '')));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

function vitestBin(dir: string): string {
  for (const from of [join(dir, 'package.json'), import.meta.url]) {
    try {
      const manifest = createRequire(from).resolve('vitest/package.json');
      const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | Record<string, string> };
      return join(dirname(manifest), typeof bin === 'string' ? bin : bin.vitest!);
    } catch {
      // not installed there; try the next place
    }
  }
  throw new Error('vitest is not installed: npm install --save-dev vitest');
}
