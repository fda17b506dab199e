/**
 * What the workflow engine costs on top of pg-boss (DESIGN.md: engine overhead per node <= 1.3x a
 * bare pg-boss job chain of the same length, same run). One in-process app (role all) on a fresh
 * database runs, in turn:
 *  - a linear workflow of 10 nodes: trigger -> 8 calculator tools ('1+1') -> output; each tool is
 *    a job (pure nodes run inline, so tools are what measures the per-job engine work);
 *  - a fan-out/join workflow: trigger -> 8 tools in parallel -> join -> output;
 *  - the floor: bare pg-boss on the same queue options and worker options as the engine's node
 *    queue, in the same process and database: a chain of 8 jobs (each handler sends the next),
 *    and 8 jobs sent at once.
 * Each is measured one at a time (latency: ms per run, ms per job-node) and with many in flight
 * (throughput: runs/s). Completion is seen the same way for both: a NOTIFY through the app's
 * event bus (the engine's run.succeeded; the bare handler's own NOTIFY at the end).
 * Runs alone with `npx tsx bench/engine.ts` (TEST_DATABASE_URL or an embedded PostgreSQL).
 */
import { pathToFileURL } from 'node:url';
import type { PgBoss } from 'pg-boss';
import { startApp, type RunningApp } from '../src/app.ts';
import { loadConfig } from '../src/config/env.ts';
import { fromGlobalId } from '../src/graphql/ids.ts';
import { createLogger } from '../src/lib/logger.ts';
import { startWorkflowRun } from '../src/modules/workflows/run.service.ts';
import { testEnv } from '../test/helpers.ts';
import { createTestDatabase, startTestPostgres } from '../test/support/test-database.ts';

const JOBS = 8;
const LATENCY_RUNS = Number(process.env.BENCH_ENGINE_LATENCY_RUNS ?? 30);
const THROUGHPUT_RUNS = Number(process.env.BENCH_ENGINE_THROUGHPUT_RUNS ?? 120);
const IN_FLIGHT = 16;
const ROUNDS = Number(process.env.BENCH_ENGINE_ROUNDS ?? 3);
const BARE_QUEUE = 'bench.bare';

export interface Measure {
  /** One at a time: wall time of a run, and of a run divided by its jobs. */
  msPerRun: number; msPerNode: number;
  /** IN_FLIGHT at a time. */
  runsPerSecond: number;
}
export interface Comparison { engine: Measure; bare: Measure; latencyRatio: number; throughputRatio: number }
export interface EngineBench { jobs: number; latencyRuns: number; throughputRuns: number; inFlight: number; rounds: number; linear: Comparison; fanOut: Comparison }

type Node = { id: string; type: string; name: string; config: Record<string, unknown> };
const tool = (id: string): Node => ({ id, type: 'tool', name: id, config: { tool: 'calculator', input: { expression: '1+1' } } });
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, sourceOutput: 'out', target, targetInput: 'in' });
const TRIGGER: Node = { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } };

function linearDefinition() {
  const tools = Array.from({ length: JOBS }, (_, i) => tool(`t${i + 1}`));
  const nodes = [TRIGGER, ...tools, { id: 'done', type: 'output', name: 'Done', config: { value: `{{nodes.t${JOBS}.output.result}}` } }];
  return { version: 1, nodes, edges: nodes.slice(1).map((n, i) => edge(nodes[i]!.id, n.id)) };
}

function fanOutDefinition() {
  const tools = Array.from({ length: JOBS }, (_, i) => tool(`t${i + 1}`));
  const nodes = [TRIGGER, ...tools, { id: 'both', type: 'join', name: 'All', config: {} }, { id: 'done', type: 'output', name: 'Done', config: { value: '{{nodes.both.output}}' } }];
  const edges = [...tools.map((t) => edge('start', t.id)), ...tools.map((t) => edge(t.id, 'both')), edge('both', 'done')];
  return { version: 1, nodes, edges };
}

