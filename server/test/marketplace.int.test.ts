import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { PackedPlugin, PluginManifest } from '@agentflow/plugin-sdk';
import { digestOf, generateSigningKeyPair, signDigest } from '@agentflow/plugin-sdk/pack';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../src/graphql/ids.ts';
import { createLogger } from '../src/lib/logger.ts';
import { syncFirstPartyCatalog } from '../src/modules/marketplace/catalog-sync.ts';
import { checkDocument, publishVersion } from '../src/modules/marketplace/publish.service.ts';
import { errorCode, gql, ok, registerAccount, startTestServer, testDatabase, type Account, type Auth, type GqlResult, type TestServer } from './helpers.ts';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  db = await testDatabase();
  server = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '100000' });
});
afterAll(async () => { await server?.stop(); await db?.drop(); });

// ---------------------------------------------------------------------------------------------
// Packed documents, built here as `agentflow-plugin pack` builds them.

const keyA = generateSigningKeyPair();
const keyB = generateSigningKeyPair();
const BUNDLE = 'var AgentFlowPlugin = { default: { tools: [{ name: "echo", run: async (input) => input }] } };';
/** A fresh name of lowercase letters (digits would tokenize differently in full-text search). */
const letters = () => [...randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
const unique = (label: string) => `${label}-${letters()}`;

function manifest(name: string, version: string, over: Partial<PluginManifest> = {}): PluginManifest {
  return {
    name, version, kind: 'plugin', title: `Plugin ${name}`, description: `The ${name} plugin`, categories: ['testing'],
    engines: { agentflow: '^1.0.0' }, permissions: { network: ['api.example.com'], secrets: [] },
    tools: [{ name: 'echo', title: 'Echo', description: 'Echoes its input', inputSchema: { type: 'object' } }], ...over,
  };
}

function pack(m: PluginManifest, opts: { bundle?: string; key?: { privateKeyPem: string } } = {}): PackedPlugin {
  const bundle = opts.bundle ?? (m.kind === 'plugin' ? BUNDLE : '');
  const sha256 = digestOf(m, bundle);
  return { format: 'agentflow-plugin@1', manifest: m, bundle, sha256, signature: opts.key ? signDigest(sha256, opts.key.privateKeyPem) : null };
}

const auth = (a: Account): Auth => ({ token: a.token, org: a.orgId });
const orgUuid = (a: Account) => fromGlobalId(a.orgId, 'Organization');

const VERSION_FIELDS = 'id version changelog sha256 sizeBytes signed permissions { network secrets } tools { id name title plugin description } integration createdAt';
const PUBLISH = `mutation($input: PublishPluginInput!) { publishPlugin(input: $input) { ${VERSION_FIELDS} } }`;
const LISTING = `query($name: String!) { marketplaceListing(name: $name) {
  id name kind title description categories priceCents installable featured firstParty private publisherName installCount ratingAverage ratingCount canReview
  latestVersion { version changelog } versions { version }
  reviews { rating body authorName organizationName }
  installation { id version { version } pendingVersion { version } addedPermissions }
} }`;
const LISTINGS = `query($search: String, $kind: PluginKind, $category: String, $featured: Boolean, $first: Int, $after: String, $last: Int, $before: String) {
  marketplaceListings(search: $search, kind: $kind, category: $category, featured: $featured, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name kind installCount featured } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  } }`;
const INSTALLATION_FIELDS = 'id version { version } pendingVersion { version } addedPermissions listing { name installCount }';
const INSTALL = `mutation($input: InstallPluginInput!) { installPlugin(input: $input) { ${INSTALLATION_FIELDS} } }`;
const UPGRADE = `mutation($input: UpgradePluginInput!) { upgradePlugin(input: $input) { ${INSTALLATION_FIELDS} } }`;
const APPROVE = `mutation($id: ID!) { approvePluginUpgrade(installationId: $id) { ${INSTALLATION_FIELDS} } }`;
const UNINSTALL = 'mutation($id: ID!) { uninstallPlugin(installationId: $id) }';
const REVIEW = 'mutation($input: ReviewPluginInput!) { reviewPlugin(input: $input) { id rating body authorName organizationName createdAt } }';
const INSTALL_TEMPLATE = `mutation($input: InstallTemplateInput!) { installTemplate(input: $input) {
  installation { id version { version } listing { name installCount } } agents { id name role instructions model tools status } workflow { id name status definition }
} }`;

const publish = (a: Account, document: unknown, priceCents?: number) => gql(server, PUBLISH, { input: { document, ...(priceCents !== undefined ? { priceCents } : {}) } }, auth(a));
async function published(a: Account, document: PackedPlugin, priceCents?: number): Promise<string> {
  ok(await publish(a, document, priceCents));
  return listingIdOf(a, document.manifest.name);
}
async function listingIdOf(a: Account, name: string): Promise<string> {
  return ok(await gql(server, LISTING, { name }, auth(a))).marketplaceListing.id;
}
const listing = async (a: Account, name: string) => ok(await gql(server, LISTING, { name }, auth(a))).marketplaceListing;
const install = (a: Account, listingId: string, version?: string) => gql(server, INSTALL, { input: { listingId, ...(version ? { version } : {}) } }, auth(a));

async function count(table: 'plugin_listings' | 'plugin_versions' | 'plugin_installations' | 'plugin_reviews' | 'agents' | 'workflows' | 'audit_log'): Promise<number> {
  const r = await server.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
/** The rows a refused call must leave as they were. */
async function snapshot() {
  const d = server.deps.db;
  return {
    listings: await d.selectFrom('plugin_listings').select(['id', 'latest_version', 'title', 'price_cents', 'signing_public_key', 'install_count', 'rating_sum', 'rating_count']).orderBy('id').execute(),
    versions: await count('plugin_versions'),
    installations: await d.selectFrom('plugin_installations').select(['id', 'version_id', 'pending_version_id']).orderBy('id').execute(),
    reviews: await count('plugin_reviews'),
    agents: await count('agents'),
    workflows: await count('workflows'),
    audit: await count('audit_log'),
  };
}
/** Makes a call that must fail and reports its code, message, and whether it left every row as it was. */
async function refusal(call: () => Promise<GqlResult>): Promise<{ code: string | undefined; message: string | undefined; wroteNothing: boolean }> {
  const before = await snapshot();
  const r = await call();
  return { code: errorCode(r), message: r.errors?.[0]?.message, wroteNothing: JSON.stringify(await snapshot()) === JSON.stringify(before) };
}
const refused = (code: string, message: string | RegExp) => ({ code, message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message), wroteNothing: true });

const namesOf = (page: { edges: { node: { name: string } }[] }) => page.edges.map((e) => e.node.name);
const installTemplate = (a: Account, listingId: string, model?: string) => gql(server, INSTALL_TEMPLATE, { input: { listingId, ...(model ? { model } : {}) } }, auth(a));
/** A packed file's text, as the first-party build writes it. */
const packedText = (name: string, version: string, over: Partial<PluginManifest> = {}) => JSON.stringify(pack(manifest(name, version, over)));

// ---------------------------------------------------------------------------------------------

describe('publishing', () => {
  let publisher: Account;
  beforeAll(async () => { publisher = await registerAccount(server, { organizationName: 'Acme Tools' }); });

  it('creates the listing on the first publish, owned by the organization, and audits it', async () => {
    const name = unique('crm');
    const auditBefore = await count('audit_log');
    const m = manifest(name, '1.0.0', { changelog: 'First release', categories: ['sales', 'crm'] });
    const { publishPlugin: v } = ok(await publish(publisher, pack(m, { key: keyA })));
    expect(v).toMatchObject({
      version: '1.0.0', changelog: 'First release', sha256: digestOf(m, BUNDLE), signed: true, permissions: { network: ['api.example.com'], secrets: [] },
      tools: [{ id: `${name}.echo`, name: `${name}.echo`, title: 'Echo', plugin: name, description: 'Echoes its input' }], integration: null,
    });
    expect(v.sizeBytes).toBeGreaterThan(BUNDLE.length);
    expect(await listing(publisher, name)).toMatchObject({
      name, kind: 'PLUGIN', title: `Plugin ${name}`, categories: ['sales', 'crm'], priceCents: 0, installable: true, featured: false, firstParty: false,
      private: false, publisherName: 'Acme Tools', installCount: 0, ratingAverage: null, ratingCount: 0, latestVersion: { version: '1.0.0', changelog: 'First release' },
    });
    expect(await count('audit_log')).toBe(auditBefore + 1);
    const entry = await server.deps.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'plugin.publish', organization_id: orgUuid(publisher), target_type: 'PluginListing' });
  });

  it('takes title, description and categories from the newest manifest, the price from the input, and lists versions newest first', async () => {
    const name = unique('notes');
    await published(publisher, pack(manifest(name, '1.0.0'), { key: keyA }), 500);
    ok(await publish(publisher, pack(manifest(name, '1.1.0-beta.1', { title: 'Notes Pro', description: 'Better notes', categories: ['writing'], changelog: 'Beta' }), { key: keyA })));
    ok(await publish(publisher, pack(manifest(name, '1.1.0', { title: 'Notes Pro', description: 'Better notes', categories: ['writing'] }), { key: keyA })));
    const l = await listing(publisher, name);
    expect(l).toMatchObject({ title: 'Notes Pro', description: 'Better notes', categories: ['writing'], priceCents: 500, installable: false, latestVersion: { version: '1.1.0', changelog: '' } });
    expect(l.versions.map((v: { version: string }) => v.version)).toEqual(['1.1.0', '1.1.0-beta.1', '1.0.0']);
    ok(await publish(publisher, pack(manifest(name, '1.2.0'), { key: keyA }), 0));
    expect((await listing(publisher, name)).priceCents).toBe(0);
  });

  describe('refuses, writing nothing', () => {
    let other: Account;
    const taken = unique('taken');
    beforeAll(async () => {
      other = await registerAccount(server);
      ok(await publish(publisher, pack(manifest(taken, '1.2.0'), { key: keyA })));
    });

    it('a document that is not a packed plugin', async () => {
      expect(await refusal(() => publish(publisher, { ...pack(manifest(unique('fmt'), '1.0.0')), format: 'zip' }))).toEqual(refused('BAD_USER_INPUT', 'format: must be "agentflow-plugin@1"'));
      expect(await refusal(() => publish(publisher, 'just a string'))).toEqual(refused('BAD_USER_INPUT', 'must be a JSON object'));
    });

    it('an invalid manifest, with the path of every problem', async () => {
      const m = { ...manifest(unique('bad'), '1.0'), tools: [{ name: 'Echo', description: 'x', inputSchema: { type: 'object' } }] };
      const r = await refusal(() => publish(publisher, pack(m)));
      expect(r).toEqual(refused('BAD_USER_INPUT', /manifest is invalid/));
      expect(r.message).toMatch(/version: /);
      expect(r.message).toMatch(/tools\[0\]\.name/);
    });

    it('a tampered document (sha256 no longer matches)', async () => {
      const doc = pack(manifest(unique('tamper'), '1.0.0'));
      expect(await refusal(() => publish(publisher, { ...doc, bundle: `${doc.bundle} /* changed */` }))).toEqual(refused('BAD_USER_INPUT', 'sha256 does not match'));
      expect(await refusal(() => publish(publisher, { ...doc, manifest: { ...doc.manifest, permissions: { network: ['evil.example.com'], secrets: [] } } }))).toEqual(refused('BAD_USER_INPUT', 'sha256 does not match'));
    });

    it('a signature that does not verify', async () => {
      const doc = pack(manifest(unique('sig'), '1.0.0'), { key: keyA });
      const forged = { ...doc, signature: { ...doc.signature!, value: signDigest('0'.repeat(64), keyA.privateKeyPem).value } };
      expect(await refusal(() => publish(publisher, forged))).toEqual(refused('BAD_USER_INPUT', 'signature: does not verify'));
      expect(await refusal(() => publish(publisher, { ...doc, signature: { ...doc.signature!, publicKey: keyB.publicKey } }))).toEqual(refused('BAD_USER_INPUT', 'signature: does not verify'));
    });

    it('a version signed by another key than the pinned one, or unsigned after signed', async () => {
      expect(await refusal(() => publish(publisher, pack(manifest(taken, '1.3.0'), { key: keyB })))).toEqual(refused('FORBIDDEN', new RegExp(`signed by SHA256:.*but ${taken} is pinned to the key`)));
      expect(await refusal(() => publish(publisher, pack(manifest(taken, '1.3.0'))))).toEqual(refused('FORBIDDEN', `${taken} was first published signed: every later version must be signed with the same key`));
    });

    it('a version that is not greater than the latest', async () => {
      expect(await refusal(() => publish(publisher, pack(manifest(taken, '1.2.0'), { key: keyA })))).toEqual(refused('CONFLICT', '1.2.0 is not greater than the latest version 1.2.0'));
      expect(await refusal(() => publish(publisher, pack(manifest(taken, '1.1.9'), { key: keyA })))).toEqual(refused('CONFLICT', '1.1.9 is not greater than the latest version 1.2.0'));
      expect(await refusal(() => publish(publisher, pack(manifest(taken, '1.2.0-rc.1'), { key: keyA })))).toEqual(refused('CONFLICT', '1.2.0-rc.1 is not greater than the latest version 1.2.0'));
    });

    it('a plugin over 1 MB, with its sizes', async () => {
      const big = `${BUNDLE}\n// ${'é'.repeat(512 * 1024)}`; // 1 MB of bundle in UTF-8 bytes
      const doc = pack(manifest(unique('big'), '1.0.0'), { bundle: big });
      // The service's rule, with the sizes it reports...
      const manifestBytes = Buffer.byteLength(JSON.stringify(doc.manifest));
      expect(() => checkDocument(doc, 'public')).toThrow(`The packed plugin is too large: ${Buffer.byteLength(big) + manifestBytes} bytes (bundle ${Buffer.byteLength(big)} + manifest ${manifestBytes}); the limit is 1048576 bytes (1 MB)`);
      // ...and over HTTP, where today the 1 MB request limit refuses such a document first.
      expect(await refusal(() => publish(publisher, doc))).toEqual(refused('BAD_USER_INPUT', /too large/));
    });

    it('a public name starting with custom-', async () => {
      expect(await refusal(() => publish(publisher, pack(manifest(unique('custom-tool'), '1.0.0'))))).toEqual(refused('BAD_USER_INPUT', /names starting with custom- are reserved/));
    });

    it("a new version of another organization's listing", async () => {
      expect(await refusal(() => publish(other, pack(manifest(taken, '2.0.0'), { key: keyA })))).toEqual(refused('FORBIDDEN', `${taken} is published by another organization: only it can publish new versions`));
    });

    it('a new version of another kind', async () => {
      const template = manifest(taken, '2.0.0', {
        kind: 'agent_template', tools: [], permissions: { network: [], secrets: [] },
        agentTemplate: { name: 'Bot', role: 'Helps', instructions: 'Help.', model: 'simulated', tools: [] },
      });
      expect(await refusal(() => publish(publisher, pack(template, { key: keyA })))).toEqual(refused('CONFLICT', `${taken} is a plugin: a new version cannot make it an agent template`));
    });

    it('a price that is not a whole number of cents from 0', async () => {
      expect(await refusal(() => publish(publisher, pack(manifest(unique('price'), '1.0.0')), -1))).toEqual(refused('BAD_USER_INPUT', /priceCents must be a whole number of cents/));
    });

    it("a workflow template whose agent node names an agent it does not define", async () => {
      const m = workflowTemplateManifest(unique('wf-bad'), { triager: AGENT }, { agentId: 'template:nobody', prompt: 'x' });
      expect(await refusal(() => publish(publisher, pack(m)))).toEqual(refused('BAD_USER_INPUT', /agent node triage must name one of its agents as template:<key> \(triager\), not "template:nobody"/));
    });

    it('half a publish: a failure after the listing row is written rolls it back with everything else', async () => {
      const d = server.deps.db;
      await sql`CREATE FUNCTION fail_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`.execute(d);
      await sql`CREATE TRIGGER fail_version BEFORE INSERT ON plugin_versions FOR EACH ROW WHEN (NEW.version = '6.6.6') EXECUTE FUNCTION fail_version()`.execute(d);
      try {
        const name = unique('half');
        // Masked: the client never sees the database's own message.
        expect(await refusal(() => publish(publisher, pack(manifest(name, '6.6.6'), { key: keyA })))).toEqual({ code: 'INTERNAL', message: 'Internal server error', wroteNothing: true });
        expect(await d.selectFrom('plugin_listings').select('id').where('name', '=', name).execute()).toEqual([]);
      } finally {
        await sql`DROP TRIGGER fail_version ON plugin_versions`.execute(d);
        await sql`DROP FUNCTION fail_version()`.execute(d);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('browsing the catalog', () => {
  let owner: Account;
  const token = `zq${letters()}`; // a word only these listings contain
  const category = unique('cat');
  const names = { title: unique('title-hit'), description: unique('desc-hit'), popular: unique('popular'), quiet: unique('quiet'), other: unique('other') };
  beforeAll(async () => {
    owner = await registerAccount(server);
    const m = (name: string, over: Partial<PluginManifest>) => pack(manifest(name, '1.0.0', { categories: [category], ...over }));
    await published(owner, m(names.title, { title: `The ${token} connector`, description: 'Connects things' }));
    await published(owner, m(names.description, { title: 'Some connector', description: `Works with ${token} and more` }));
    const popular = await published(owner, m(names.popular, { title: `${token} sync`, description: 'Sync' }));
    await published(owner, m(names.quiet, { title: `${token} sync`, description: 'Sync' }));
    await published(owner, m(names.other, { title: 'Unrelated', description: 'Nothing to see', categories: [category, 'misc'] }));
    // Installs break ties between equal matches.
    for (let i = 0; i < 2; i++) ok(await install(await registerAccount(server), popular));
  });
  const list = async (vars: Record<string, unknown>) => ok(await gql(server, LISTINGS, vars, auth(owner))).marketplaceListings;

  it('ranks full-text matches: title before description, then by installs', async () => {
    const page = await list({ search: token });
    // Three equal title matches (most installed first, then by name), then the description match.
    expect(namesOf(page)).toEqual([names.popular, names.quiet, names.title, names.description]);
    expect(page.edges.find((e: { node: { name: string } }) => e.node.name === names.popular).node.installCount).toBe(2);
    // Web search syntax: a phrase, an exclusion.
    expect(namesOf(await list({ search: `${token} -sync` })).sort()).toEqual([names.description, names.title].sort());
    expect(namesOf(await list({ search: `"${token} connector"` }))).toEqual([names.title]);
  });

  it('filters by category, kind and featured, and lists the categories', async () => {
    expect(namesOf(await list({ category, first: 50 })).sort()).toEqual(Object.values(names).sort());
    expect(namesOf(await list({ category: 'misc', search: 'unrelated' }))).toEqual([names.other]);
    expect(namesOf(await list({ category, kind: 'AGENT_TEMPLATE' }))).toEqual([]);
    expect(namesOf(await list({ category, featured: true }))).toEqual([]);
    expect(namesOf(await list({ category, featured: false, kind: 'PLUGIN', first: 50 }))).toHaveLength(5);
    const { marketplaceCategories } = ok(await gql(server, '{ marketplaceCategories }', {}, auth(owner)));
    expect(marketplaceCategories).toEqual(expect.arrayContaining([category, 'misc']));
    expect([...marketplaceCategories].sort()).toEqual(marketplaceCategories);
  });

  it('pages with cursors, forwards and backwards, without repeats or gaps', async () => {
    const all = namesOf(await list({ category, first: 50 }));
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await list({ category, first: 2, after });
      seen.push(...namesOf(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    const tail = await list({ category, last: 2 });
    expect(namesOf(tail)).toEqual(all.slice(-2));
    expect(namesOf(await list({ category, last: 2, before: tail.pageInfo.startCursor }))).toEqual(all.slice(-4, -2));
    // With a search the rank is part of the position.
    const ranked = namesOf(await list({ search: token }));
    const first = await list({ search: token, first: 3 });
    expect([...namesOf(first), ...namesOf(await list({ search: token, first: 3, after: first.pageInfo.endCursor }))]).toEqual(ranked);
    expect(errorCode(await gql(server, LISTINGS, { after: 'nonsense' }, auth(owner)))).toBe('BAD_USER_INPUT');
  });

  it("shows private listings (custom tools) only to their organization", async () => {
    const name = unique('custom-mine');
    // Custom tools publish their private listings through the same service.
    const doc = checkDocument(pack(manifest(name, '0.1.0', { categories: [category] })), 'private');
    await server.deps.db.transaction().execute((trx) => publishVersion(trx, null, doc, { visibility: 'private', publisherOrganizationId: orgUuid(owner), priceCents: 0 }));
    const mine = await listing(owner, name);
    expect(mine).toMatchObject({ name, private: true });
    expect(namesOf(await list({ category, first: 50 }))).toContain(name);

    const stranger = await registerAccount(server);
    expect(ok(await gql(server, LISTING, { name }, auth(stranger))).marketplaceListing).toBeNull();
    expect(namesOf(ok(await gql(server, LISTINGS, { category, first: 50 }, auth(stranger))).marketplaceListings)).not.toContain(name);
    expect(await refusal(() => install(stranger, mine.id))).toEqual(refused('NOT_FOUND', 'Listing not found'));
  });
});

// ---------------------------------------------------------------------------------------------

describe('installing, upgrading and uninstalling', () => {
  let publisher: Account;
  let org: Account;
  const name = unique('weather');
  let listingId: string;
  beforeAll(async () => {
    publisher = await registerAccount(server);
    org = await registerAccount(server);
    await server.deps.db.updateTable('organizations').set({ plan: 'enterprise' }).where('id', '=', orgUuid(org)).execute();
    listingId = await published(publisher, pack(manifest(name, '1.0.0'), { key: keyA }));
    ok(await publish(publisher, pack(manifest(name, '1.1.0'), { key: keyA })));
  });

  it('installs a given version, once, counting the install and auditing it', async () => {
    const audit = await count('audit_log');
    const { installPlugin: inst } = ok(await install(org, listingId, '1.0.0'));
    expect(inst).toMatchObject({ version: { version: '1.0.0' }, pendingVersion: null, addedPermissions: [], listing: { name, installCount: 1 } });
    expect(await count('audit_log')).toBe(audit + 1);
    expect((await listing(org, name)).installation).toMatchObject({ id: inst.id, version: { version: '1.0.0' } });
    const { pluginInstallations } = ok(await gql(server, '{ pluginInstallations { id listing { name } version { version } } }', {}, auth(org)));
    expect(pluginInstallations).toEqual([{ id: inst.id, listing: { name }, version: { version: '1.0.0' } }]);
    expect(await refusal(() => install(org, listingId))).toEqual(refused('CONFLICT', `${name} is already installed: use upgradePlugin to change its version`));
  });

  it('refuses unknown versions and listings', async () => {
    const fresh = await registerAccount(server);
    expect(await refusal(() => install(fresh, listingId, '9.9.9'))).toEqual(refused('NOT_FOUND', `Version 9.9.9 of ${name} not found`));
    expect(await refusal(() => install(fresh, toGlobalId('PluginListing', '00000000-0000-4000-8000-000000000000')))).toEqual(refused('NOT_FOUND', 'Listing not found'));
    expect(await refusal(() => install(fresh, toGlobalId('Agent', '00000000-0000-4000-8000-000000000000')))).toEqual(refused('NOT_FOUND', 'PluginListing not found'));
  });

  it('refuses a paid listing with the reason', async () => {
    const paidName = unique('paid');
    const paid = await published(publisher, pack(manifest(paidName, '1.0.0')), 999);
    expect(await listing(org, paidName)).toMatchObject({ priceCents: 999, installable: false, installation: null });
    expect(await refusal(() => install(org, paid))).toEqual(refused('FORBIDDEN', 'Paid listings cannot be installed yet: checkout arrives with billing'));
  });

  it('upgrades to the latest when it asks for nothing more, and only upwards', async () => {
    const inst = (await listing(org, name)).installation;
    const { upgradePlugin: up } = ok(await gql(server, UPGRADE, { input: { installationId: inst.id } }, auth(org)));
    expect(up).toMatchObject({ id: inst.id, version: { version: '1.1.0' }, pendingVersion: null });
    expect(await refusal(() => gql(server, UPGRADE, { input: { installationId: inst.id } }, auth(org)))).toEqual(refused('CONFLICT', `${name} is already at 1.1.0`));
    expect(await refusal(() => gql(server, UPGRADE, { input: { installationId: inst.id, version: '1.0.0' } }, auth(org)))).toEqual(refused('CONFLICT', '1.0.0 is older than the installed 1.1.0: upgrades only go up'));
  });

  it('holds a version asking for more permissions until an admin approves it', async () => {
    const inst = (await listing(org, name)).installation;
    const wider = manifest(name, '2.0.0', {
      permissions: { network: ['api.example.com', 'hooks.example.org'], secrets: ['token'] },
      integration: { title: 'Weather', auth: { type: 'apiKey', fields: [{ name: 'token', label: 'Token' }] } },
    });
    ok(await publish(publisher, pack(wider, { key: keyA })));
    expect(await refusal(() => gql(server, APPROVE, { id: inst.id }, auth(org)))).toEqual(refused('CONFLICT', 'No upgrade of this plugin is waiting for consent'));

    const { upgradePlugin: up } = ok(await gql(server, UPGRADE, { input: { installationId: inst.id } }, auth(org)));
    expect(up).toMatchObject({
      version: { version: '1.1.0' }, pendingVersion: { version: '2.0.0' },
      addedPermissions: ['network host hooks.example.org', 'secret token', 'integration Weather using an API key', 'integration API key field token'],
    });
    const pinned = await server.deps.db.selectFrom('plugin_installations as i').innerJoin('plugin_versions as v', 'v.id', 'i.version_id').select('v.version').where('i.id', '=', fromGlobalId(inst.id, 'PluginInstallation')).executeTakeFirstOrThrow();
    expect(pinned.version).toBe('1.1.0');
    expect(await server.deps.db.selectFrom('audit_log').select('action').orderBy('id', 'desc').executeTakeFirstOrThrow()).toEqual({ action: 'plugin.upgrade_pending' });

    const { approvePluginUpgrade: approved } = ok(await gql(server, APPROVE, { id: inst.id }, auth(org)));
    expect(approved).toMatchObject({ version: { version: '2.0.0' }, pendingVersion: null, addedPermissions: [] });
    expect(await refusal(() => gql(server, APPROVE, { id: inst.id }, auth(org)))).toEqual(refused('CONFLICT', 'No upgrade of this plugin is waiting for consent'));
  });

  it('holds an upgrade that moves the token URL, even within hosts already allowed, and refuses one to a host not declared', async () => {
    const crm = unique('crm');
    const version = (v: string, tokenUrl: string, network = ['*.example.com']) => manifest(crm, v, {
      permissions: { network, secrets: ['accessToken'] },
      integration: { title: 'CRM', auth: { type: 'oauth2', authorizeUrl: 'https://login.example.com/authorize', tokenUrl, scopes: ['contacts.read'], testUrl: 'https://api.example.com/me' } },
    });
    const crmListing = await published(publisher, pack(version('1.0.0', 'https://auth.example.com/token'), { key: keyA }));
    const { installPlugin: inst } = ok(await install(org, crmListing));

    // Same hosts, secrets and scopes: only the endpoint that receives the client secret and refresh tokens moved.
    ok(await publish(publisher, pack(version('1.0.1', 'https://collector.example.com/token'), { key: keyA })));
    const { upgradePlugin: up } = ok(await gql(server, UPGRADE, { input: { installationId: inst.id } }, auth(org)));
    expect(up).toMatchObject({
      version: { version: '1.0.0' }, pendingVersion: { version: '1.0.1' },
      addedPermissions: ['integration token URL https://collector.example.com/token (was https://auth.example.com/token)'],
    });
    const pinned = await server.deps.db.selectFrom('plugin_installations as i').innerJoin('plugin_versions as v', 'v.id', 'i.version_id').select('v.version').where('i.id', '=', fromGlobalId(inst.id, 'PluginInstallation')).executeTakeFirstOrThrow();
    expect(pinned.version).toBe('1.0.0');

    // A token URL on a host the plugin does not declare is not published at all.
    expect(await refusal(() => publish(publisher, pack(version('1.0.2', 'https://collector.evil/token'), { key: keyA }))))
      .toEqual(refused('BAD_USER_INPUT', 'integration.auth.tokenUrl: its host collector.evil is not in permissions.network; add "collector.evil"'));

    const { approvePluginUpgrade: approved } = ok(await gql(server, APPROVE, { id: inst.id }, auth(org)));
    expect(approved).toMatchObject({ version: { version: '1.0.1' }, pendingVersion: null, addedPermissions: [] });
  });

  it('will not uninstall while an agent or an active workflow uses its tools', async () => {
    const inst = (await listing(org, name)).installation;
    const tool = `${name}.echo`;
    const agent = ok(await gql(server, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: 'Forecaster', model: 'simulated', tools: [tool] } }, auth(org))).createAgent;
    expect(await refusal(() => gql(server, UNINSTALL, { id: inst.id }, auth(org)))).toEqual(refused('CONFLICT', `${name} cannot be uninstalled while agent "Forecaster" uses its tools`));
    ok(await gql(server, 'mutation($i: UpdateAgentInput!) { updateAgent(input: $i) { id } }', { i: { id: agent.id, expectedVersion: 1, tools: [] } }, auth(org)));

    const definition = {
      version: 1,
      nodes: [
        { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
        { id: 'echo', type: 'tool', name: 'Echo', config: { tool, input: { hello: 'world' } } },
        { id: 'done', type: 'output', name: 'Done', config: { value: '{{nodes.echo.output}}' } },
      ],
      edges: [{ id: 'a', source: 'start', sourceOutput: 'out', target: 'echo', targetInput: 'in' }, { id: 'b', source: 'echo', sourceOutput: 'out', target: 'done', targetInput: 'in' }],
    };
    const wf = ok(await gql(server, 'mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id } }', { i: { name: 'Daily forecast', definition } }, auth(org))).createWorkflow;
    ok(await gql(server, 'mutation($i: UpdateWorkflowInput!) { updateWorkflow(input: $i) { status } }', { i: { id: wf.id, expectedVersion: 1, status: 'ACTIVE' } }, auth(org)));
    expect(await refusal(() => gql(server, UNINSTALL, { id: inst.id }, auth(org)))).toEqual(refused('CONFLICT', `${name} cannot be uninstalled while workflow "Daily forecast" uses its tools`));
    ok(await gql(server, 'mutation($id: ID!) { archiveWorkflow(id: $id) { status } }', { id: wf.id }, auth(org)));

    const installs = (await listing(org, name)).installCount;
    const { uninstallPlugin } = ok(await gql(server, UNINSTALL, { id: inst.id }, auth(org)));
    expect(uninstallPlugin).toBe(inst.id);
    const after = await listing(org, name);
    expect(after).toMatchObject({ installation: null, installCount: installs - 1 });
    expect(await refusal(() => gql(server, UNINSTALL, { id: inst.id }, auth(org)))).toEqual(refused('NOT_FOUND', 'Installation not found'));
  });

  it("keeps organizations apart: another organization's installation is not found", async () => {
    const { installPlugin: mine } = ok(await install(org, listingId, '1.0.0'));
    ok(await publish(publisher, pack(manifest(name, '2.1.0', { permissions: { network: ['*.example.com'], secrets: ['token'] }, integration: { title: 'Weather', auth: { type: 'apiKey', fields: [{ name: 'token', label: 'Token' }] } } }), { key: keyA })));
    ok(await gql(server, UPGRADE, { input: { installationId: mine.id } }, auth(org)));
    const intruder = await registerAccount(server);
    expect(ok(await gql(server, '{ pluginInstallations { id } }', {}, auth(intruder))).pluginInstallations).toEqual([]);
    expect((await listing(intruder, name)).installation).toBeNull();
    expect(await refusal(() => gql(server, UPGRADE, { input: { installationId: mine.id } }, auth(intruder)))).toEqual(refused('NOT_FOUND', 'Installation not found'));
    expect(await refusal(() => gql(server, APPROVE, { id: mine.id }, auth(intruder)))).toEqual(refused('NOT_FOUND', 'Installation not found'));
    expect(await refusal(() => gql(server, UNINSTALL, { id: mine.id }, auth(intruder)))).toEqual(refused('NOT_FOUND', 'Installation not found'));
    expect((await listing(org, name)).installation).toMatchObject({ id: mine.id, pendingVersion: { version: '2.1.0' } });
  });
});

// ---------------------------------------------------------------------------------------------

describe('reviews', () => {
  let publisher: Account;
  const name = unique('reviewed');
  let listingId: string;
  beforeAll(async () => {
    publisher = await registerAccount(server);
    listingId = await published(publisher, pack(manifest(name, '1.0.0')));
  });
  const review = (a: Account, input: Record<string, unknown>) => gql(server, REVIEW, { input: { listingId, ...input } }, auth(a));

  it('are for organizations that installed the listing, once each, newest first with author and organization', async () => {
    const first = await registerAccount(server, { name: 'Ada Reviewer', organizationName: 'Ada Corp' });
    expect(await refusal(() => review(first, { rating: 5 }))).toEqual(refused('FORBIDDEN', `Only organizations that installed ${name} can review it`));
    expect((await listing(first, name)).canReview).toBe(false);
    ok(await install(first, listingId));
    expect((await listing(first, name)).canReview).toBe(true);
    const { reviewPlugin: r1 } = ok(await review(first, { rating: 5, body: '  Great plugin  ' }));
    expect(r1).toMatchObject({ rating: 5, body: 'Great plugin', authorName: 'Ada Reviewer', organizationName: 'Ada Corp' });
    expect((await listing(first, name)).canReview).toBe(false);
    expect(await refusal(() => review(first, { rating: 1 }))).toEqual(refused('CONFLICT', `Your organization has already reviewed ${name}`));

    const second = await registerAccount(server, { name: 'Bob Critic', organizationName: 'Bob Ltd' });
    ok(await install(second, listingId));
    ok(await review(second, { rating: 2 }));
    const l = await listing(second, name);
    expect(l).toMatchObject({ ratingCount: 2, ratingAverage: 3.5 });
    expect(l.reviews).toEqual([
      { rating: 2, body: '', authorName: 'Bob Critic', organizationName: 'Bob Ltd' },
      { rating: 5, body: 'Great plugin', authorName: 'Ada Reviewer', organizationName: 'Ada Corp' },
    ]);
  });

  it('need a rating from 1 to 5 and a body of at most 5000 characters', async () => {
    const org = await registerAccount(server);
    ok(await install(org, listingId));
    for (const rating of [0, 6]) expect(await refusal(() => review(org, { rating }))).toEqual(refused('BAD_USER_INPUT', 'Rating must be from 1 to 5'));
    expect(await refusal(() => review(org, { rating: 4, body: 'x'.repeat(5001) }))).toEqual(refused('BAD_USER_INPUT', 'The review must be at most 5000 characters'));
  });

  it('are not for the publisher of the listing', async () => {
    ok(await install(publisher, listingId));
    expect(await refusal(() => review(publisher, { rating: 5 }))).toEqual(refused('FORBIDDEN', 'An organization cannot review its own listing'));
    expect((await listing(publisher, name)).canReview).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

const AGENT = { name: 'Triager', role: 'Sorts tickets', instructions: 'Classify the ticket.', model: 'claude-sonnet-5-5', tools: ['calculator'] };
function workflowTemplateManifest(name: string, agents: Record<string, typeof AGENT>, triageConfig: Record<string, unknown> = { agentId: 'template:triager', prompt: '{{input.ticket}}' }): PluginManifest {
  const keys = Object.keys(agents);
  return manifest(name, '1.0.0', {
    kind: 'workflow_template', tools: [], permissions: { network: [], secrets: [] }, categories: ['support'],
    workflowTemplate: {
      name: 'Ticket triage', description: 'Triage, then reply', agents,
      definition: {
        version: 1,
        nodes: [
          { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
          { id: 'triage', type: 'agent', name: 'Triage', config: triageConfig },
          ...keys.slice(1).map((k) => ({ id: k, type: 'agent', name: k, config: { agentId: `template:${k}`, prompt: '{{nodes.triage.output}}' } })),
          { id: 'done', type: 'output', name: 'Done', config: { value: '{{nodes.triage.output}}' } },
        ],
        edges: [
          { id: 'e0', source: 'start', sourceOutput: 'out', target: 'triage', targetInput: 'in' },
          ...keys.slice(1).map((k) => ({ id: `e-${k}`, source: 'triage', sourceOutput: 'out', target: k, targetInput: 'in' })),
          { id: 'e1', source: 'triage', sourceOutput: 'out', target: 'done', targetInput: 'in' },
        ],
      },
    },
  });
}

describe('templates', () => {
  let publisher: Account;
  beforeAll(async () => { publisher = await registerAccount(server); });

  it('an agent template creates its agent, with the model override, and records the installation', async () => {
    const name = unique('sales-assistant');
    const id = await published(publisher, pack(manifest(name, '1.0.0', {
      kind: 'agent_template', tools: [], permissions: { network: [], secrets: [] },
      agentTemplate: { ...AGENT, name: 'Sales assistant', config: { temperature: 0.2 } },
    })));
    const org = await registerAccount(server);
    const audit = await count('audit_log');
    const { installTemplate: t } = ok(await installTemplate(org, id, 'simulated'));
    expect(t.agents).toEqual([expect.objectContaining({ name: 'Sales assistant', role: 'Sorts tickets', instructions: 'Classify the ticket.', model: 'simulated', tools: ['calculator'], status: 'ACTIVE' })]);
    expect(t.workflow).toBeNull();
    expect(t.installation).toMatchObject({ version: { version: '1.0.0' }, listing: { name, installCount: 1 } });
    // agent.create and template.install
    expect(await count('audit_log')).toBe(audit + 2);
    const again = ok(await installTemplate(org, id)).installTemplate;
    expect(again.agents[0]).toMatchObject({ name: 'Sales assistant', model: 'claude-sonnet-5-5' });
    expect(again.installation.id).toBe(t.installation.id);
    expect(again.installation.listing.installCount).toBe(1);
  });

  it('a workflow template creates its agents and a draft workflow wired to them', async () => {
    const name = unique('ticket-triage');
    const id = await published(publisher, pack(workflowTemplateManifest(name, { triager: AGENT, writer: { ...AGENT, name: 'Writer', role: 'Replies' } })));
    const org = await registerAccount(server);
    const { installTemplate: t } = ok(await installTemplate(org, id, 'simulated'));
    expect(t.agents.map((a: { name: string; model: string }) => [a.name, a.model])).toEqual([['Triager', 'simulated'], ['Writer', 'simulated']]);
    expect(t.workflow).toMatchObject({ name: 'Ticket triage', status: 'DRAFT' });
    const agentNodes = t.workflow.definition.nodes.filter((n: { type: string }) => n.type === 'agent');
    expect(agentNodes.map((n: { config: { agentId: string } }) => n.config.agentId)).toEqual(t.agents.map((a: { id: string }) => a.id));
    const { validateWorkflow } = ok(await gql(server, 'query($d: JSON!) { validateWorkflow(definition: $d) { valid problems { message } } }', { d: t.workflow.definition }, auth(org)));
    expect(validateWorkflow).toEqual({ valid: true, problems: [] });
  });

  it('creates nothing when its agents exceed the plan quota', async () => {
    const name = unique('big-team');
    const id = await published(publisher, pack(workflowTemplateManifest(name, { triager: AGENT, writer: { ...AGENT, name: 'Writer' }, checker: { ...AGENT, name: 'Checker' } })));
    const org = await registerAccount(server); // free plan: 2 active agents
    expect(await refusal(() => installTemplate(org, id, 'simulated'))).toEqual(refused('QUOTA_EXCEEDED', 'The free plan allows 2 active agents'));
    expect(await server.deps.db.selectFrom('agents').select('id').where('organization_id', '=', orgUuid(org)).execute()).toEqual([]);
  });

  it('refuses plugins, unknown models and paid templates; installPlugin refuses templates', async () => {
    const plugin = await published(publisher, pack(manifest(unique('plain'), '1.0.0')));
    const template = await published(publisher, pack(manifest(unique('helper'), '1.0.0', { kind: 'agent_template', tools: [], permissions: { network: [], secrets: [] }, agentTemplate: AGENT })));
    const paid = await published(publisher, pack(manifest(unique('premium'), '1.0.0', { kind: 'agent_template', tools: [], permissions: { network: [], secrets: [] }, agentTemplate: AGENT })), 1500);
    const org = await registerAccount(server);
    expect(await refusal(() => installTemplate(org, plugin))).toEqual(refused('BAD_USER_INPUT', /is a plugin, not a template: install it with installPlugin/));
    expect(await refusal(() => installTemplate(org, template, 'gpt-99'))).toEqual(refused('BAD_USER_INPUT', 'Unknown model: gpt-99'));
    expect(await refusal(() => installTemplate(org, paid))).toEqual(refused('FORBIDDEN', 'Paid listings cannot be installed yet: checkout arrives with billing'));
    expect(await refusal(() => install(org, template))).toEqual(refused('BAD_USER_INPUT', /is a template: install it with installTemplate/));
  });
});

// ---------------------------------------------------------------------------------------------

describe('the first-party catalog sync', () => {
  let dir: string;
  const logger = createLogger('silent');
  const a = unique('fp-alpha');
  const b = unique('fp-beta');
  beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'agentflow-catalog-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
  async function place(pkg: string, file: string, content: string) {
    await mkdir(path.join(dir, pkg, 'dist'), { recursive: true });
    await writeFile(path.join(dir, pkg, 'dist', file), content);
  }

  it('publishes every valid packed file as AgentFlow, logs and skips bad ones, and does nothing the second time', async () => {
    await place('alpha', `${a}-1.0.0.agentflow.json`, packedText(a, '1.0.0', { changelog: 'Hello' }));
    await place('beta', `${b}-1.0.0.agentflow.json`, packedText(b, '1.0.0'));
    await place('broken', 'broken.agentflow.json', '{ not json');
    await place('tampered', 'tampered.agentflow.json', JSON.stringify({ ...pack(manifest(unique('fp-bad'), '1.0.0')), bundle: 'var AgentFlowPlugin = {};' }));
    await place('beta', 'README.md', 'not a packed file');

    const first = await syncFirstPartyCatalog(server.deps.db, logger, dir, [a]);
    expect(first.published.sort()).toEqual([`${a}@1.0.0`, `${b}@1.0.0`].sort());
    expect(first.failed.map((f) => f.file).sort()).toEqual(['broken/dist/broken.agentflow.json', 'tampered/dist/tampered.agentflow.json']);
    expect(first.failed.find((f) => f.file.startsWith('tampered'))!.error).toMatch(/sha256 does not match/);

    const viewer = await registerAccount(server);
    expect(await listing(viewer, a)).toMatchObject({ firstParty: true, featured: true, publisherName: 'AgentFlow', latestVersion: { version: '1.0.0', changelog: 'Hello' } });
    expect(await listing(viewer, b)).toMatchObject({ firstParty: true, featured: false });
    expect(namesOfFeatured(ok(await gql(server, LISTINGS, { featured: true, first: 100 }, auth(viewer))).marketplaceListings)).toEqual([a]);

    await rm(path.join(dir, 'broken'), { recursive: true });
    await rm(path.join(dir, 'tampered'), { recursive: true });
    const before = await snapshot();
    const second = await syncFirstPartyCatalog(server.deps.db, logger, dir, [a]);
    expect(second.published).toEqual([]);
    expect(second.unchanged.sort()).toEqual([`${a}@1.0.0`, `${b}@1.0.0`].sort());
    expect(await snapshot()).toEqual(before);
  });

  it('publishes only new versions (oldest first), refuses changed contents under a published version, and keeps the names for AgentFlow', async () => {
    await place('alpha', `${a}-1.1.0.agentflow.json`, packedText(a, '1.1.0'));
    await place('alpha', `${a}-1.10.0.agentflow.json`, packedText(a, '1.10.0', { title: 'Alpha 2' }));
    await place('alpha', `${a}-1.9.0.agentflow.json`, packedText(a, '1.9.0'));
    await place('beta', `${b}-1.0.0.agentflow.json`, packedText(b, '1.0.0', { title: 'Changed without a new version' }));
    const result = await syncFirstPartyCatalog(server.deps.db, logger, dir, [a]);
    // In version order, not file-name order.
    expect(result.published).toEqual([`${a}@1.1.0`, `${a}@1.9.0`, `${a}@1.10.0`]);
    expect(result.failed).toEqual([expect.objectContaining({ error: `${b}@1.0.0 is already published with different contents: versions are immutable, bump the version` })]);
    const org = await registerAccount(server);
    expect(await listing(org, a)).toMatchObject({ title: 'Alpha 2', versions: [{ version: '1.10.0' }, { version: '1.9.0' }, { version: '1.1.0' }, { version: '1.0.0' }] });
    expect(await refusal(() => publish(org, pack(manifest(a, '9.0.0'))))).toEqual(refused('FORBIDDEN', `${a} is published by AgentFlow: choose another name`));
  });

  it('never fails for a missing directory', async () => {
    expect(await syncFirstPartyCatalog(server.deps.db, logger, path.join(dir, 'nope'), [a])).toMatchObject({ published: [], failed: [] });
  });
});

function namesOfFeatured(page: { edges: { node: { name: string; featured: boolean } }[] }): string[] {
  return page.edges.filter((e) => e.node.featured).map((e) => e.node.name).filter((n) => n.startsWith('fp-'));
}
