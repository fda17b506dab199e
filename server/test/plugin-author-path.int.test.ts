import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromGlobalId } from '../src/graphql/ids.ts';
import { gql, ok, registerAccount, startTestServer, testDatabase, type Account, type Auth, type TestServer } from './helpers.ts';

/**
 * A plugin author's whole path, as one test: `agentflow-plugin init` -> `test` -> `pack` ->
 * `publish` (the real CLI, over HTTP with an API key) -> an organization installs it, connects
 * its integration, and an agent calls the tool in a workflow run. GitHub is mocked with msw: the
 * sandbox's fetch bridge runs in this process.
 */
const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../plugin-sdk/bin/agentflow-plugin.mjs', import.meta.url));
// Under the repository, so the scaffold resolves @agentflow/plugin-sdk, vitest and msw as it would after npm install.
const tmpRoot = fileURLToPath(new URL('./tmp/', import.meta.url));
// The outer vitest's variables would make the inner one think it is a worker of this run.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'TEST'));

const TOKEN = 'github_pat_11AAAAAAA0123456789abcdef';
const seen: { authorization: string | null }[] = [];
const github = setupServer(
  http.get('https://api.github.com/repos/:owner/:repo', ({ request, params }) => {
    seen.push({ authorization: request.headers.get('authorization') });
    if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) return HttpResponse.json({ message: 'Bad credentials' }, { status: 401 });
    return HttpResponse.json({
      id: 1, name: params.repo, full_name: `${String(params.owner)}/${String(params.repo)}`, description: 'Node.js JavaScript runtime',
      html_url: `https://github.com/${String(params.owner)}/${String(params.repo)}`, stargazers_count: 112_000, open_issues_count: 1_700,
    });
  }),
);

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
let owner: Account;
let workDir: string;
beforeAll(async () => {
  github.listen({ onUnhandledRequest: 'bypass' });
  db = await testDatabase();
  server = await startTestServer(db.url);
  owner = await registerAccount(server);
  await server.deps.db.updateTable('organizations').set({ plan: 'enterprise' }).where('id', '=', fromGlobalId(owner.orgId, 'Organization')).execute();
  await mkdir(tmpRoot, { recursive: true });
  workDir = await mkdtemp(join(tmpRoot, 'author-'));
});
afterAll(async () => {
  await server?.stop(); await db?.drop(); github.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
  await rmdir(tmpRoot).catch(() => undefined);
});

const auth = (): Auth => ({ token: owner.token, org: owner.orgId });

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, env, timeout: 150_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

it('init -> test -> pack -> publish -> install -> an agent calls the tool in a workflow run', { timeout: 240_000 }, async () => {
  const pluginDir = join(workDir, 'acme-github');
  expect(await cli(['init', 'acme-github', '--title', 'Acme GitHub'], workDir)).toMatchObject({ code: 0 });

  const tested = await cli(['test'], pluginDir);
  expect(tested.code, tested.out).toBe(0);

  const packed = await cli(['pack'], pluginDir);
  expect(packed.code, packed.out).toBe(0);
  const file = (await readdir(pluginDir)).find((f) => f.endsWith('.agentflow.json'));
  expect(file).toBe('acme-github-0.1.0.agentflow.json');

  const key = ok(await gql(server, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: 'publisher', role: 'ADMIN' } }, auth())).createApiKey.secret;
  const published = await cli(['publish', join(pluginDir, file!), '--server', server.url, '--api-key', key], pluginDir);
  expect(published.code, published.out).toBe(0);
  expect(published.out).toContain('acme-github');

  // Publishing the same version again is refused by the server, and the CLI says why.
  const again = await cli(['publish', join(pluginDir, file!), '--server', server.url, '--api-key', key], pluginDir);
  expect(again.code).toBe(1);
  expect(again.out).toContain('is not greater than the latest version 0.1.0');

  const listing = ok(await gql(server, '{ marketplaceListing(name: "acme-github") { id latestVersion { version tools { id } permissions { network secrets } } } }', {}, auth())).marketplaceListing;
  expect(listing.latestVersion).toEqual({ version: '0.1.0', tools: [{ id: 'acme-github.get_repository' }], permissions: { network: ['api.github.com'], secrets: ['token'] } });
  ok(await gql(server, 'mutation($i: InstallPluginInput!) { installPlugin(input: $i) { id } }', { i: { listingId: listing.id } }, auth()));
  ok(await gql(server, 'mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { id status } }', {
    i: { pluginName: 'acme-github', name: 'GitHub', apiKey: { token: TOKEN } },
  }, auth()));

  const agent = ok(await gql(server, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', {
    i: { name: 'Repo scout', model: 'simulated', tools: ['acme-github.get_repository'] },
  }, auth())).createAgent.id;
  const definition = {
    version: 1,
    nodes: [
      { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
      { id: 'scout', type: 'agent', name: 'Scout', config: { agentId: agent, prompt: '/tool acme-github.get_repository {"owner": "{{input.owner}}", "repo": "{{input.repo}}"}' } },
      { id: 'out', type: 'output', name: 'Out', config: { value: '{{nodes.scout.output.text}}' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceOutput: 'out', target: 'scout', targetInput: 'in' },
      { id: 'e2', source: 'scout', sourceOutput: 'out', target: 'out', targetInput: 'in' },
    ],
  };
  const wf = ok(await gql(server, 'mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id } }', { i: { name: 'Scout', definition } }, auth())).createWorkflow;
  ok(await gql(server, 'mutation($i: UpdateWorkflowInput!) { updateWorkflow(input: $i) { id } }', { i: { id: wf.id, expectedVersion: 1, status: 'ACTIVE' } }, auth()));
  const runId = ok(await gql(server, 'mutation($i: StartRunInput!) { startRun(input: $i) { id } }', { i: { workflowId: wf.id, input: { owner: 'nodejs', repo: 'node' } } }, auth())).startRun.id;
  let result: any;
  await expect.poll(async () => {
    result = ok(await gql(server, 'query($id: ID!) { run(id: $id) { status output error events { type message } } }', { id: runId }, auth())).run;
    return result.status;
  }, { timeout: 30_000, interval: 200 }).toMatch(/SUCCEEDED|FAILED/);
  expect(result.error).toBeNull();
  expect(result.status).toBe('SUCCEEDED');
  expect(result.output).toContain('112000');
  // The host put the organization's token into the request; the plugin only ever saw a placeholder.
  expect(seen.at(-1)).toEqual({ authorization: `Bearer ${TOKEN}` });
});
