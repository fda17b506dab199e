import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/graphql/ids.ts';
import { errorCode, gql, ok, registerAccount, startTestServer, testDatabase, type Account, type Auth, type TestServer } from './helpers.ts';

/**
 * Custom tools and workflow code nodes: the builder's JavaScript runs in the sandbox processes,
 * through GraphQL, and a saved tool is used by an agent and by a workflow tool node. The outside
 * API a tool calls is mocked with msw (the sandbox's fetch bridge runs in this process).
 */
const api = setupServer(
  http.get('https://api.weather.example/v1/now', ({ request }) => {
    const city = new URL(request.url).searchParams.get('city');
    return HttpResponse.json({ city, temperatureC: city === 'Oslo' ? -3 : 21 });
  }),
);
let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
let owner: Account;
let other: Account;
beforeAll(async () => {
  api.listen({ onUnhandledRequest: 'bypass' });
  db = await testDatabase();
  server = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '100000' });
  owner = await registerAccount(server);
  other = await registerAccount(server);
  await server.deps.db.updateTable('organizations').set({ plan: 'enterprise' }).where('id', '=', fromGlobalId(owner.orgId, 'Organization')).execute();
});
afterEach(() => api.resetHandlers());
afterAll(async () => { await server?.stop(); await db?.drop(); api.close(); });

const auth = (a: Account = owner): Auth => ({ token: a.token, org: a.orgId });

const WEATHER = {
  name: 'weather_now',
  description: 'Current temperature in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  network: ['api.weather.example'],
  code: `async function run({ city }, ctx) {
  ctx.log('info', 'looking up', { city });
  const res = await ctx.fetch({ url: 'https://api.weather.example/v1/now?city=' + encodeURIComponent(city) });
  return { city, celsius: res.json.temperatureC };
}`,
};

const TEST = `mutation($i: TestCustomToolInput!) { testCustomTool(input: $i) { ok output error errorCode durationMs logs { level message data } } }`;
const SAVE = `mutation($i: SaveCustomToolInput!) { saveCustomTool(input: $i) { id name private latestVersion { version } installation { version { version } } } }`;
const testTool = async (tool: Record<string, unknown>, input: unknown, as: Account = owner) => gql(server, TEST, { i: { ...tool, input } }, auth(as));

