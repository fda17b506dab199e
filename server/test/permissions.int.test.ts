import { randomBytes } from 'node:crypto';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../src/graphql/ids.ts';
import { schema } from '../src/graphql/schema.ts';
import { PERMISSIONS, ROLES, roleCan, type Access, type Permission, type Role } from '../src/modules/auth/permissions.ts';
import { addMember, errorCode, gql, inviteToken, ok, registerAccount, startTestServer, testDatabase, type Account, type Auth, type TestServer } from './helpers.ts';
import type { PluginManifest } from '@agentflow/plugin-sdk';
import { digestOf } from '@agentflow/plugin-sdk/pack';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
let owner: Account;
beforeAll(async () => {
  db = await testDatabase();
  // Many sign-ups from one IP: lift the per-IP register limit for this file.
  server = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '100000' });
  owner = await registerAccount(server);
  // Hundreds of runs are started here: lift the free plan's monthly task quota.
  await server.deps.db.updateTable('organizations').set({ plan: 'enterprise' }).where('id', '=', fromGlobalId(owner.orgId, 'Organization')).execute();
});
afterAll(async () => { await server?.stop(); await db?.drop(); });

// ---------------------------------------------------------------------------------------------
// One valid call per mutation. `variables` prepares fresh arguments (acting as the organization's
// owner where something must exist first) for a call made by `caller` in `owner`'s organization.

type Vars = Record<string, unknown>;
interface Env { owner: Account; caller: Account }
interface Case { document: string; variables: (env: Env) => Promise<Vars> | Vars }

const PASSWORD = 'correct horse battery staple';
const fresh = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;
const freshEmail = () => `${fresh('p')}@example.com`;
const asOwner = (env: Env): Auth => ({ token: env.owner.token, org: env.owner.orgId });

async function membershipOf(account: Account, orgId: string): Promise<string> {
  const row = await server.deps.db.selectFrom('memberships').select('id')
    .where('organization_id', '=', fromGlobalId(orgId, 'Organization')).where('user_id', '=', fromGlobalId(account.userId, 'User'))
    .executeTakeFirstOrThrow();
  return toGlobalId('Membership', row.id);
}

