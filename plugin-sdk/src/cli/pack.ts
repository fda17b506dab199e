import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { packPlugin, packedFileName } from '../pack.ts';
import type { CliIo } from './io.ts';

/** Packs the plugin in `dir` into `<name>-<version>.agentflow.json` (in `dir` unless `--out`). */
export async function pack(io: CliIo, options: { dir?: string; out?: string; key?: string; changelog?: string }): Promise<number> {
  const dir = resolve(io.cwd, options.dir ?? '.');
  let signingKey: string | undefined;
  if (options.key) {
    try {
      signingKey = await readFile(resolve(io.cwd, options.key), 'utf8');
    } catch (error) {
      throw new Error(`Cannot read the signing key ${options.key}: ${(error as Error).message}`, { cause: error });
    }
  }
  const packed = await packPlugin(dir, { ...(signingKey ? { signingKey } : {}), ...(options.changelog ? { changelog: options.changelog } : {}) });
  const out = resolve(io.cwd, options.out ?? resolve(dir, packedFileName(packed.manifest)));
  const text = `${JSON.stringify(packed, null, 2)}\n`;
  await writeFile(out, text);
  const { name, version, kind, tools } = packed.manifest;
  io.stdout(`Packed ${name}@${version} (${kind}, ${tools.length} tool${tools.length === 1 ? '' : 's'}) -> ${relative(io.cwd, out) || out} (${(Buffer.byteLength(text) / 1024).toFixed(1)} kB)`);
  io.stdout(`sha256 ${packed.sha256}`);
  io.stdout(packed.signature
    ? `signed with Ed25519 key ${packed.signature.publicKey}`
    : 'unsigned (sign with --key <private.pem>; make a key pair with "agentflow-plugin keygen")');
  return 0;
}
