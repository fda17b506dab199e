import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { bundlePlugin, readPluginPackage } from './bundle.ts';
import { describeBundle } from './host/isolate-host.ts';
import { validateManifest } from './manifest.ts';
import { digestOf, PACKED_FORMAT } from './verify.ts';
import type { PackedPlugin, PluginManifest, ToolManifest } from './types.ts';

export { bundlePlugin, BundleError, readPluginPackage, type PluginPackageJson } from './bundle.ts';
export { canonicalJson, digestOf, PACKED_FORMAT, verifyPacked, type PackedVerification } from './verify.ts';

/**
 * The manifest did not validate; `errors` lists every problem with its path.
 *
 * @example
 * try { await packPlugin(dir); } catch (error) {
 *   if (error instanceof ManifestError) for (const line of error.errors) console.error(line);
 * }
 */
export class ManifestError extends Error {
  override name = 'ManifestError';
  constructor(readonly errors: string[]) {
    super(`The plugin manifest is invalid:\n${errors.map((e) => `  ${e}`).join('\n')}`);
  }
}

/**
 * Signs a digest (hex, from {@link digestOf}) with an Ed25519 private key in PEM, as made by
 * `agentflow-plugin keygen`. The signature covers the 32 digest bytes.
 *
 * @example
 * const signature = signDigest(digestOf(manifest, bundle), await readFile('agentflow-signing.key.pem', 'utf8'));
 * // { algorithm: 'ed25519', publicKey: 'MCowBQYDK2VwAyEA...', value: '...' }
 */
export function signDigest(digest: string, privateKeyPem: string): NonNullable<PackedPlugin['signature']> {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new Error(`The signing key is not a PEM private key: ${(error as Error).message}`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`The signing key must be an Ed25519 private key (make one with "agentflow-plugin keygen"), not ${key.asymmetricKeyType}`);
  }
  return {
    algorithm: 'ed25519',
    publicKey: createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'),
    value: sign(null, Buffer.from(digest, 'hex'), key).toString('base64'),
  };
}

/**
 * A new Ed25519 key pair for signing packed plugins. Keep the private key out of the plugin's
 * repository; the marketplace pins `publicKey` at the first signed publish.
 *
 * @example
 * const { privateKeyPem, publicKeyPem, publicKey } = generateSigningKeyPair();
 */
export function generateSigningKeyPair(): { privateKeyPem: string; publicKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/**
 * The manifest of a plugin package: name (scope stripped), version and description from
 * package.json, kind, title, categories, engines and permissions from its `agentflow` key, and
 * the tools, integration and templates the bundle defines. Throws {@link ManifestError} with
 * every problem when it does not validate.
 *
 * @example
 * const manifest = await buildManifest('./my-plugin', await bundlePlugin('./my-plugin'));
 */
export async function buildManifest(dir: string, bundle: string, options: { changelog?: string } = {}): Promise<PluginManifest> {
  const pkg = await readPluginPackage(dir);
  const meta = pkg.agentflow ?? {};
  const defined = (await describeBundle(bundle)) as unknown as Partial<Pick<PluginManifest, 'integration' | 'agentTemplate' | 'workflowTemplate'>> & { tools?: Partial<ToolManifest>[] };
  const manifest = dropUndefined({
    name: typeof pkg.name === 'string' ? pkg.name.replace(/^@[^/]+\//, '') : pkg.name,
    version: pkg.version,
    kind: meta.kind ?? 'plugin',
    title: meta.title,
    description: meta.description ?? pkg.description,
    categories: meta.categories,
    engines: meta.engines,
    permissions: { network: meta.permissions?.network ?? [], secrets: meta.permissions?.secrets ?? [] },
    tools: (defined.tools ?? []).map((t) => dropUndefined({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema })),
    integration: defined.integration,
    agentTemplate: defined.agentTemplate,
    workflowTemplate: defined.workflowTemplate,
    changelog: options.changelog ?? meta.changelog,
  });
  const result = validateManifest(manifest);
  if (!result.ok) throw new ManifestError(result.errors);
  return result.manifest;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Bundles, describes, validates, hashes and (with a key) signs a plugin package into the one
 * document the marketplace accepts. Templates carry an empty bundle: they are data only.
 *
 * @example
 * const packed = await packPlugin('./my-plugin', { signingKey: await readFile('agentflow-signing.key.pem', 'utf8') });
 * await writeFile(`${packed.manifest.name}-${packed.manifest.version}.agentflow.json`, JSON.stringify(packed));
 */
export async function packPlugin(dir: string, options: { signingKey?: string; changelog?: string } = {}): Promise<PackedPlugin> {
  const built = await bundlePlugin(dir);
  const manifest = await buildManifest(dir, built, options);
  const bundle = manifest.kind === 'plugin' ? built : '';
  const sha256 = digestOf(manifest, bundle);
  return { format: PACKED_FORMAT, manifest, bundle, sha256, signature: options.signingKey ? signDigest(sha256, options.signingKey) : null };
}

/**
 * Where `agentflow-plugin pack` writes a packed plugin: `<name>-<version>.agentflow.json`.
 *
 * @example
 * packedFileName({ name: 'github-repos', version: '1.0.0' }); // 'github-repos-1.0.0.agentflow.json'
 */
export function packedFileName(manifest: Pick<PluginManifest, 'name' | 'version'>): string {
  return `${manifest.name}-${manifest.version}.agentflow.json`;
}

