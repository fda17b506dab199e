import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { validateManifest } from './manifest.ts';
import type { PackedPlugin, PluginManifest } from './types.ts';

// Checking a packed document needs no bundler and no sandbox: the server imports only this.

export const PACKED_FORMAT = 'agentflow-plugin@1';

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no whitespace, so the
 * same manifest always hashes the same, whatever order its keys were written or stored in.
 *
 * @example
 * canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }); // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined || typeof v === 'function' ? null : v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined && typeof (value as Record<string, unknown>)[k] !== 'function')
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The hex sha256 a packed plugin carries: of `canonicalJson(manifest) + "\n" + bundle`.
 *
 * @example
 * const sha256 = digestOf(packed.manifest, packed.bundle);
 */
export function digestOf(manifest: PluginManifest, bundle: string): string {
  return createHash('sha256').update(`${canonicalJson(manifest)}\n${bundle}`, 'utf8').digest('hex');
}

export type PackedVerification = { ok: true; packed: PackedPlugin } | { ok: false; error: string };

/**
 * Checks a packed plugin as received: its format, a valid manifest, a bundle that fits its kind,
 * a sha256 that matches the manifest and bundle, and, when signed, an Ed25519 signature of that
 * digest by the key it names. (Whether that key is the publisher's pinned one is the
 * marketplace's check.)
 *
 * @example
 * const verified = verifyPacked(JSON.parse(await readFile(file, 'utf8')));
 * if (!verified.ok) throw new Error(verified.error);
 */
export function verifyPacked(doc: unknown): PackedVerification {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, error: 'A packed plugin must be a JSON object' };
  const d = doc as Record<string, unknown>;
  if (d.format !== PACKED_FORMAT) return { ok: false, error: `format: must be "${PACKED_FORMAT}" (got ${JSON.stringify(d.format) ?? 'nothing'})` };
  if (typeof d.bundle !== 'string') return { ok: false, error: 'bundle: must be a string' };
  if (typeof d.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(d.sha256)) return { ok: false, error: 'sha256: must be 64 lowercase hex characters' };
  const manifest = validateManifest(d.manifest);
  if (!manifest.ok) return { ok: false, error: `manifest is invalid: ${manifest.errors.join('; ')}` };
  const { kind } = manifest.manifest;
  if (kind === 'plugin' && !d.bundle.trim()) return { ok: false, error: 'bundle: a plugin needs its bundled code' };
  if (kind !== 'plugin' && d.bundle !== '') return { ok: false, error: `bundle: must be empty for a template (${kind}): templates are data only` };
  if (digestOf(manifest.manifest, d.bundle) !== d.sha256) {
    return { ok: false, error: 'sha256 does not match the manifest and bundle: the document was changed after packing' };
  }
  const signature = d.signature ?? null;
  if (signature !== null) {
    const problem = signatureProblem(signature, d.sha256);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, packed: { ...(d as unknown as PackedPlugin), signature: signature as PackedPlugin['signature'] } };
}

function signatureProblem(signature: unknown, sha256: string): string | undefined {
  const s = signature as Partial<Record<'algorithm' | 'publicKey' | 'value', unknown>>;
  if (typeof signature !== 'object' || s.algorithm !== 'ed25519') return 'signature.algorithm: must be "ed25519"';
  if (typeof s.publicKey !== 'string' || typeof s.value !== 'string') return 'signature: needs a base64 publicKey and value';
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(s.publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return 'signature.publicKey: is not a base64 SPKI public key';
  }
  if (key.asymmetricKeyType !== 'ed25519') return 'signature.publicKey: is not an Ed25519 key';
  if (!verify(null, Buffer.from(sha256, 'hex'), key, Buffer.from(s.value, 'base64'))) {
    return 'signature: does not verify against the sha256 with its public key';
  }
  return undefined;
}