const MUTATIONS: Record<string, Case> = {
  register: {
    document: 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
    variables: () => ({ input: { email: freshEmail(), password: PASSWORD, name: 'Newcomer', organizationName: fresh('Org') } }),
  },
  login: {
    document: 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }',
    variables: ({ caller }) => ({ input: { email: caller.email, password: caller.password } }),
  },
  refreshSession: {
    document: 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }',
    variables: ({ caller }) => ({ t: caller.refreshToken }),
  },
  logout: { document: 'mutation { logout }', variables: () => ({}) },
  requestPasswordReset: {
    document: 'mutation($email: String!) { requestPasswordReset(email: $email) }',
    variables: ({ caller }) => ({ email: caller.email }),
  },
  resetPassword: {
    document: 'mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }',
    variables: async ({ caller }) => {
      ok(await gql(server, 'mutation($e: String!) { requestPasswordReset(email: $e) }', { e: caller.email }));
      const mail = await server.deps.db.selectFrom('email_outbox').select('body').where('recipient', '=', caller.email)
        .where('subject', 'like', '%password%').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      return { input: { token: /token=([A-Za-z0-9_-]+)/.exec(mail.body)![1], password: 'a brand new password' } };
    },
  },
  createOrganization: {
    document: 'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
    variables: () => ({ input: { name: fresh('Second org') } }),
  },
  renameOrganization: {
    document: 'mutation($input: RenameOrganizationInput!) { renameOrganization(input: $input) { name } }',
    variables: () => ({ input: { name: fresh('Renamed') } }),
  },
  inviteMember: {
    document: 'mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id } }',
    variables: () => ({ input: { email: freshEmail(), role: 'MEMBER' } }),
  },
  revokeInvitation: {
    document: 'mutation($id: ID!) { revokeInvitation(id: $id) { status } }',
    variables: async (env) => {
      const r = ok(await gql(server, MUTATIONS.inviteMember!.document, { input: { email: freshEmail(), role: 'VIEWER' } }, asOwner(env)));
      return { id: r.inviteMember.id };
    },
  },
  acceptInvitation: {
    document: 'mutation($token: String!) { acceptInvitation(token: $token) { id role } }',
    // Someone else's organization invites the caller's address.
    variables: async ({ caller }) => ({ token: await inviteToken(server, await registerAccount(server), caller.email, 'MEMBER') }),
  },
  changeMemberRole: {
    document: 'mutation($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { role } }',
    variables: async (env) => ({ input: { membershipId: await membershipOf(await addMember(server, env.owner, 'VIEWER'), env.owner.orgId), role: 'MEMBER' } }),
  },
  removeMember: {
    document: 'mutation($id: ID!) { removeMember(membershipId: $id) }',
    variables: async (env) => ({ id: await membershipOf(await addMember(server, env.owner, 'VIEWER'), env.owner.orgId) }),
  },
  leaveOrganization: { document: 'mutation { leaveOrganization }', variables: () => ({}) },
  createApiKey: {
    document: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    variables: () => ({ input: { name: fresh('key'), role: 'VIEWER' } }),
  },
  revokeApiKey: {
    document: 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
    variables: async (env) => {
      const r = ok(await gql(server, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }', { i: { name: fresh('key'), role: 'VIEWER' } }, asOwner(env)));
      return { id: r.createApiKey.apiKey.id };
    },
  },
  createAgent: {
    document: 'mutation($input: CreateAgentInput!) { createAgent(input: $input) { id } }',
    // Inactive, so the free plan's active-agent quota never decides the outcome.
    variables: () => ({ input: { name: fresh('Agent'), model: 'simulated', status: 'INACTIVE' } }),
  },
  updateAgent: {
    document: 'mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { version } }',
    variables: async (env) => ({ input: { id: await agentOf(env), expectedVersion: 1, name: fresh('Renamed agent') } }),
  },
  archiveAgent: {
    document: 'mutation($id: ID!) { archiveAgent(id: $id) { status } }',
    variables: async (env) => ({ id: await agentOf(env) }),
  },
  testAgent: {
    document: 'mutation($input: TestAgentInput!) { testAgent(input: $input) { id } }',
    variables: async (env) => ({ input: { agentId: await agentOf(env), messages: [{ role: 'USER', content: 'Hello' }] } }),
  },
  stopAgentTest: {
    document: 'mutation($id: ID!) { stopAgentTest(id: $id) { id } }',
    // A session recorded as running (no process runs it): stopping it is the request itself.
    variables: async (env) => {
      const agentId = fromGlobalId(await agentOf(env), 'Agent');
      const row = await server.deps.db.insertInto('agent_test_sessions').values({
        organization_id: fromGlobalId(env.owner.orgId, 'Organization'), agent_id: agentId, agent_version: 1, messages: '[]',
      }).returning('id').executeTakeFirstOrThrow();
      return { id: toGlobalId('AgentTestSession', row.id) };
    },
  },
  setProviderKey: {
    document: 'mutation($input: SetProviderKeyInput!) { setProviderKey(input: $input) { keyHint } }',
    variables: () => ({ input: { provider: 'OPENAI', apiKey: `sk-test-${fresh('key')}` } }),
  },
  removeProviderKey: {
    document: 'mutation($p: LlmProvider!) { removeProviderKey(provider: $p) { source } }',
    variables: async (env) => {
      ok(await gql(server, MUTATIONS.setProviderKey!.document, { input: { provider: 'GEMINI', apiKey: `gm-test-${fresh('key')}` } }, asOwner(env)));
      return { p: 'GEMINI' };
    },
  },
  createWorkflow: {
    document: 'mutation($input: CreateWorkflowInput!) { createWorkflow(input: $input) { id } }',
    variables: () => ({ input: { name: fresh('Workflow') } }),
  },
  updateWorkflow: {
    document: 'mutation($input: UpdateWorkflowInput!) { updateWorkflow(input: $input) { version } }',
    variables: async (env) => ({ input: { id: await workflowOf(env), expectedVersion: 1, name: fresh('Renamed workflow') } }),
  },
  archiveWorkflow: {
    document: 'mutation($id: ID!) { archiveWorkflow(id: $id) { status } }',
    variables: async (env) => ({ id: await workflowOf(env) }),
  },
  rotateWebhookSecret: {
    document: 'mutation($id: ID!) { rotateWebhookSecret(workflowId: $id) { secret } }',
    variables: async (env) => ({ id: await workflowOf(env) }),
  },
  startRun: {
    document: 'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
    variables: async (env) => ({ input: { workflowId: await workflowOf(env), input: { hello: 'world' } } }),
  },
  cancelRun: {
    document: 'mutation($id: ID!) { cancelRun(id: $id) { status } }',
    variables: async (env) => ({ id: (await waitingRun(env)).runId }),
  },
  retryRun: {
    document: 'mutation($id: ID!) { retryRun(id: $id) { status } }',
    variables: async (env) => ({ id: await failedRun(env) }),
  },
  approveStep: {
    document: 'mutation($id: ID!) { approveStep(approvalId: $id, comment: "ok") { status } }',
    variables: async (env) => ({ id: (await waitingRun(env)).approvalId }),
  },
  rejectStep: {
    document: 'mutation($id: ID!) { rejectStep(approvalId: $id) { status } }',
    variables: async (env) => ({ id: (await waitingRun(env)).approvalId }),
  },
  publishPlugin: {
    document: 'mutation($input: PublishPluginInput!) { publishPlugin(input: $input) { id } }',
    variables: () => ({ input: { document: packedPlugin(fresh('perm')) } }),
  },
  installPlugin: {
    document: 'mutation($input: InstallPluginInput!) { installPlugin(input: $input) { id } }',
    variables: async (env) => ({ input: { listingId: (await pluginListing(env)).id } }),
  },
  upgradePlugin: {
    document: 'mutation($input: UpgradePluginInput!) { upgradePlugin(input: $input) { id } }',
    variables: async (env) => ({ input: { installationId: await installedPlugin(env, { nextNetwork: ['api.example.com'] }) } }),
  },
  approvePluginUpgrade: {
    document: 'mutation($id: ID!) { approvePluginUpgrade(installationId: $id) { id } }',
    // The next version asks for another host, so the owner's upgrade waits for this consent.
    variables: async (env) => ({ id: await installedPlugin(env, { nextNetwork: ['api.example.com', 'hooks.example.com'] }) }),
  },
  uninstallPlugin: {
    document: 'mutation($id: ID!) { uninstallPlugin(installationId: $id) }',
    variables: async (env) => ({ id: await installedPlugin(env) }),
  },
  reviewPlugin: {
    document: 'mutation($input: ReviewPluginInput!) { reviewPlugin(input: $input) { id } }',
    // Another organization's listing, installed by the owner (organizations do not review their own).
    variables: async (env) => ({ input: { listingId: (await installedPluginOf(env, await pluginPublisher())).listingId, rating: 4, body: 'Works' } }),
  },
  installTemplate: {
    document: 'mutation($input: InstallTemplateInput!) { installTemplate(input: $input) { installation { id } } }',
    variables: async (env) => {
      const name = fresh('tmpl');
      const agentTemplate = { name: 'Helper', role: 'Helps', instructions: 'Help.', model: 'simulated', tools: [] };
      ok(await gql(server, MUTATIONS.publishPlugin!.document, { input: { document: packedPlugin(name, '1.0.0', { kind: 'agent_template', tools: [], agentTemplate }) } }, asOwner(env)));
      return { input: { listingId: await listingIdByName(env, name) } };
    },
  },
  createIntegration: {
    document: 'mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }',
    variables: async (env) => ({ input: { pluginName: await integrationPlugin(env, 'apiKey'), name: fresh('Integration'), apiKey: { token: 'tok-permission-table' } } }),
  },
  connectIntegration: {
    document: 'mutation($input: ConnectIntegrationInput!) { connectIntegration(input: $input) { authorizeUrl } }',
    variables: async (env) => ({ input: { integrationId: await integrationOf(env, 'oauth2') } }),
  },
  testIntegration: {
    document: 'mutation($id: ID!) { testIntegration(id: $id) { ok message } }',
    // No test URL: the answer says so (no outside call); the call is what is checked.
    variables: async (env) => ({ id: await integrationOf(env, 'apiKey') }),
  },
  disconnectIntegration: {
    document: 'mutation($id: ID!) { disconnectIntegration(id: $id) { status } }',
    variables: async (env) => ({ id: await integrationOf(env, 'apiKey') }),
  },
  deleteIntegration: {
    document: 'mutation($id: ID!) { deleteIntegration(id: $id) }',
    variables: async (env) => ({ id: await integrationOf(env, 'apiKey') }),
  },
  testCustomTool: {
    document: 'mutation($input: TestCustomToolInput!) { testCustomTool(input: $input) { ok } }',
    variables: () => ({ input: { ...customTool(fresh('t').replaceAll('-', '_')), input: {} } }),
  },
  saveCustomTool: {
    document: 'mutation($input: SaveCustomToolInput!) { saveCustomTool(input: $input) { id } }',
    variables: () => ({ input: customTool(fresh('t').replaceAll('-', '_')) }),
  },
};

