import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { createIsolateHost } from '../src/host/isolate-host.ts';
import {
  BundleError, ManifestError, bundlePlugin, buildManifest, canonicalJson, digestOf, generateSigningKeyPair, packPlugin,
  packedFileName, signDigest, verifyPacked,
} from '../src/pack.ts';
import type { PackedPlugin } from '../src/types.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));

describe('canonicalJson and digestOf', () => {
  test('sorts keys at every depth, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }, 'x'], u: undefined, n: null })).toBe('{"a":[{"c":3,"d":2},"x"],"b":1,"n":null}');
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
  });

  test('the digest is sha256 of the canonical manifest, a newline and the bundle, whatever the key order', async () => {
    const { manifest, bundle } = await packPlugin(fixture('echo-plugin'));
    const expected = createHash('sha256').update(`${canonicalJson(manifest)}\n${bundle}`).digest('hex');
    expect(digestOf(manifest, bundle)).toBe(expected);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(manifest).toReversed())));
    expect(digestOf(reordered, bundle)).toBe(expected);
  });
});

describe('bundlePlugin', () => {
  test('makes one IIFE script assigning AgentFlowPlugin, with the SDK inlined and no imports left', async () => {
    const bundle = await bundlePlugin(fixture('echo-plugin'));
    expect(bundle).toMatch(/^"use strict";\nvar AgentFlowPlugin = \(\(\) => \{/);
    expect(bundle).toContain('definePlugin');
    expect(bundle).not.toMatch(/\bimport\s*[({'"]|\brequire\(/);
  });

  test('refuses a plugin that imports a Node.js built-in, naming the file and line', async () => {
    const failure = await bundlePlugin(fixture('builtin-plugin')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BundleError);
    expect((failure as Error).message).toBe('Could not bundle src/main.ts:\n'
      + '  src/main.ts:1:30: "node:fs" is a Node.js built-in module, and plugins run in the AgentFlow sandbox, which has no Node.js APIs (use ctx.fetch for HTTP)');
  });

  test('refuses a bare built-in name that no npm package provides, and bundles one that a polyfill does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agentflow-builtin-'));
    try {
      await mkdir(join(dir, 'src'));
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'bare-fs', version: '0.1.0' }));
      await writeFile(join(dir, 'src/index.ts'), "import { readFileSync } from 'fs';\nexport default { tools: [], readFileSync };\n");
      await expect(bundlePlugin(dir)).rejects.toThrow('src/index.ts:1:30: "fs" is a Node.js built-in module');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const packed = await packPlugin(fixture('polyfill-plugin'));
    const host = createIsolateHost();
    try {
      const result = await host.call({ codeKey: packed.sha256, bundle: packed.bundle, tool: 'to_hex', input: { text: 'hi' } }, { fetch: () => Promise.reject(new Error('no network')) });
      expect(result).toMatchObject({ ok: true, output: { hex: '6869' } });
    } finally {
      await host.close();
    }
  });

  test('says what is missing when there is no package.json or entry', async () => {
    await expect(bundlePlugin(fixture('nowhere'))).rejects.toThrow(/^No package\.json in .*nowhere \(create a plugin with "agentflow-plugin init <dir>"\)$/);
    await expect(bundlePlugin(fixture('no-entry'))).rejects.toThrow(/^The plugin's entry src\/index\.ts does not exist in .*no-entry \(set "agentflow\.entry" in package\.json\)$/);
  });
});

describe('buildManifest and packPlugin', () => {
  let packed: PackedPlugin;
  beforeAll(async () => {
    packed = await packPlugin(fixture('echo-plugin'));
  });

  test('builds the manifest from package.json and what the bundle defines', () => {
    expect(packed.format).toBe('agentflow-plugin@1');
    expect(packed.manifest).toEqual({
      name: 'echo-plugin',
      version: '1.2.3',
      kind: 'plugin',
      title: 'Echo',
      description: 'Echoes and calls a test API',
      categories: ['testing'],
      engines: { agentflow: '^1.0.0' },
      permissions: { network: ['api.example.com', '*.example.org'], secrets: ['apiKey'] },
      tools: [
        {
          name: 'echo', title: 'Echo', description: 'Returns its input',
          inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
          outputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
        },
        { name: 'call_api', description: 'GETs a URL with the API key and returns the response', inputSchema: expect.objectContaining({ type: 'object' }) },
        { name: 'reveal_secret', description: 'Returns what ctx.secret gives the plugin', inputSchema: { type: 'object' } },
      ],
      integration: { title: 'Example API', auth: { type: 'apiKey', fields: [{ name: 'apiKey', label: 'API key' }] } },
    });
    expect(packed.sha256).toBe(digestOf(packed.manifest, packed.bundle));
    expect(packed.signature).toBeNull();
    expect(packedFileName(packed.manifest)).toBe('echo-plugin-1.2.3.agentflow.json');
    expect(verifyPacked(packed)).toEqual({ ok: true, packed });
  });

  test('a template is data only: its packed bundle is empty', async () => {
    const template = await packPlugin(fixture('agent-template'), { changelog: 'First version' });
    expect(template.bundle).toBe('');
    expect(template.manifest).toMatchObject({
      name: 'sales-helper', kind: 'agent_template', tools: [], changelog: 'First version',
      agentTemplate: { name: 'Sales helper', model: 'simulated', tools: ['current_time'] },
    });
    expect(verifyPacked(template)).toMatchObject({ ok: true });
  });

  test('an invalid plugin fails with every manifest error', async () => {
    const failure = await buildManifest(fixture('invalid-plugin'), await bundlePlugin(fixture('invalid-plugin'))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManifestError);
    expect((failure as ManifestError).errors).toEqual([
      'name: must be 3 to 64 lowercase letters, digits or dashes, starting with a letter and not ending with a dash (got "Invalid_Plugin")',
      'version: must be a strict semver version such as 1.2.3 or 2.0.0-beta.1 (got "1.0")',
      'permissions.network[0]: must be a lowercase hostname such as api.example.com, a wildcard such as *.example.com, or * for any public host (no scheme, port, path or IP address) (got "https://api.example.com/v1")',
      'tools[0].name: must be 1 to 48 lowercase letters, digits or single underscores, starting with a letter (got "Lookup")',
      'tools[1].inputSchema.type: must be "object" (a tool\'s input is an object of named arguments) (got "string")',
      'engines.agentflow: needs AgentFlow plugin API ^2.0.0, this is 1.0.0',
    ]);
    expect((failure as Error).message).toMatch(/^The plugin manifest is invalid:\n {2}name: /);
  });
});

describe('signing and verifyPacked', () => {
  const keys = generateSigningKeyPair();
  let signed: PackedPlugin;
  beforeAll(async () => {
    signed = await packPlugin(fixture('echo-plugin'), { signingKey: keys.privateKeyPem });
  });
  const tampered = (change: (doc: PackedPlugin) => void): PackedPlugin => {
    const doc = structuredClone(signed);
    change(doc);
    return doc;
  };

  test('signs the digest with the Ed25519 key and verifies', () => {
    expect(signed.signature).toEqual({ algorithm: 'ed25519', publicKey: keys.publicKey, value: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/) });
    expect(verifyPacked(signed)).toMatchObject({ ok: true });
    expect(signDigest(signed.sha256, keys.privateKeyPem)).toEqual(signed.signature);
  });

  test.each<[string, (doc: PackedPlugin) => void, string]>([
    ['a changed manifest', (d) => { d.manifest.permissions.network.push('evil.example.com'); }, 'sha256 does not match the manifest and bundle: the document was changed after packing'],
    ['a changed bundle', (d) => { d.bundle = d.bundle.replace('({ text })', '({ text: "pwned" })'); }, 'sha256 does not match the manifest and bundle'],
    ['a re-hashed document with the old signature', (d) => { d.bundle += '\n// more'; d.sha256 = digestOf(d.manifest, d.bundle); }, 'signature: does not verify against the sha256 with its public key'],
    ['a signature by another key', (d) => { d.signature = signDigest(d.sha256, generateSigningKeyPair().privateKeyPem); d.signature.publicKey = keys.publicKey; }, 'signature: does not verify'],
    ['a changed signature value', (d) => { d.signature!.value = Buffer.alloc(64, 1).toString('base64'); }, 'signature: does not verify'],
    ['a public key that is not a key', (d) => { d.signature!.publicKey = 'bm90IGEga2V5'; }, 'signature.publicKey: is not a base64 SPKI public key'],
    ['another signature algorithm', (d) => { (d.signature as { algorithm: string }).algorithm = 'rsa'; }, 'signature.algorithm: must be "ed25519"'],
    ['another format', (d) => { (d as { format: string }).format = 'agentflow-plugin@2'; }, 'format: must be "agentflow-plugin@1" (got "agentflow-plugin@2")'],
    ['a sha256 that is not hex', (d) => { d.sha256 = 'abc'; }, 'sha256: must be 64 lowercase hex characters'],
    ['an invalid manifest', (d) => { d.manifest.name = 'Nope!'; }, 'manifest is invalid: name: must be 3 to 64 lowercase letters'],
    ['a plugin without its code', (d) => { d.bundle = ''; }, 'bundle: a plugin needs its bundled code'],
    ['a missing bundle', (d) => { delete (d as Partial<PackedPlugin>).bundle; }, 'bundle: must be a string'],
  ])('refuses %s', (_what, change, error) => {
    const result = verifyPacked(tampered(change));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(error);
  });

  test('refuses a template carrying code, and what is not a document', async () => {
    const template = await packPlugin(fixture('agent-template'));
    template.bundle = 'var AgentFlowPlugin = {}';
    template.sha256 = digestOf(template.manifest, template.bundle);
    expect(verifyPacked(template)).toEqual({ ok: false, error: 'bundle: must be empty for a template (agent_template): templates are data only' });
    expect(verifyPacked('{}')).toEqual({ ok: false, error: 'A packed plugin must be a JSON object' });
  });

  test('signDigest refuses keys that are not Ed25519 private keys', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => signDigest(signed.sha256, rsa)).toThrow('The signing key must be an Ed25519 private key (make one with "agentflow-plugin keygen"), not rsa');
    expect(() => signDigest(signed.sha256, 'not a pem')).toThrow(/^The signing key is not a PEM private key/);
  });
});
