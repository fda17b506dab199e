import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { PLUGIN_API_VERSION } from '../types.ts';
import { UsageError, type CliIo } from './io.ts';

const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/plugin/', import.meta.url));
const NAME = /^[a-z][a-z0-9-]{1,62}[a-z0-9]$/;

/** Files whose template name differs from the file they become (npm drops `.gitignore` from packages). */
const RENAMED: Record<string, string> = { 'gitignore.tmpl': '.gitignore' };

/**
 * Scaffolds a plugin package: package.json with its `agentflow` manifest key, one tool, a test
 * that passes against msw, vitest set up for the sandbox, and a README.
 */
export async function init(io: CliIo, options: { dir: string; name?: string; title?: string; force?: boolean }): Promise<number> {
  const target = resolve(io.cwd, options.dir);
  const name = options.name ?? basename(target);
  if (!NAME.test(name)) {
    throw new UsageError(`"${name}" is not a valid plugin name: 3 to 64 lowercase letters, digits or dashes, starting with a letter (pass --name)`);
  }
  if (existsSync(target) && (await readdir(target)).length > 0 && !options.force) {
    throw new UsageError(`${target} is not empty (pass --force to write into it anyway)`);
  }
  const sdkPackage = JSON.parse(await readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  const values: Record<string, string> = {
    __PLUGIN_NAME__: name,
    __PLUGIN_TITLE__: options.title ?? name.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' '),
    __SDK_VERSION__: sdkPackage.version,
    __API_RANGE__: `^${semver.major(PLUGIN_API_VERSION)}.0.0`,
  };
  const written: string[] = [];
  for (const file of await templateFiles(TEMPLATE_DIR)) {
    const base = RENAMED[basename(file)] ?? basename(file).replace(/\.tmpl$/, '');
    const destination = join(target, dirname(file), base);
    const text = (await readFile(join(TEMPLATE_DIR, file), 'utf8')).replace(/__[A-Z_]+__/g, (token) => values[token] ?? token);
    await mkdir(dirname(destination), { recursive: true });
    await writeFile(destination, text);
    written.push(relative(target, destination));
  }
  const shown = relative(io.cwd, target) || '.';
  io.stdout(`Created plugin ${name} in ${shown}: ${written.sort().join(', ')}`);
  io.stdout('');
  io.stdout('Next:');
  if (shown !== '.') io.stdout(`  cd ${shown}`);
  io.stdout('  npm install');
  io.stdout('  npx agentflow-plugin test     # runs src/index.test.ts in the sandbox host');
  io.stdout('  npx agentflow-plugin pack     # writes the packed plugin to publish');
  return 0;
}

async function templateFiles(root: string, sub = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(root, sub), { withFileTypes: true })) {
    const path = join(sub, entry.name);
    if (entry.isDirectory()) files.push(...await templateFiles(root, path));
    else files.push(path);
  }
  return files;
}