describe('testCustomTool', () => {
  it('runs the draft in the sandbox, with its fetch and its logs', async () => {
    const r = ok(await testTool(WEATHER, { city: 'Oslo' })).testCustomTool;
    expect(r).toMatchObject({ ok: true, output: { city: 'Oslo', celsius: -3 }, error: null, errorCode: null, logs: [{ level: 'info', message: 'looking up', data: { city: 'Oslo' } }] });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it.each([
    ['input that does not match the schema', WEATHER, { town: 'Oslo' }, 'INVALID_INPUT'],
    ['code that throws', { ...WEATHER, code: 'async function run() { throw new Error("no luck") }' }, { city: 'x' }, 'THROWN'],
    ['code without run', { ...WEATHER, code: 'const x = 1;' }, { city: 'x' }, 'BAD_BUNDLE'],
    ['a host it did not declare', { ...WEATHER, network: [] }, { city: 'x' }, 'THROWN'],
    ['a loop that never ends', { ...WEATHER, code: 'async function run() { for (;;) {} }' }, { city: 'x' }, 'CPU_LIMIT|TIMEOUT'],
  ])('fails its own call cleanly on %s', async (_what, tool, input, code) => {
    const r = ok(await testTool(tool, input)).testCustomTool;
    expect(r.ok).toBe(false);
    expect(r.errorCode).toMatch(new RegExp(`^(${code})$`));
    expect(r.error).toBeTruthy();
    // The sandbox carries on serving.
    expect(ok(await testTool(WEATHER, { city: 'Rome' })).testCustomTool.output).toEqual({ city: 'Rome', celsius: 21 });
  });

  it.each([
    [{ ...WEATHER, name: 'Bad Name' }, 'Name: lowercase'],
    [{ ...WEATHER, name: 'a__b' }, 'two underscores'],
    [{ ...WEATHER, description: '' }, 'Description is required'],
    [{ ...WEATHER, inputSchema: { type: 'string' } }, 'must describe an object'],
    [{ ...WEATHER, code: 'x'.repeat(100_001) }, 'at most 100000'],
    [{ ...WEATHER, network: ['127.0.0.1'] }, 'network'],
  ])('refuses an invalid tool with a clear error: %#', async (tool, message) => {
    const r = await testTool(tool, { city: 'x' });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toContain(message);
  });
});

describe('saveCustomTool', () => {
  it('saves a private plugin, installed at once; saving again publishes the next patch', async () => {
    const first = ok(await gql(server, SAVE, { i: WEATHER }, auth())).saveCustomTool;
    expect(first).toMatchObject({ name: 'custom-weather-now', private: true, latestVersion: { version: '1.0.0' }, installation: { version: { version: '1.0.0' } } });
    // The builder reopens it with its code; no one else can read the code.
    const CODE = 'query($n: String!) { marketplaceListing(name: $n) { latestVersion { customToolCode } } }';
    expect(ok(await gql(server, CODE, { n: 'custom-weather-now' }, auth())).marketplaceListing.latestVersion.customToolCode).toBe(WEATHER.code);
    expect(ok(await gql(server, CODE, { n: 'custom-weather-now' }, auth(other))).marketplaceListing).toBeNull();
    const second = ok(await gql(server, SAVE, { i: { ...WEATHER, description: 'Temperature now' } }, auth())).saveCustomTool;
    expect(second).toMatchObject({ id: first.id, latestVersion: { version: '1.0.1' }, installation: { version: { version: '1.0.1' } } });

    const tools = ok(await gql(server, '{ tools { id plugin description } }', {}, auth())).tools;
    expect(tools).toContainEqual({ id: 'custom-weather-now.weather_now', plugin: 'custom-weather-now', description: 'Temperature now' });
    // Another organization neither sees nor can use it.
    const theirs = ok(await gql(server, '{ tools { id } }', {}, auth(other))).tools.map((t: { id: string }) => t.id);
    expect(theirs).not.toContain('custom-weather-now.weather_now');
    const r = await gql(server, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: 'x', model: 'simulated', tools: ['custom-weather-now.weather_now'] } }, auth(other));
    expect(r.errors?.[0]?.message).toContain('Unknown tool: custom-weather-now.weather_now');
  });

  it('is used by an agent in a workflow run and by a tool node', async () => {
    await gql(server, SAVE, { i: WEATHER }, auth());
    const agent = ok(await gql(server, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', {
      i: { name: 'Forecaster', model: 'simulated', tools: ['custom-weather-now.weather_now'], status: 'INACTIVE' },
    }, auth())).createAgent.id;
    const definition = {
      version: 1,
      nodes: [
        { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
        { id: 'ask', type: 'agent', name: 'Ask', config: { agentId: agent, prompt: '/tool custom-weather-now.weather_now {"city": "{{input.city}}"}' } },
        { id: 'direct', type: 'tool', name: 'Direct', config: { tool: 'custom-weather-now.weather_now', input: { city: '{{input.city}}' } } },
        { id: 'shape', type: 'code', name: 'Shape', config: { code: 'async function run({ input, nodes }) { return { line: input.city + ": " + nodes.direct.output.celsius + " C" }; }' } },
        { id: 'join', type: 'join', name: 'Join', config: {} },
        { id: 'out', type: 'output', name: 'Out', config: { value: { agent: '{{nodes.ask.output.text}}', line: '{{nodes.shape.output.line}}' } } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceOutput: 'out', target: 'ask', targetInput: 'in' },
        { id: 'e2', source: 'start', sourceOutput: 'out', target: 'direct', targetInput: 'in' },
        { id: 'e3', source: 'direct', sourceOutput: 'out', target: 'shape', targetInput: 'in' },
        { id: 'e4', source: 'ask', sourceOutput: 'out', target: 'join', targetInput: 'in' },
        { id: 'e5', source: 'shape', sourceOutput: 'out', target: 'join', targetInput: 'in' },
        { id: 'e6', source: 'join', sourceOutput: 'out', target: 'out', targetInput: 'in' },
      ],
    };
    const run = await runWorkflow(definition, { city: 'Oslo' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output.line).toBe('Oslo: -3 C');
    expect(run.output.agent).toContain('-3');
  });
});

describe('code node', () => {
  it("takes the error branch when the code fails, with the sandbox's error as its output", async () => {
    const definition = {
      version: 1,
      nodes: [
        { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
        { id: 'boom', type: 'code', name: 'Boom', config: { code: 'async function run() { const a = []; for (;;) a.push(new Array(1e6).fill(1)); }' } },
        { id: 'ok', type: 'output', name: 'Ok', config: { value: 'no' } },
        { id: 'recovered', type: 'output', name: 'Recovered', config: { value: 'recovered' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceOutput: 'out', target: 'boom', targetInput: 'in' },
        { id: 'e2', source: 'boom', sourceOutput: 'out', target: 'ok', targetInput: 'in' },
        { id: 'e3', source: 'boom', sourceOutput: 'error', target: 'recovered', targetInput: 'in' },
      ],
    };
    const run = await runWorkflow(definition, {});
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toBe('recovered');
    const boom = run.tasks.find((t: { nodeId: string }) => t.nodeId === 'boom');
    expect(boom).toMatchObject({ status: 'SUCCEEDED', output: { error: 'The code of Boom used more than 64 MB of memory and was stopped (MEMORY_LIMIT)' } });
  });

  it('is refused at validation when the code is missing', async () => {
    const r = await gql(server, 'query($d: JSON!) { validateWorkflow(definition: $d) { valid problems { message nodeId path } } }', {
      d: { version: 1, nodes: [{ id: 'start', type: 'trigger', name: 'S', config: { kind: 'manual' } }, { id: 'c', type: 'code', name: 'C', config: {} }, { id: 'o', type: 'output', name: 'O', config: { value: 1 } }],
        edges: [{ id: 'a', source: 'start', sourceOutput: 'out', target: 'c', targetInput: 'in' }, { id: 'b', source: 'c', sourceOutput: 'out', target: 'o', targetInput: 'in' }] },
    }, auth());
    expect(ok(r).validateWorkflow.valid).toBe(false);
    expect(ok(r).validateWorkflow.problems[0]).toMatchObject({ nodeId: 'c' });
  });
});

async function runWorkflow(definition: unknown, input: unknown) {
  const created = ok(await gql(server, 'mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id } }', { i: { name: `WF ${Math.random()}`, definition } }, auth())).createWorkflow;
  ok(await gql(server, 'mutation($i: UpdateWorkflowInput!) { updateWorkflow(input: $i) { id } }', { i: { id: created.id, expectedVersion: 1, status: 'ACTIVE' } }, auth()));
  const runId = ok(await gql(server, 'mutation($i: StartRunInput!) { startRun(input: $i) { id } }', { i: { workflowId: created.id, input } }, auth())).startRun.id;
  let run: any;
  await expect.poll(async () => {
    run = ok(await gql(server, 'query($id: ID!) { run(id: $id) { status output error tasks { nodeId status error output } } }', { id: runId }, auth())).run;
    return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status);
  }, { timeout: 30_000, interval: 100 }).toBe(true);
  return run;
}