const APPROVAL_FLOW = {
  version: 1,
  nodes: [
    { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
    { id: 'check', type: 'approval', name: 'Check', config: { message: 'Go?' } },
    { id: 'done', type: 'output', name: 'Done', config: { value: '{{nodes.check.output}}' } },
  ],
  edges: [{ id: 'a', source: 'start', sourceOutput: 'out', target: 'check', targetInput: 'in' }, { id: 'b', source: 'check', sourceOutput: 'approved', target: 'done', targetInput: 'in' }],
};
const FAILING_FLOW = {
  version: 1,
  nodes: [
    { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
    { id: 'divide', type: 'tool', name: 'Divide', config: { tool: 'calculator', input: { expression: '1/0' } } },
    { id: 'done', type: 'output', name: 'Done', config: { value: '{{nodes.divide.output}}' } },
  ],
  edges: [{ id: 'a', source: 'start', sourceOutput: 'out', target: 'divide', targetInput: 'in' }, { id: 'b', source: 'divide', sourceOutput: 'out', target: 'done', targetInput: 'in' }],
};

/** A fresh draft workflow (the starter: a manual trigger wired to an output) of the owner's organization. */
async function workflowOf(env: Env, definition?: unknown): Promise<string> {
  const r = ok(await gql(server, MUTATIONS.createWorkflow!.document, { input: { name: fresh('Workflow'), definition } }, asOwner(env)));
  return r.createWorkflow.id;
}

async function runUntil(env: Env, definition: unknown, status: string): Promise<string> {
  const r = ok(await gql(server, MUTATIONS.startRun!.document, { input: { workflowId: await workflowOf(env, definition) } }, asOwner(env)));
  const id = fromGlobalId(r.startRun.id, 'Run');
  await expect.poll(async () => (await server.deps.db.selectFrom('workflow_runs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, { timeout: 10_000 }).toBe(status);
  return r.startRun.id;
}

/** A run parked on an approval (settled, so nothing changes under the call being checked). */
async function waitingRun(env: Env): Promise<{ runId: string; approvalId: string }> {
  const runId = await runUntil(env, APPROVAL_FLOW, 'waiting');
  const approval = await server.deps.db.selectFrom('approvals').select('id').where('run_id', '=', fromGlobalId(runId, 'Run')).executeTakeFirstOrThrow();
  return { runId, approvalId: toGlobalId('Approval', approval.id) };
}

const failedRun = (env: Env) => runUntil(env, FAILING_FLOW, 'failed');

/** A fresh inactive agent of the owner's organization. */
async function agentOf(env: Env): Promise<string> {
  const r = ok(await gql(server, MUTATIONS.createAgent!.document, { input: { name: fresh('Agent'), model: 'simulated', status: 'INACTIVE' } }, asOwner(env)));
  return r.createAgent.id;
}

/** A packed plugin document with one tool, as `agentflow-plugin pack` writes it (unsigned). */
function packedPlugin(name: string, version = '1.0.0', over: Record<string, unknown> = {}, network = ['api.example.com']) {
  const manifest = {
    name, version, kind: 'plugin', title: `Plugin ${name}`, description: 'A plugin for the permission table', engines: { agentflow: '^1.0.0' },
    permissions: { network, secrets: [] }, tools: [{ name: 'echo', description: 'Echoes', inputSchema: { type: 'object' } }], ...over,
  } as PluginManifest;
  const bundle = manifest.kind === 'plugin' ? 'var AgentFlowPlugin = { default: { tools: [] } };' : '';
  return { format: 'agentflow-plugin@1', manifest, bundle, sha256: digestOf(manifest, bundle), signature: null };
}

async function listingIdByName(env: Env, name: string): Promise<string> {
  return ok(await gql(server, 'query($n: String!) { marketplaceListing(name: $n) { id } }', { n: name }, asOwner(env))).marketplaceListing.id;
}

/** A fresh plugin listing, published by `publisher` (default: the owner's organization). */
async function pluginListing(env: Env, publisher: Account = env.owner, nextNetwork?: string[]): Promise<{ id: string; name: string; publish(): Promise<void> }> {
  const name = fresh('plug');
  const as = { token: publisher.token, org: publisher.orgId };
  ok(await gql(server, MUTATIONS.publishPlugin!.document, { input: { document: packedPlugin(name) } }, as));
  return {
    id: await listingIdByName(env, name), name,
    publish: async () => { ok(await gql(server, MUTATIONS.publishPlugin!.document, { input: { document: packedPlugin(name, '1.1.0', {}, nextNetwork) } }, as)); },
  };
}

/** A plugin installed by the owner at 1.0.0; with `nextNetwork`, 1.1.0 is published too (and, if it asks for more, the owner's upgrade waits). */
async function installedPlugin(env: Env, opts: { nextNetwork?: string[] } = {}): Promise<string> {
  const listing = await pluginListing(env, env.owner, opts.nextNetwork);
  const r = ok(await gql(server, MUTATIONS.installPlugin!.document, { input: { listingId: listing.id } }, asOwner(env)));
  if (opts.nextNetwork) {
    await listing.publish();
    if (opts.nextNetwork.length > 1) ok(await gql(server, MUTATIONS.upgradePlugin!.document, { input: { installationId: r.installPlugin.id } }, asOwner(env)));
  }
  return r.installPlugin.id;
}

async function installedPluginOf(env: Env, publisher: Account): Promise<{ listingId: string }> {
  const listing = await pluginListing(env, publisher);
  ok(await gql(server, MUTATIONS.installPlugin!.document, { input: { listingId: listing.id } }, asOwner(env)));
  return { listingId: listing.id };
}

let publisherAccount: Account | undefined;
/** Another organization that publishes plugins the owner's organization installs and reviews. */
async function pluginPublisher(): Promise<Account> {
  publisherAccount ??= await registerAccount(server);
  return publisherAccount;
}

/** A fresh plugin with an integration (API key or OAuth 2.0), published and installed by the owner; its name. */
async function integrationPlugin(env: Env, type: 'apiKey' | 'oauth2'): Promise<string> {
  const name = fresh('integ');
  const integration = type === 'apiKey'
    ? { title: 'Service', auth: { type, fields: [{ name: 'token', label: 'Token' }] } }
    : { title: 'Service', auth: { type, authorizeUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token', scopes: ['read'] } };
  const secrets = type === 'apiKey' ? ['token'] : ['accessToken'];
  // The token URL's host must be among the network permissions (validateManifest).
  const network = type === 'apiKey' ? ['api.example.com'] : ['api.example.com', 'auth.example.com'];
  ok(await gql(server, MUTATIONS.publishPlugin!.document, { input: { document: packedPlugin(name, '1.0.0', { integration, permissions: { network, secrets } }) } }, asOwner(env)));
  ok(await gql(server, MUTATIONS.installPlugin!.document, { input: { listingId: await listingIdByName(env, name) } }, asOwner(env)));
  return name;
}

/** A small custom tool draft with a fresh name. */
const customTool = (name: string) => ({
  name, description: 'Echoes its input', inputSchema: { type: 'object' }, code: 'async function run(input) { return input; }',
});

/** A fresh integration of the owner's organization. */
async function integrationOf(env: Env, type: 'apiKey' | 'oauth2'): Promise<string> {
  const input = { pluginName: await integrationPlugin(env, type), name: fresh('Integration'), ...(type === 'apiKey' ? { apiKey: { token: 'tok-permission-table' } } : { oauthClientId: 'client', oauthClientSecret: 'secret' }) };
  return ok(await gql(server, MUTATIONS.createIntegration!.document, { input }, asOwner(env))).createIntegration.id;
}

// ---------------------------------------------------------------------------------------------

const isAccess = (v: unknown): v is Access => v === 'public' || v === 'user' || (typeof v === 'string' && Object.hasOwn(PERMISSIONS, v));
const mutationFields = Object.values(schema.getMutationType()!.getFields());
const accessOf = (name: string): Access => mutationFields.find((f) => f.name === name)!.extensions?.access as Access;
const peopleOnly = (name: string): boolean => mutationFields.find((f) => f.name === name)!.extensions?.peopleOnly === true;
const byAccess = (pred: (a: Access) => boolean) => mutationFields.map((f) => f.name).filter((n) => isAccess(accessOf(n)) && pred(accessOf(n)));
const permissionMutations = byAccess((a) => a !== 'public' && a !== 'user');
const userMutations = byAccess((a) => a === 'user');
const nonPublicMutations = byAccess((a) => a !== 'public');

async function auditCount(): Promise<number> {
  const r = await server.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Everything a refused call must leave untouched (ids and states, not background-updated columns). */
async function snapshot() {
  const d = server.deps.db;
  return {
    organizations: await d.selectFrom('organizations').select(['id', 'name']).orderBy('id').execute(),
    memberships: await d.selectFrom('memberships').select(['id', 'role']).orderBy('id').execute(),
    invitations: await d.selectFrom('invitations').select(['id', 'accepted_at', 'revoked_at']).orderBy('id').execute(),
    apiKeys: await d.selectFrom('api_keys').select(['id', 'revoked_at']).orderBy('id').execute(),
    sessions: await d.selectFrom('sessions').select(['id', 'revoked_at']).orderBy('id').execute(),
    users: await d.selectFrom('users').select(['id', 'password_hash']).orderBy('id').execute(),
    outbox: await d.selectFrom('email_outbox').select('id').orderBy('id').execute(),
    agents: await d.selectFrom('agents').select(['id', 'version', 'status']).orderBy('id').execute(),
    agentTests: await d.selectFrom('agent_test_sessions').select('id').orderBy('id').execute(),
    workflows: await d.selectFrom('workflows').select(['id', 'version', 'status', 'webhook_secret']).orderBy('id').execute(),
    // Ids only: a retried run goes on failing in the background while later calls are checked.
    runs: await d.selectFrom('workflow_runs').select('id').orderBy('id').execute(),
    approvals: await d.selectFrom('approvals').select(['id', 'status']).orderBy('id').execute(),
    providerKeys: await d.selectFrom('provider_credentials').select(['organization_id', 'provider', 'updated_at']).orderBy('provider').execute(),
    audit: await auditCount(),
  };
}

async function createKey(role: Role): Promise<string> {
  const r = ok(await gql(server, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: fresh('key'), role: role.toUpperCase() } }, { token: owner.token, org: owner.orgId }));
  return r.createApiKey.secret;
}

interface Outcome { code: string; wroteAudit: boolean; changedNothing: boolean }
const ALLOWED: Outcome = { code: 'OK', wroteAudit: true, changedNothing: false };
const REFUSED = (code: string): Outcome => ({ code, wroteAudit: false, changedNothing: true });

/** Prepares fresh arguments, then makes the one call and reports what it did to the database. */
async function attempt(name: string, env: Env, auth: Auth): Promise<{ outcome: Outcome; errors: unknown }> {
  const c = MUTATIONS[name]!;
  const variables = await c.variables(env);
  const before = await snapshot();
  const result = await gql(server, c.document, variables, auth);
  const after = await snapshot();
  const succeeded = !result.errors && result.data?.[name] !== undefined && result.data?.[name] !== null;
  return {
    outcome: { code: succeeded ? 'OK' : errorCode(result) ?? 'NO CODE', wroteAudit: after.audit > before.audit, changedNothing: JSON.stringify(after) === JSON.stringify(before) },
    errors: result.errors,
  };
}

describe('the mutation table', () => {
  it('every Mutation field declares extensions.access (public, user or a permission)', () => {
    const missing = mutationFields.filter((f) => !isAccess(f.extensions?.access)).map((f) => `${f.name}: ${JSON.stringify(f.extensions?.access)}`);
    expect(missing, `mutations without a valid extensions.access: ${missing.join(', ')}`).toEqual([]);
  });

  it('has exactly one valid call per schema mutation, each calling that mutation', () => {
    const inSchema = mutationFields.map((f) => f.name).sort();
    const inTable = Object.keys(MUTATIONS).sort();
    expect(inSchema.filter((n) => !inTable.includes(n)), 'mutations without an entry in MUTATIONS').toEqual([]);
    expect(inTable.filter((n) => !inSchema.includes(n)), 'MUTATIONS entries that are not in the schema').toEqual([]);
    for (const [name, c] of Object.entries(MUTATIONS)) {
      const op = parse(c.document).definitions[0] as OperationDefinitionNode;
      const fields = op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '?'));
      expect({ name, operation: op.operation, fields }).toEqual({ name, operation: 'mutation', fields: [name] });
    }
  });

  it('is public only for the sign-in entry points; everything else needs a user or a permission', () => {
    // A new public mutation must be a deliberate decision: add it here after review.
    expect(byAccess((a) => a === 'public').sort()).toEqual(['login', 'refreshSession', 'register', 'requestPasswordReset', 'resetPassword']);
    expect(permissionMutations.length + userMutations.length).toBe(nonPublicMutations.length);
    expect(permissionMutations.length).toBeGreaterThan(0);
  });
});

describe.each(ROLES)('a signed-in %s', (role) => {
  let caller: Account;
  beforeAll(async () => { caller = role === 'owner' ? owner : await addMember(server, owner, role.toUpperCase()); });

  it.each(permissionMutations)('%s follows the permission table', async (name) => {
    const permission = accessOf(name) as Permission;
    const { outcome, errors } = await attempt(name, { owner, caller }, { token: caller.token, org: owner.orgId });
    // Allowed: succeeds and writes an audit entry. Not allowed: FORBIDDEN and nothing written.
    expect(outcome, `${role} / ${permission}: ${JSON.stringify(errors)}`).toEqual(roleCan(role, permission) ? ALLOWED : REFUSED('FORBIDDEN'));
  });
});

describe.each(ROLES)('an API key with role %s', (role) => {
  let key: string;
  beforeAll(async () => { key = await createKey(role); });

  it.each(permissionMutations)('%s follows the permission table (people-only permissions are never a key\'s)', async (name) => {
    const permission = accessOf(name) as Permission;
    const allowed = roleCan(role, permission) && !peopleOnly(name);
    const { outcome, errors } = await attempt(name, { owner, caller: owner }, { token: key });
    expect(outcome, `${role} key / ${permission}: ${JSON.stringify(errors)}`).toEqual(allowed ? ALLOWED : REFUSED('FORBIDDEN'));
  });
});

describe('callers without a person behind them', () => {
  let member: Account;
  beforeAll(async () => { member = await addMember(server, owner, 'MEMBER'); });

  it.each(nonPublicMutations)('%s without a token is UNAUTHENTICATED and changes nothing', async (name) => {
    expect((await attempt(name, { owner, caller: member }, {})).outcome).toEqual(REFUSED('UNAUTHENTICATED'));
  });

  it.each(userMutations)('%s with an (owner) API key is FORBIDDEN and changes nothing', async (name) => {
    const key = await createKey('owner');
    expect((await attempt(name, { owner, caller: member }, { token: key })).outcome).toEqual(REFUSED('FORBIDDEN'));
  });
});

describe('every mutation writes an audit entry', () => {
  it.each(Object.keys(MUTATIONS))('%s, called validly by an admin', async (name) => {
    // A fresh admin per call: logout, resetPassword and leaveOrganization end what they act on.
    const caller = await addMember(server, owner, 'ADMIN');
    const { outcome, errors } = await attempt(name, { owner, caller }, { token: caller.token, org: owner.orgId });
    expect(outcome, JSON.stringify(errors)).toEqual(ALLOWED);
  });
});

// ---------------------------------------------------------------------------------------------

const CHANGE_ROLE = MUTATIONS.changeMemberRole!.document;
const REMOVE = MUTATIONS.removeMember!.document;
const LEAVE = MUTATIONS.leaveOrganization!.document;

describe('the owner role', () => {
  it('an admin cannot invite an OWNER, promote to OWNER, or demote or remove an owner', async () => {
    const org = await registerAccount(server);
    const admin = await addMember(server, org, 'ADMIN');
    const member = await addMember(server, org, 'MEMBER');
    const asAdmin = { token: admin.token, org: org.orgId };
    const ownerMembership = await membershipOf(org, org.orgId);
    const before = await snapshot();

    expect(errorCode(await gql(server, MUTATIONS.inviteMember!.document, { input: { email: freshEmail(), role: 'OWNER' } }, asAdmin))).toBe('FORBIDDEN');
    expect(errorCode(await gql(server, CHANGE_ROLE, { input: { membershipId: await membershipOf(member, org.orgId), role: 'OWNER' } }, asAdmin))).toBe('FORBIDDEN');
    expect(errorCode(await gql(server, CHANGE_ROLE, { input: { membershipId: ownerMembership, role: 'ADMIN' } }, asAdmin))).toBe('FORBIDDEN');
    expect(errorCode(await gql(server, REMOVE, { id: ownerMembership }, asAdmin))).toBe('FORBIDDEN');
    // Nor can an admin promote themselves.
    expect(errorCode(await gql(server, CHANGE_ROLE, { input: { membershipId: await membershipOf(admin, org.orgId), role: 'OWNER' } }, asAdmin))).toBe('FORBIDDEN');

    expect(await snapshot()).toEqual(before);
  });

  it('the last owner can be neither demoted, removed nor leave (CONFLICT), and stays owner', async () => {
    const org = await registerAccount(server);
    const asOwnerAuth = { token: org.token, org: org.orgId };
    const ownerMembership = await membershipOf(org, org.orgId);
    // Only another owner-level caller can try to remove the owner: an owner API key.
    const ownerKey = ok(await gql(server, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: 'root', role: 'OWNER' } }, asOwnerAuth)).createApiKey.secret;
    const before = await snapshot();

    expect(errorCode(await gql(server, CHANGE_ROLE, { input: { membershipId: ownerMembership, role: 'ADMIN' } }, asOwnerAuth))).toBe('CONFLICT');
    expect(errorCode(await gql(server, CHANGE_ROLE, { input: { membershipId: ownerMembership, role: 'VIEWER' } }, { token: ownerKey }))).toBe('CONFLICT');
    expect(errorCode(await gql(server, REMOVE, { id: ownerMembership }, { token: ownerKey }))).toBe('CONFLICT');
    expect(errorCode(await gql(server, LEAVE, {}, asOwnerAuth))).toBe('CONFLICT');
    // Removing yourself is not how one leaves.
    expect(errorCode(await gql(server, REMOVE, { id: ownerMembership }, asOwnerAuth))).toBe('BAD_USER_INPUT');

    expect(await snapshot()).toEqual(before);
    const row = await server.deps.db.selectFrom('memberships').select('role').where('id', '=', fromGlobalId(ownerMembership, 'Membership')).executeTakeFirstOrThrow();
    expect(row.role).toBe('owner');
  });

  it('with two owners one may leave, and then the other is the last owner', async () => {
    const first = await registerAccount(server);
    const second = await addMember(server, first, 'ADMIN');
    ok(await gql(server, CHANGE_ROLE, { input: { membershipId: await membershipOf(second, first.orgId), role: 'OWNER' } }, { token: first.token, org: first.orgId }));

    const left = ok(await gql(server, LEAVE, {}, { token: first.token, org: first.orgId }));
    expect(left.leaveOrganization).toBe(first.orgId);
    const owners = await server.deps.db.selectFrom('memberships').select(['user_id', 'role'])
      .where('organization_id', '=', fromGlobalId(first.orgId, 'Organization')).execute();
    expect(owners).toEqual([{ user_id: fromGlobalId(second.userId, 'User'), role: 'owner' }]);

    expect(errorCode(await gql(server, LEAVE, {}, { token: second.token, org: first.orgId }))).toBe('CONFLICT');
  });
});
