import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { generateSigningKeyPair } from '../pack.ts';
import { UsageError, type CliIo } from './io.ts';

/** Writes an Ed25519 key pair (PEM) for signing packed plugins; never overwrites one silently. */
export async function keygen(io: CliIo, options: { outDir?: string; name?: string; force?: boolean }): Promise<number> {
  const dir = resolve(io.cwd, options.outDir ?? '.');
  const base = options.name ?? 'agentflow-signing';
  const privatePath = join(dir, `${base}.key.pem`);
  const publicPath = join(dir, `${base}.pub.pem`);
  if (!options.force && (existsSync(privatePath) || existsSync(publicPath))) {
    throw new UsageError(`${relative(io.cwd, privatePath)} already exists: losing a signing key locks you out of your listings, so pass --force to replace it`);
  }
  const keys = generateSigningKeyPair();
  await mkdir(dir, { recursive: true });
  await writeFile(privatePath, keys.privateKeyPem, { mode: 0o600 });
  await writeFile(publicPath, keys.publicKeyPem);
  io.stdout(`Private key: ${relative(io.cwd, privatePath)} (keep it secret and out of the plugin's repository)`);
  io.stdout(`Public key:  ${relative(io.cwd, publicPath)}`);
  io.stdout(`Sign with:   agentflow-plugin pack --key ${relative(io.cwd, privatePath)}`);
  io.stdout(`The marketplace pins this public key at your first signed publish: ${keys.publicKey}`);
  return 0;
}
