import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/graphql/ids.ts';
import { addMember, errorCode, gql, ok, registerAccount, startTestServer, testDatabase, type Account, type Auth, type TestServer } from './helpers.ts';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  db = await testDatabase();
  server = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '100000', OPENAI_API_KEY: 'sk-server-env-key-0000' });
});
afterAll(async () => { await server?.stop(); await db?.drop(); });

const AGENT_FIELDS = 'id name role instructions model tools status version config { temperature maxOutputTokens maxSteps maxCostPerRunUsd maxCostPerMonthUsd fallbackModels cacheEnabled piiPolicy } createdBy { name }';
const CREATE = `mutation($input: CreateAgentInput!) { createAgent(input: $input) { ${AGENT_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { ${AGENT_FIELDS} } }`;
const ARCHIVE = 'mutation($id: ID!) { archiveAgent(id: $id) { id status version } }';
const auth = (a: Account): Auth => ({ token: a.token, org: a.orgId });

async function newOrg(): Promise<Account> { return registerAccount(server); }
const orgUuid = (a: Account) => fromGlobalId(a.orgId, 'Organization');

async function counts(org: Account) {
  const d = server.deps.db;
  const n = async (table: 'agents' | 'agent_versions' | 'audit_log') => Number((await d.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('organization_id', '=', orgUuid(org)).executeTakeFirstOrThrow()).n);
  return { agents: await n('agents'), versions: await n('agent_versions'), audit: await n('audit_log') };
}

