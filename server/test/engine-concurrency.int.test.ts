import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/graphql/ids.ts';
import { gql, ok, registerAccount, startTestServer, testDatabase, type Account, type Auth, type TestServer } from './helpers.ts';
import { spawnServer, type ServerProcess } from './processes.ts';

/**
 * Many runs at once on two worker processes: 200 runs of a fan-out/join workflow
 * (trigger -> two calculator tools in parallel -> join -> output), started through GraphQL in
 * parallel batches against an API process that runs no workers. Every run must finish with its
 * own results, every node once: no lost, doubled or crossed work between runs or workers.
 */

const RUNS = 200;
const BATCH = 20;

let api: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
let owner: Account;
const workers: ServerProcess[] = [];

beforeAll(async () => {
  db = await testDatabase();
  api = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '1000' }, 'api');
  owner = await registerAccount(api);
  // 200 runs x 5 tasks is past the free plan's monthly quota.
  await api.deps.db.updateTable('organizations').set({ plan: 'enterprise' }).where('id', '=', fromGlobalId(owner.orgId, 'Organization')).execute();
  workers.push(...await Promise.all([spawnServer(db.url, 'worker'), spawnServer(db.url, 'worker')]));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await api?.stop();
  await db?.drop();
});

const auth = (): Auth => ({ token: owner.token, org: owner.orgId });

const DEFINITION = {
  version: 1,
  nodes: [
    { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
    { id: 'double', type: 'tool', name: 'Double', config: { tool: 'calculator', input: { expression: '{{input.n}} * 2' } } },
    { id: 'shift', type: 'tool', name: 'Shift', config: { tool: 'calculator', input: { expression: '{{input.n}} + 1000' } } },
    { id: 'both', type: 'join', name: 'Both', config: {} },
    { id: 'done', type: 'output', name: 'Done', config: { value: { n: '{{input.n}}', double: '{{nodes.double.output.result}}', shift: '{{nodes.shift.output.result}}' } } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceOutput: 'out', target: 'double', targetInput: 'in' },
    { id: 'e2', source: 'start', sourceOutput: 'out', target: 'shift', targetInput: 'in' },
    { id: 'e3', source: 'double', sourceOutput: 'out', target: 'both', targetInput: 'in' },
    { id: 'e4', source: 'shift', sourceOutput: 'out', target: 'both', targetInput: 'in' },
    { id: 'e5', source: 'both', sourceOutput: 'out', target: 'done', targetInput: 'in' },
  ],
};

describe('200 fan-out/join runs on two worker processes', () => {
  it('all succeed, each with exactly its 5 tasks run once and both tool results in its output', { timeout: 180_000 }, async () => {
    const workflow = ok(await gql(api, 'mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id } }', { i: { name: 'Fan out', definition: DEFINITION } }, auth())).createWorkflow;

    const runIds = new Map<string, number>(); // run id -> its input n
    for (let first = 0; first < RUNS; first += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, RUNS - first) }, (_, i) => first + i);
      const started = await Promise.all(batch.map(async (n) => {
        const r = ok(await gql(api, 'mutation($i: StartRunInput!) { startRun(input: $i) { id } }', { i: { workflowId: workflow.id, input: { n } } }, auth()));
        return [fromGlobalId(r.startRun.id, 'Run'), n] as const;
      }));
      for (const [id, n] of started) runIds.set(id, n);
    }
    expect(runIds.size).toBe(RUNS);

    const d = api.deps.db;
    const workflowId = fromGlobalId(workflow.id, 'Workflow');
    await expect.poll(async () => {
      const row = await d.selectFrom('workflow_runs').select((eb) => eb.fn.countAll<string>().as('n'))
        .where('workflow_id', '=', workflowId).where('status', 'not in', ['queued', 'running', 'waiting']).executeTakeFirstOrThrow();
      return Number(row.n);
    }, { timeout: 150_000, interval: 500 }).toBe(RUNS);

    const runs = await d.selectFrom('workflow_runs').select(['id', 'status', 'output', 'error']).where('workflow_id', '=', workflowId).execute();
    expect(runs).toHaveLength(RUNS);
    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
    for (const run of runs) {
      const n = runIds.get(run.id)!;
      expect(run.output, `run ${run.id}`).toEqual({ n, double: n * 2, shift: n + 1000 });
    }

    // Exactly the five tasks of each run, each run once (no crash happened here), all succeeded.
    const tasks = await d.selectFrom('tasks').select(['run_id', 'node_id', 'status', 'attempts']).where('run_id', 'in', [...runIds.keys()]).execute();
    expect(tasks).toHaveLength(RUNS * 5);
    const perRun = new Map<string, string[]>();
    for (const t of tasks) perRun.set(t.run_id, [...(perRun.get(t.run_id) ?? []), t.node_id]);
    for (const nodes of perRun.values()) expect(nodes.sort()).toEqual(['both', 'done', 'double', 'shift', 'start']);
    expect(tasks.filter((t) => t.status !== 'succeeded' || t.attempts !== 1)).toEqual([]);

    // The event log tells the same story: per run, started, 2 nodes queued and started (the tools;
    // join and output run inline), 5 succeeded, then succeeded; nothing failed or retried.
    const counts = await d.selectFrom('run_events').select(['type', (eb) => eb.fn.countAll<string>().as('n')])
      .where('run_id', 'in', [...runIds.keys()]).groupBy('type').execute();
    expect(Object.fromEntries(counts.map((c) => [c.type, Number(c.n)]))).toEqual({
      'run.started': RUNS, 'task.queued': RUNS * 2, 'task.started': RUNS * 2, 'task.succeeded': RUNS * 5, 'run.succeeded': RUNS,
    });
    const misordered = await sql<{ run_id: string }>`
      SELECT run_id FROM run_events WHERE run_id = ANY(${[...runIds.keys()]}::uuid[])
      GROUP BY run_id
      HAVING min(id) FILTER (WHERE type = 'run.started') <> min(id) OR max(id) FILTER (WHERE type = 'run.succeeded') <> max(id)`.execute(d);
    expect(misordered.rows).toEqual([]);

    // Both worker processes are still up: neither crashed under the load.
    for (const w of workers) expect(w.child.exitCode).toBeNull();
  });
});
