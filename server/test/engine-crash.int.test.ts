import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/graphql/ids.ts';
import { gql, ok, registerAccount, startTestServer, testDatabase, type Account, type Auth, type TestServer } from './helpers.ts';
import { spawnServer } from './processes.ts';

/**
 * A worker goes away in the middle of a node: killed (pg-boss notices the missed heartbeats) or
 * shut down (pg-boss fails its active jobs for a retry). Another worker process gets the job, and
 * the engine runs the interrupted node again while the node that had completed before is not run
 * a second time.
 *
 * The slow node is an agent on an OpenAI-compatible server that this test runs: the call made
 * before the worker goes away streams until its connection closes, the retried call answers in
 * about a second.
 */

/** Workers look for dead jobs every second here (60 s by default): after a kill, recovery is the heartbeat (10 s) + ~2 s. */
const WORKER_ENV = { QUEUE_MONITOR_INTERVAL_SECONDS: '1' };
const ANSWER = 'forty-two, after a crash';

interface Hang { arrived: Promise<void>; closed: Promise<void> }
interface SlowServer { url: string; requests: number; hangNext(): Hang; close(): Promise<void> }

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-slow', object: 'chat.completion.chunk', created: 0, model: 'slow', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

/**
 * An OpenAI-compatible chat endpoint that streams slowly: about a second per answer, except the
 * call after `hangNext()`, which streams a dot every 200 ms and never finishes by itself.
 */
async function startSlowServer(): Promise<SlowServer> {
  let hang: { arrived(): void; closed(): void } | undefined;
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) { res.writeHead(404).end(); return; }
    req.resume();
    req.on('end', () => {
      state.requests += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(chunk({ role: 'assistant', content: '' }));
      const hanging = hang;
      hang = undefined;
      if (hanging) {
        const timer = setInterval(() => res.write(chunk({ content: '.' })), 200);
        res.on('close', () => { clearInterval(timer); hanging.closed(); });
        hanging.arrived();
        return;
      }
      const words = ANSWER.split(/(?= )/);
      let i = 0;
      const timer = setInterval(() => {
        if (i < words.length) { res.write(chunk({ content: words[i++] })); return; }
        clearInterval(timer);
        res.write(chunk({}, 'stop'));
        res.write(`data: ${JSON.stringify({ id: 'chatcmpl-slow', object: 'chat.completion.chunk', created: 0, model: 'slow', choices: [], usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } })}\n\n`);
        res.end('data: [DONE]\n\n');
      }, 250);
      res.on('close', () => clearInterval(timer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    get requests() { return state.requests; },
    hangNext() {
      let arrived!: () => void;
      let closed!: () => void;
      const result = { arrived: new Promise<void>((r) => { arrived = r; }), closed: new Promise<void>((r) => { closed = r; }) };
      hang = { arrived, closed };
      return result;
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

let api: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
let slow: SlowServer;
let owner: Account;
/** Every worker started (stopped at the end); the last one is the one running nodes now. */
const workers: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  db = await testDatabase();
  slow = await startSlowServer();
  // The API alone in this process (no workers here): every node runs in a worker process.
  api = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '1000' }, 'api');
  owner = await registerAccount(api);
  workers.push(await spawnServer(db.url, 'worker', WORKER_ENV));
});

afterAll(async () => {
  for (const w of workers) await w.stop().catch(() => undefined);
  await api?.stop();
  await slow?.close();
  await db?.drop();
});

const auth = (): Auth => ({ token: owner.token, org: owner.orgId });

async function runRow(runId: string) {
  return api.deps.db.selectFrom('workflow_runs').select(['status', 'output', 'error']).where('id', '=', runId).executeTakeFirstOrThrow();
}
async function tasksOf(runId: string) {
  return api.deps.db.selectFrom('tasks').select(['id', 'node_id', 'status', 'attempts']).where('run_id', '=', runId).execute();
}
async function eventsOf(runId: string) {
  return api.deps.db.selectFrom('run_events').select(['id', 'type', 'node_id']).where('run_id', '=', runId).orderBy('id').execute();
}

let workflowId: string;
/** trigger -> calculator tool -> agent on the slow server -> output. */
async function crashWorkflow(): Promise<string> {
  ok(await gql(api, 'mutation($i: SetProviderKeyInput!) { setProviderKey(input: $i) { source } }', { i: { provider: 'OPENAI_COMPATIBLE', baseUrl: slow.url } }, auth()));
  const agent = ok(await gql(api, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: 'Slow thinker', model: 'compat:slow', status: 'INACTIVE' } }, auth())).createAgent;
  const definition = {
    version: 1,
    nodes: [
      { id: 'start', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
      { id: 'calc', type: 'tool', name: 'Calculate', config: { tool: 'calculator', input: { expression: '6*7' } } },
      { id: 'think', type: 'agent', name: 'Think', config: { agentId: fromGlobalId(agent.id, 'Agent'), prompt: 'Explain {{nodes.calc.output.result}} ({{input.attempt}})' } },
      { id: 'done', type: 'output', name: 'Done', config: { value: { result: '{{nodes.calc.output.result}}', text: '{{nodes.think.output.text}}' } } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceOutput: 'out', target: 'calc', targetInput: 'in' },
      { id: 'e2', source: 'calc', sourceOutput: 'out', target: 'think', targetInput: 'in' },
      { id: 'e3', source: 'think', sourceOutput: 'out', target: 'done', targetInput: 'in' },
    ],
  };
  return ok(await gql(api, 'mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id } }', { i: { name: 'Crash me', definition } }, auth())).createWorkflow.id;
}