/** Resolves a waiter when its id's terminal notice arrives (which may come before anyone waits). */
function finishLine(app: RunningApp, topic: `orgRuns:${string}`) {
  const waiting = new Map<string, (status: string) => void>();
  const early = new Map<string, string>();
  const live = app.deps.events.pubsub.subscribe(topic);
  void (async () => {
    for await (const notice of live) {
      const type = String(notice.event?.type ?? '');
      if (type !== 'run.succeeded' && type !== 'run.failed' && type !== 'run.cancelled') continue;
      const resolve = waiting.get(notice.runId);
      if (resolve) { waiting.delete(notice.runId); resolve(type); } else early.set(notice.runId, type);
    }
  })();
  return {
    wait(id: string): Promise<string> {
      const done = early.get(id);
      if (done) { early.delete(id); return Promise.resolve(done); }
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    close: () => live.return?.(),
  };
}

async function graphql(app: RunningApp, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = await res.json() as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** `count` runs of `start`, `inFlight` at a time; each `start` resolves when its run has ended. */
async function drive(count: number, inFlight: number, start: () => Promise<void>): Promise<number> {
  let next = 0;
  const began = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, async () => {
    while (next < count) { next++; await start(); }
  }));
  return performance.now() - began;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(runOne: () => Promise<void>): Promise<Measure> {
  await drive(10, 4, runOne); // warm up: JIT, pools, plans
  const latencies: number[] = [];
  const throughputs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    latencies.push((await drive(LATENCY_RUNS, 1, runOne)) / LATENCY_RUNS);
    throughputs.push(THROUGHPUT_RUNS / ((await drive(THROUGHPUT_RUNS, IN_FLIGHT, runOne)) / 1000));
  }
  const msPerRun = median(latencies);
  return { msPerRun, msPerNode: msPerRun / JOBS, runsPerSecond: median(throughputs) };
}

const compare = (engine: Measure, bare: Measure): Comparison => ({
  engine, bare, latencyRatio: engine.msPerRun / bare.msPerRun, throughputRatio: bare.runsPerSecond / engine.runsPerSecond,
});