describe('creating and reading agents', () => {
  let owner: Account;
  beforeAll(async () => { owner = await newOrg(); });

  it('creates an agent with the default config at version 1, audited', async () => {
    const before = await counts(owner);
    const { createAgent: agent } = ok(await gql(server, CREATE, { input: { name: '  Support triage ', role: 'Sorts tickets', instructions: 'You triage {{ticket}}.', model: 'claude-sonnet-5-5', tools: ['calculator'] } }, auth(owner)));
    expect(agent).toMatchObject({
      name: 'Support triage', role: 'Sorts tickets', instructions: 'You triage {{ticket}}.', model: 'claude-sonnet-5-5', tools: ['calculator'], status: 'ACTIVE', version: 1,
      config: { temperature: null, maxOutputTokens: 1024, maxSteps: 6, maxCostPerRunUsd: null, maxCostPerMonthUsd: null, fallbackModels: [], cacheEnabled: true, piiPolicy: 'REDACT' },
    });
    expect(agent.createdBy.name).toBeTruthy();
    expect(await counts(owner)).toEqual({ agents: before.agents + 1, versions: before.versions + 1, audit: before.audit + 1 });
    const read = ok(await gql(server, `query($id: ID!) { agent(id: $id) { ${AGENT_FIELDS} versions { version name } costThisMonthUsd } }`, { id: agent.id }, auth(owner)));
    expect(read.agent).toMatchObject({ id: agent.id, name: 'Support triage', versions: [{ version: 1, name: 'Support triage' }], costThisMonthUsd: 0 });
  });

  it.each([
    [{ name: '', model: 'simulated' }, 'Name is required'],
    [{ name: 'x', model: 'gpt-99' }, 'Unknown model: gpt-99'],
    [{ name: 'x', model: 'simulated', tools: ['rm_rf'] }, 'Unknown tool: rm_rf'],
    [{ name: 'x', model: 'simulated', tools: ['calculator', 'calculator'] }, 'Each tool can be enabled once'],
    [{ name: 'x', model: 'simulated', config: { temperature: 3 } }, 'temperature must be between 0 and 2'],
    [{ name: 'x', model: 'simulated', config: { maxOutputTokens: 0 } }, 'maxOutputTokens must be at least 1'],
    [{ name: 'x', model: 'simulated', config: { maxCostPerRunUsd: -1 } }, 'must be more than 0'],
    [{ name: 'x', model: 'simulated', config: { fallbackModels: ['auto'] } }, 'auto cannot be a fallback'],
    [{ name: 'x', model: 'simulated', config: { fallbackModels: ['nope'] } }, 'Unknown model'],
    [{ name: 'x', model: 'simulated', status: 'ARCHIVED' }, 'use archiveAgent'],
    [{ name: 'x'.repeat(101), model: 'simulated' }, 'at most 100'],
  ])('refuses %j with a clear BAD_USER_INPUT and writes nothing', async (input, message) => {
    const before = await counts(owner);
    const r = await gql(server, CREATE, { input }, auth(owner));
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toContain(message);
    expect(await counts(owner)).toEqual(before);
  });

  it('accepts "auto" and OpenAI-compatible models', async () => {
    for (const model of ['auto', 'compat:llama3.2']) {
      const r = ok(await gql(server, CREATE, { input: { name: `m ${model}`, model, status: 'INACTIVE' } }, auth(owner)));
      expect(r.createAgent.model).toBe(model);
    }
  });

  it('lists agents newest first with status filter, name search and cursor pagination', async () => {
    const org = await newOrg();
    const names = ['Alpha scout', 'Beta writer', 'Gamma scout', 'Delta'];
    for (const name of names) ok(await gql(server, CREATE, { input: { name, model: 'simulated', status: 'INACTIVE' } }, auth(org)));
    const LIST = 'query($first: Int, $after: String, $status: AgentStatus, $search: String) { agents(first: $first, after: $after, status: $status, search: $search) { edges { cursor node { name status } } pageInfo { hasNextPage endCursor } } }';
    const page1 = ok(await gql(server, LIST, { first: 3 }, auth(org))).agents;
    expect(page1.edges.map((e: any) => e.node.name)).toEqual(['Delta', 'Gamma scout', 'Beta writer']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = ok(await gql(server, LIST, { first: 3, after: page1.pageInfo.endCursor }, auth(org))).agents;
    expect(page2.edges.map((e: any) => e.node.name)).toEqual(['Alpha scout']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(ok(await gql(server, LIST, { search: 'SCOUT' }, auth(org))).agents.edges.map((e: any) => e.node.name)).toEqual(['Gamma scout', 'Alpha scout']);
    expect(ok(await gql(server, LIST, { search: '%' }, auth(org))).agents.edges).toEqual([]);
    expect(ok(await gql(server, LIST, { status: 'ACTIVE' }, auth(org))).agents.edges).toEqual([]);
    expect(errorCode(await gql(server, LIST, { after: 'not-a-cursor' }, auth(org)))).toBe('BAD_USER_INPUT');
  });

  it('keeps agents to their organization', async () => {
    const { createAgent: agent } = ok(await gql(server, CREATE, { input: { name: 'Private', model: 'simulated', status: 'INACTIVE' } }, auth(owner)));
    const stranger = await newOrg();
    expect(ok(await gql(server, 'query($id: ID!) { agent(id: $id) { id } }', { id: agent.id }, auth(stranger))).agent).toBeNull();
    expect(errorCode(await gql(server, 'query($id: ID!) { node(id: $id) { id } }', { id: agent.id }, auth(stranger)))).toBe('NOT_FOUND');
    expect(errorCode(await gql(server, UPDATE, { input: { id: agent.id, expectedVersion: 1, name: 'Mine now' } }, auth(stranger)))).toBe('NOT_FOUND');
    expect(errorCode(await gql(server, ARCHIVE, { id: agent.id }, auth(stranger)))).toBe('NOT_FOUND');
    expect(errorCode(await gql(server, 'query($id: ID!) { agentVersionDiff(agentId: $id, from: 1, to: 1) { from } }', { id: agent.id }, auth(stranger)))).toBe('NOT_FOUND');
    expect(ok(await gql(server, 'query { agents { edges { node { id } } } }', {}, auth(stranger))).agents.edges).toEqual([]);
  });
});

describe('versions', () => {
  let owner: Account;
  beforeAll(async () => { owner = await newOrg(); });

  it('saves every update as an immutable version and diffs any two field by field', async () => {
    const { createAgent: a } = ok(await gql(server, CREATE, { input: { name: 'Writer', instructions: 'Write.\nBe brief.', model: 'gpt-6.1-sol', status: 'INACTIVE' } }, auth(owner)));
    const v2 = ok(await gql(server, UPDATE, { input: { id: a.id, expectedVersion: 1, instructions: 'Write.\nBe thorough.', config: { temperature: 0.2, fallbackModels: ['claude-sonnet-5-5'] } } }, auth(owner))).updateAgent;
    expect(v2).toMatchObject({ version: 2, name: 'Writer', config: { temperature: 0.2, fallbackModels: ['claude-sonnet-5-5'], maxOutputTokens: 1024 } });
    const v3 = ok(await gql(server, UPDATE, { input: { id: a.id, expectedVersion: 2, name: 'Writer II', tools: ['current_time'] } }, auth(owner))).updateAgent;
    expect(v3).toMatchObject({ version: 3, name: 'Writer II', config: { temperature: 0.2 } });

    const { agent } = ok(await gql(server, 'query($id: ID!) { agent(id: $id) { versions { version name instructions config { temperature } createdBy { name } createdAt } } }', { id: a.id }, auth(owner)));
    expect(agent.versions.map((v: any) => [v.version, v.name, v.config.temperature])).toEqual([[3, 'Writer II', 0.2], [2, 'Writer', 0.2], [1, 'Writer', null]]);

    const DIFF = 'query($id: ID!, $from: Int!, $to: Int!) { agentVersionDiff(agentId: $id, from: $from, to: $to) { from to changes { field before after } } }';
    const diff = ok(await gql(server, DIFF, { id: a.id, from: 1, to: 3 }, auth(owner))).agentVersionDiff;
    expect(diff).toEqual({
      from: 1, to: 3,
      changes: expect.arrayContaining([
        { field: 'name', before: 'Writer', after: 'Writer II' },
        { field: 'instructions', before: 'Write.\nBe brief.', after: 'Write.\nBe thorough.' },
        { field: 'tools', before: [], after: ['current_time'] },
        { field: 'config.temperature', before: null, after: 0.2 },
        { field: 'config.fallbackModels', before: [], after: ['claude-sonnet-5-5'] },
      ]),
    });
    expect(diff.changes).toHaveLength(5);
    expect(ok(await gql(server, DIFF, { id: a.id, from: 3, to: 3 }, auth(owner))).agentVersionDiff.changes).toEqual([]);
    const missing = await gql(server, DIFF, { id: a.id, from: 1, to: 9 }, auth(owner));
    expect(errorCode(missing)).toBe('NOT_FOUND');
    expect(missing.errors![0]!.message).toBe('Version 9 of this agent not found');
  });

  it('refuses an update against a stale version with CONFLICT and changes nothing', async () => {
    const { createAgent: a } = ok(await gql(server, CREATE, { input: { name: 'Shared', model: 'simulated', status: 'INACTIVE' } }, auth(owner)));
    ok(await gql(server, UPDATE, { input: { id: a.id, expectedVersion: 1, name: 'Edited by Ann' } }, auth(owner)));
    const before = await counts(owner);
    const stale = await gql(server, UPDATE, { input: { id: a.id, expectedVersion: 1, name: 'Edited by Bob' } }, auth(owner));
    expect(errorCode(stale)).toBe('CONFLICT');
    expect(stale.errors![0]!.message).toContain('the current version is 2');
    expect(stale.errors![0]!.extensions).toMatchObject({ details: { currentVersion: 2 } });
    expect(await counts(owner)).toEqual(before);
    expect(ok(await gql(server, 'query($id: ID!) { agent(id: $id) { name version } }', { id: a.id }, auth(owner))).agent).toEqual({ name: 'Edited by Ann', version: 2 });
  });

  it('lets exactly one of two concurrent saves of the same version win', async () => {
    const { createAgent: a } = ok(await gql(server, CREATE, { input: { name: 'Race', model: 'simulated', status: 'INACTIVE' } }, auth(owner)));
    const results = await Promise.all(['One', 'Two'].map((name) => gql(server, UPDATE, { input: { id: a.id, expectedVersion: 1, name } }, auth(owner))));
    expect(results.map((r) => errorCode(r) ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
  });

  it('clears a cap or the temperature with an explicit null and keeps fields not sent', async () => {
    const { createAgent: a } = ok(await gql(server, CREATE, { input: { name: 'Capped', model: 'simulated', status: 'INACTIVE', config: { temperature: 0.5, maxCostPerRunUsd: 1, maxSteps: 3, maxOutputTokens: null } } }, auth(owner)));
    expect(a.config).toMatchObject({ temperature: 0.5, maxCostPerRunUsd: 1, maxSteps: 3, maxOutputTokens: 1024 });
    const cleared = ok(await gql(server, UPDATE, { input: { id: a.id, expectedVersion: 1, config: { temperature: null, maxCostPerRunUsd: null, maxSteps: null } } }, auth(owner))).updateAgent;
    expect(cleared.config).toMatchObject({ temperature: null, maxCostPerRunUsd: null, maxSteps: 3 });
  });

  it('an update that changes nothing keeps the version; an invalid one writes nothing', async () => {
    const { createAgent: a } = ok(await gql(server, CREATE, { input: { name: 'Same', model: 'simulated', status: 'INACTIVE' } }, auth(owner)));
    expect(ok(await gql(server, UPDATE, { input: { id: a.id, expectedVersion: 1, name: 'Same' } }, auth(owner))).updateAgent.version).toBe(1);
    const before = await counts(owner);
    const invalid = await gql(server, UPDATE, { input: { id: a.id, expectedVersion: 1, config: { maxSteps: 99 } } }, auth(owner));
    expect(errorCode(invalid)).toBe('BAD_USER_INPUT');
    expect(invalid.errors![0]!.extensions).toMatchObject({ details: { field: 'config.maxSteps' } });
    expect(await counts(owner)).toEqual(before);
  });

  it('archives once, keeps archived agents out of the default list, and freezes them', async () => {
    const { createAgent: a } = ok(await gql(server, CREATE, { input: { name: 'Old', model: 'simulated', status: 'INACTIVE' } }, auth(owner)));
    expect(ok(await gql(server, ARCHIVE, { id: a.id }, auth(owner))).archiveAgent).toMatchObject({ status: 'ARCHIVED', version: 2 });
    expect(errorCode(await gql(server, ARCHIVE, { id: a.id }, auth(owner)))).toBe('CONFLICT');
    expect(errorCode(await gql(server, UPDATE, { input: { id: a.id, expectedVersion: 2, name: 'Back' } }, auth(owner)))).toBe('CONFLICT');
    const listed = (status?: string) => gql(server, 'query($s: AgentStatus) { agents(status: $s) { edges { node { id } } } }', { s: status }, auth(owner));
    expect(ok(await listed()).agents.edges.map((e: any) => e.node.id)).not.toContain(a.id);
    expect(ok(await listed('ARCHIVED')).agents.edges.map((e: any) => e.node.id)).toContain(a.id);
  });
});

describe('the active-agent quota of the plan', () => {
  it('allows two active agents on the free plan; the third is QUOTA_EXCEEDED with the limit, nothing written', async () => {
    const org = await newOrg();
    for (const name of ['One', 'Two']) ok(await gql(server, CREATE, { input: { name, model: 'simulated' } }, auth(org)));
    const before = await counts(org);
    const third = await gql(server, CREATE, { input: { name: 'Three', model: 'simulated' } }, auth(org));
    expect(errorCode(third)).toBe('QUOTA_EXCEEDED');
    expect(third.errors![0]!.message).toBe('The free plan allows 2 active agents: deactivate or archive one, or upgrade your plan');
    expect(await counts(org)).toEqual(before);

    // Inactive agents do not count; activating one over the limit is refused too.
    const { createAgent: idle } = ok(await gql(server, CREATE, { input: { name: 'Idle', model: 'simulated', status: 'INACTIVE' } }, auth(org)));
    expect(errorCode(await gql(server, UPDATE, { input: { id: idle.id, expectedVersion: 1, status: 'ACTIVE' } }, auth(org)))).toBe('QUOTA_EXCEEDED');

    // Archiving one frees a place.
    const { agents } = ok(await gql(server, 'query { agents(status: ACTIVE) { edges { node { id } } } }', {}, auth(org)));
    ok(await gql(server, ARCHIVE, { id: agents.edges[0].node.id }, auth(org)));
    expect(ok(await gql(server, UPDATE, { input: { id: idle.id, expectedVersion: 1, status: 'ACTIVE' } }, auth(org))).updateAgent.status).toBe('ACTIVE');
  });

  it('follows the plan: starter allows 5, enterprise is unlimited', async () => {
    const org = await newOrg();
    await server.deps.db.updateTable('organizations').set({ plan: 'starter' }).where('id', '=', orgUuid(org)).execute();
    for (let i = 0; i < 5; i++) ok(await gql(server, CREATE, { input: { name: `A${i}`, model: 'simulated' } }, auth(org)));
    const sixth = await gql(server, CREATE, { input: { name: 'A5', model: 'simulated' } }, auth(org));
    expect(sixth.errors![0]!.message).toContain('The starter plan allows 5 active agents');
    await server.deps.db.updateTable('organizations').set({ plan: 'enterprise' }).where('id', '=', orgUuid(org)).execute();
    ok(await gql(server, CREATE, { input: { name: 'A5', model: 'simulated' } }, auth(org)));
  });

  it('holds under concurrent creation: never more active agents than the plan allows', async () => {
    const org = await newOrg();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => gql(server, CREATE, { input: { name: `P${i}`, model: 'simulated' } }, auth(org))));
    expect(results.filter((r) => !r.errors)).toHaveLength(2);
    expect(results.filter((r) => errorCode(r) === 'QUOTA_EXCEEDED')).toHaveLength(4);
  });
});

describe('models, tools and provider keys', () => {
  it('lists the dated catalog with prices and whether a key is configured', async () => {
    const org = await newOrg();
    const viewer = await addMember(server, org, 'VIEWER');
    const { models } = ok(await gql(server, 'query { models { id provider displayName contextWindow inputPricePerMTokUsd outputPricePerMTokUsd cachedInputPricePerMTokUsd tier available pricesAsOf } }', {}, auth(viewer)));
    expect(models.find((m: any) => m.id === 'claude-sonnet-5-5')).toEqual({
      id: 'claude-sonnet-5-5', provider: 'ANTHROPIC', displayName: 'Claude Sonnet 5.5', contextWindow: 1000000,
      inputPricePerMTokUsd: 2, outputPricePerMTokUsd: 10, cachedInputPricePerMTokUsd: 0.2, tier: 'STRONG', available: false, pricesAsOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    // The server has an OpenAI key in its environment; simulated needs none.
    expect(models.find((m: any) => m.id === 'gpt-6.1-sol').available).toBe(true);
    expect(models.find((m: any) => m.id === 'simulated').available).toBe(true);
    const { tools } = ok(await gql(server, 'query { tools { name description inputSchema } }', {}, auth(viewer)));
    expect(tools.map((t: any) => t.name).sort()).toEqual(['calculator', 'current_time']);
    expect(tools[0].inputSchema.type).toBe('object');
  });

  it('stores a key sealed, shows only a hint, never logs it in the audit, and lets routing see it', async () => {
    const org = await newOrg();
    const secret = 'sk-ant-api03-the-real-secret-value-XYZ9';
    const KEYS = 'query { organization { providerKeys { provider source keyHint baseUrl } } }';
    expect(ok(await gql(server, KEYS, {}, auth(org))).organization.providerKeys).toEqual([
      { provider: 'ANTHROPIC', source: 'NONE', keyHint: null, baseUrl: null },
      { provider: 'OPENAI', source: 'ENVIRONMENT', keyHint: null, baseUrl: null },
      { provider: 'GEMINI', source: 'NONE', keyHint: null, baseUrl: null },
      { provider: 'OPENAI_COMPATIBLE', source: 'NONE', keyHint: null, baseUrl: null },
    ]);
    const set = ok(await gql(server, 'mutation($i: SetProviderKeyInput!) { setProviderKey(input: $i) { provider source keyHint } }', { i: { provider: 'ANTHROPIC', apiKey: secret } }, auth(org)));
    expect(set.setProviderKey).toEqual({ provider: 'ANTHROPIC', source: 'ORGANIZATION', keyHint: '…XYZ9' });
    const row = await server.deps.db.selectFrom('provider_credentials').selectAll().where('organization_id', '=', orgUuid(org)).executeTakeFirstOrThrow();
    expect(row.encrypted_key).not.toContain(secret);
    expect(server.deps.secrets.open(row.encrypted_key!, `org:${orgUuid(org)}:provider:anthropic`)).toBe(secret);
    const audit = await server.deps.db.selectFrom('audit_log').select('details').where('organization_id', '=', orgUuid(org)).where('action', '=', 'provider_key.set').execute();
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).toContain('…XYZ9');
    const { models } = ok(await gql(server, 'query { models { id available } }', {}, auth(org)));
    expect(models.find((m: any) => m.id === 'claude-sonnet-5-5').available).toBe(true);

    ok(await gql(server, 'mutation { removeProviderKey(provider: ANTHROPIC) { source } }', {}, auth(org)));
    expect(ok(await gql(server, KEYS, {}, auth(org))).organization.providerKeys[0].source).toBe('NONE');
    expect(errorCode(await gql(server, 'mutation { removeProviderKey(provider: ANTHROPIC) { source } }', {}, auth(org)))).toBe('BAD_USER_INPUT');
  });

  it.each([
    [{ provider: 'OPENAI' }, 'Enter an API key'],
    [{ provider: 'OPENAI', apiKey: 'short' }, 'too short'],
    [{ provider: 'OPENAI_COMPATIBLE', baseUrl: 'file:///etc/passwd' }, 'http(s) URL'],
    [{ provider: 'SIMULATED', apiKey: 'whatever-long-enough' }, 'The simulated model needs no key'],
  ])('refuses provider key input %j', async (input, message) => {
    const org = await newOrg();
    const r = await gql(server, 'mutation($i: SetProviderKeyInput!) { setProviderKey(input: $i) { source } }', { i: input }, auth(org));
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toContain(message);
    expect(await server.deps.db.selectFrom('provider_credentials').selectAll().where('organization_id', '=', orgUuid(org)).execute()).toEqual([]);
  });

  it('refuses private base URLs when the server does not allow them', async () => {
    const strict = await startTestServer(db.url, { ALLOW_PRIVATE_PROVIDER_URLS: 'false' });
    try {
      const org = await registerAccount(strict);
      for (const baseUrl of ['http://127.0.0.1:11434/v1', 'http://169.254.169.254/latest', 'http://[::ffff:10.0.0.1]/v1', 'http://localhost:8080/v1']) {
        const r = await gql(strict, 'mutation($i: SetProviderKeyInput!) { setProviderKey(input: $i) { source } }', { i: { provider: 'OPENAI_COMPATIBLE', baseUrl } }, auth(org));
        expect(errorCode(r), baseUrl).toBe('BAD_USER_INPUT');
        expect(r.errors![0]!.message).toContain('points at a private address');
      }
    } finally { await strict.stop(); }
  });

  it('accepts an OpenAI-compatible server by base URL alone', async () => {
    const org = await newOrg();
    const r = ok(await gql(server, 'mutation($i: SetProviderKeyInput!) { setProviderKey(input: $i) { provider source keyHint baseUrl } }', { i: { provider: 'OPENAI_COMPATIBLE', baseUrl: 'http://127.0.0.1:11434/v1' } }, auth(org)));
    expect(r.setProviderKey).toEqual({ provider: 'OPENAI_COMPATIBLE', source: 'ORGANIZATION', keyHint: null, baseUrl: 'http://127.0.0.1:11434/v1' });
  });
});