/**
 * Starts a run, stops the only worker while the agent node streams, starts another worker and
 * checks that the run finished with every node run once, except the interrupted one.
 */
async function interruptedRun(label: string, stop: () => Promise<void>): Promise<{ status: string; attempts: Record<string, number> }> {
  workflowId ??= await crashWorkflow();
  const hang = slow.hangNext();
  const requestsBefore = slow.requests;
  // A prompt of its own per run: the agent's response cache would otherwise answer the second run.
  const started = ok(await gql(api, 'mutation($i: StartRunInput!) { startRun(input: $i) { id } }', { i: { workflowId, input: { attempt: label } } }, auth())).startRun;
  const runId = fromGlobalId(started.id, 'Run');

  // The agent's model call has reached the server: the node is mid-flight in the worker.
  await hang.arrived;
  const before = await tasksOf(runId);
  expect(before.find((t) => t.node_id === 'calc')).toMatchObject({ status: 'succeeded', attempts: 1 });
  expect(before.find((t) => t.node_id === 'think')).toMatchObject({ status: 'running', attempts: 1 });

  await stop();
  await hang.closed; // the stopped worker's model call is gone too
  expect((await runRow(runId)).status).toBe('running');

  workers.push(await spawnServer(db.url, 'worker', WORKER_ENV));
  await expect.poll(async () => (await runRow(runId)).status, { timeout: 60_000, interval: 250 }).not.toBe('running');

  const run = await runRow(runId);
  expect(run).toMatchObject({ status: 'succeeded', error: null });
  expect(run.output).toEqual({ result: 42, text: ANSWER });
  expect(slow.requests - requestsBefore).toBe(2); // the interrupted call and the one that finished, nothing more

  const tasks = await tasksOf(runId);
  expect(tasks.map((t) => t.node_id).sort()).toEqual(['calc', 'done', 'start', 'think']);
  expect(tasks.every((t) => t.status === 'succeeded')).toBe(true);
  const byNode = Object.fromEntries(tasks.map((t) => [t.node_id, t]));
  expect(byNode.calc!.attempts).toBe(1);
  expect(byNode.think!.attempts).toBeGreaterThanOrEqual(2);
  expect(byNode.done!.attempts).toBe(1);

  const events = await eventsOf(runId);
  const types = events.map((e) => e.type);
  expect(types[0]).toBe('run.started');
  expect(types.at(-1)).toBe('run.succeeded');
  expect(types.filter((t) => t.startsWith('run.'))).toEqual(['run.started', 'run.succeeded']);
  expect(types).not.toContain('task.failed');
  expect(types).not.toContain('task.retrying');
  const count = (type: string, nodeId: string) => events.filter((e) => e.type === type && e.node_id === nodeId).length;
  for (const nodeId of ['start', 'calc', 'think', 'done']) expect(count('task.succeeded', nodeId), nodeId).toBe(1);
  expect(count('task.started', 'calc')).toBe(1);
  expect(count('task.started', 'think')).toBe(byNode.think!.attempts);
  // Each node's story in order: queued, started (once per attempt), succeeded; and every node
  // succeeds after the one before it.
  const at = (type: string, nodeId: string) => events.findIndex((e) => e.type === type && e.node_id === nodeId);
  expect(at('task.queued', 'calc')).toBeLessThan(at('task.started', 'calc'));
  expect(at('task.started', 'calc')).toBeLessThan(at('task.succeeded', 'calc'));
  expect(at('task.succeeded', 'calc')).toBeLessThan(at('task.queued', 'think'));
  expect(events.findLastIndex((e) => e.type === 'task.started' && e.node_id === 'think')).toBeLessThan(at('task.succeeded', 'think'));
  expect(at('task.succeeded', 'think')).toBeLessThan(at('task.succeeded', 'done'));
  expect(at('task.succeeded', 'done')).toBe(types.length - 2);
  return { status: run.status, attempts: Object.fromEntries(tasks.map((t) => [t.node_id, t.attempts])) };
}

/** The interrupted agent node ran twice; everything else once. */
const ONCE_EXCEPT_THINK = { status: 'succeeded', attempts: { start: 1, calc: 1, think: 2, done: 1 } };

describe('a worker that goes away in the middle of a node', () => {
  it('killed (SIGKILL): another worker finishes the run; the completed node is not run again, the interrupted one is', { timeout: 60_000 }, async () => {
    const worker = workers.at(-1) as Awaited<ReturnType<typeof spawnServer>>;
    expect(await interruptedRun('SIGKILL', () => worker.kill())).toEqual(ONCE_EXCEPT_THINK);
  });

  it('sent SIGTERM (as in a deploy): the same', { timeout: 60_000 }, async () => {
    const worker = workers.at(-1)!;
    expect(await interruptedRun('SIGTERM', () => worker.stop())).toEqual(ONCE_EXCEPT_THINK);
  });

  it('shut down gracefully while a node outlasts the grace period: the node is handed back, not failed', { timeout: 60_000 }, async () => {
    // The graceful path itself (app.stop(): pg-boss waits 5 s, then fails the job for a retry and
    // aborts the handler), on a worker in this process.
    await workers.at(-1)!.stop();
    const worker = await startTestServer(db.url, WORKER_ENV, 'worker');
    workers.push(worker);
    expect(await interruptedRun('graceful stop', () => worker.stop())).toEqual(ONCE_EXCEPT_THINK);
  });
});