export async function benchEngine(databaseUrl: string): Promise<EngineBench> {
  const config = loadConfig(testEnv(databaseUrl, { LOGIN_RATE_LIMIT: '1000', LOG_LEVEL: 'error' }), () => undefined);
  const app = await startApp(config, 'all', createLogger('error'));
  try {
    const registered = await graphql(app, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken organization { id } } }', {
      i: { email: `engine-bench-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Bench', organizationName: 'Engine bench' },
    });
    const auth = { authorization: `Bearer ${registered.register.accessToken}`, 'x-organization-id': registered.register.organization.id };
    const orgId = fromGlobalId(registered.register.organization.id, 'Organization');
    await app.deps.db.updateTable('organizations').set({ plan: 'enterprise' }).where('id', '=', orgId).execute();
    const create = async (name: string, definition: unknown) =>
      fromGlobalId((await graphql(app, 'mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id } }', { i: { name, definition } }, auth)).createWorkflow.id, 'Workflow');
    const linearId = await create('Linear', linearDefinition());
    const fanOutId = await create('Fan-out', fanOutDefinition());

    const runs = finishLine(app, `orgRuns:${orgId}`);
    const engineRun = (workflowId: string) => async () => {
      const run = await startWorkflowRun(app.deps, null, orgId, workflowId, {}, 'manual');
      const status = await runs.wait(run.id);
      if (status !== 'run.succeeded') throw new Error(`run ${run.id} ended with ${status}`);
    };

    // The floor: the node queue's options (queue.ts) and the node worker's options (workers.ts).
    const boss: PgBoss = app.deps.queue;
    if (!(await boss.getQueue(BARE_QUEUE))) await boss.createQueue(BARE_QUEUE, { retryLimit: 5, retryDelay: 1, heartbeatSeconds: 10, notify: true });
    const bareTopic = 'orgRuns:bench-bare' as const;
    const bare = finishLine(app, bareTopic);
    const fans = new Map<string, number>();
    let seq = 0;
    const finish = (id: string) => app.deps.events.publish(app.deps.db, bareTopic, { id: 0, runId: id, event: { type: 'run.succeeded' } });
    await boss.work<{ id: string; left?: number }>(BARE_QUEUE, { batchSize: 4, localConcurrency: 2, notifyPollingIntervalSeconds: 1, pollingIntervalSeconds: 1, burstWhenBatchFull: true }, async (jobs) => {
      await Promise.all(jobs.map(async ({ data }) => {
        if (data.left !== undefined) {
          if (data.left > 1) await boss.send(BARE_QUEUE, { id: data.id, left: data.left - 1 });
          else await finish(data.id);
          return;
        }
        const left = fans.get(data.id)! - 1;
        fans.set(data.id, left);
        if (left === 0) { fans.delete(data.id); await finish(data.id); }
      }));
    });
    const bareChain = async () => {
      const id = `chain-${seq++}`;
      await boss.send(BARE_QUEUE, { id, left: JOBS });
      await bare.wait(id);
    };
    const bareFanOut = async () => {
      const id = `fan-${seq++}`;
      fans.set(id, JOBS);
      await Promise.all(Array.from({ length: JOBS }, () => boss.send(BARE_QUEUE, { id })));
      await bare.wait(id);
    };

    const linearBare = await measure(bareChain);
    const linearEngine = await measure(engineRun(linearId));
    const fanOutBare = await measure(bareFanOut);
    const fanOutEngine = await measure(engineRun(fanOutId));
    await boss.offWork(BARE_QUEUE);
    await runs.close();
    await bare.close();
    return {
      jobs: JOBS, latencyRuns: LATENCY_RUNS, throughputRuns: THROUGHPUT_RUNS, inFlight: IN_FLIGHT, rounds: ROUNDS,
      linear: compare(linearEngine, linearBare), fanOut: compare(fanOutEngine, fanOutBare),
    };
  } finally {
    await app.stop();
  }
}

const row = (name: string, m: Measure) =>
  `  ${name.padEnd(58)} ${m.msPerRun.toFixed(1).padStart(7)} ms/run ${m.msPerNode.toFixed(2).padStart(6)} ms/node ${m.runsPerSecond.toFixed(0).padStart(6)} runs/s`;
const ratios = (c: Comparison) => `  ratio engine/bare: ${c.latencyRatio.toFixed(2)}x per node one at a time, ${c.throughputRatio.toFixed(2)}x in throughput (target <= 1.3x)`;

export function formatEngineBench(r: EngineBench): string {
  return [
    `\nWorkflow engine vs bare pg-boss, ${r.jobs} no-op jobs per run (calculator '1+1'); one at a time (median of ${r.rounds} x ${r.latencyRuns}) and ${r.inFlight} in flight (median of ${r.rounds} x ${r.throughputRuns})`,
    row(`engine: linear, trigger -> ${r.jobs} tools -> output`, r.linear.engine),
    row(`bare pg-boss: chain of ${r.jobs} jobs, each sends the next`, r.linear.bare),
    ratios(r.linear),
    row(`engine: fan-out, trigger -> ${r.jobs} tools -> join -> output`, r.fanOut.engine),
    row(`bare pg-boss: ${r.jobs} jobs sent at once`, r.fanOut.bare),
    ratios(r.fanOut),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pg = await startTestPostgres(process.env.TEST_DATABASE_URL || undefined);
  const database = await createTestDatabase(pg.adminUrl, pg.template);
  try {
    process.stdout.write(`${formatEngineBench(await benchEngine(database.url))}\n`);
  } finally {
    await database.drop();
    await pg.stop();
  }
}
