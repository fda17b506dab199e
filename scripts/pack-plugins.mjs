#!/usr/bin/env node
/**
 * Packs every first-party plugin (plugins/<name>/) with plugin-sdk's pack API into
 * plugins/<name>/dist/<name>.agentflow.json, unsigned: the documents the server seeds the
 * marketplace from at start-up.
 *
 *   node scripts/pack-plugins.mjs            write every packed document
 *   node scripts/pack-plugins.mjs --check    write nothing; exit 1 if any is missing or stale
 *   node scripts/pack-plugins.mjs slack http only these plugins
 *
 * A published version is immutable: when a plugin's code or manifest changes, bump its
 * package.json version before packing, or the server refuses the new document.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Packing runs each bundle in isolated-vm (to read its tools), and processes hosting isolates
// need --no-node-snapshot (isolated-vm's README, Node >= 20): start again with it.
if (!process.execArgv.includes('--no-node-snapshot')) {
  const child = spawnSync(process.execPath, ['--no-node-snapshot', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

// plugin-sdk ships TypeScript sources; tsx's loader lets Node import them.
const { register } = await import('tsx/esm/api');
register();
const { packPlugin } = await import('@agentflow/plugin-sdk/pack');

const PLUGINS_DIR = fileURLToPath(new URL('../plugins/', import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));
const say = (line) => process.stdout.write(`${line}\n`);

/** The packed document's path for a plugin directory name. */
const packedPath = (name) => path.join(PLUGINS_DIR, name, 'dist', `${name}.agentflow.json`);

const names = (await readdir(PLUGINS_DIR, { withFileTypes: true }))
  .filter((d) => d.isDirectory() && existsSync(path.join(PLUGINS_DIR, d.name, 'package.json')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
const unknown = only.filter((name) => !names.includes(name));
if (unknown.length) {
  console.error(`No plugin package named ${unknown.join(', ')} in plugins/`);
  process.exit(1);
}

let failures = 0;
for (const name of names) {
  const file = packedPath(name);
  const shown = path.relative(process.cwd(), file);
  try {
    const packed = await packPlugin(path.join(PLUGINS_DIR, name));
    // The marketplace lists it under the manifest's name; the file and the directory say the same.
    if (packed.manifest.name !== name) throw new Error(`its manifest name is "${packed.manifest.name}": the package name (scope stripped) must be the directory name`);
    const text = `${JSON.stringify(packed, null, 2)}\n`;
    const current = existsSync(file) ? await readFile(file, 'utf8') : undefined;
    if (check) {
      if (current !== text) {
        failures++;
        console.error(`${shown} is ${current === undefined ? 'missing' : 'out of date'} (run node scripts/pack-plugins.mjs)`);
      }
      continue;
    }
    if (current === text) {
      say(`${shown} is up to date (${packed.manifest.name}@${packed.manifest.version})`);
      continue;
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    say(`${shown} <- ${packed.manifest.name}@${packed.manifest.version} (${packed.manifest.kind}, sha256 ${packed.sha256.slice(0, 12)}…)`);
  } catch (error) {
    failures++;
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
if (check && failures === 0) say(`${names.length} packed plugins are up to date`);
process.exitCode = failures ? 1 : 0;
