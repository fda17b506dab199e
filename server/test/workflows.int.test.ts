import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../src/graphql/ids.ts';
import { errorCode, gql, ok, registerAccount, startTestServer, subscribe, testDatabase, wsClient, type Account, type Auth, type TestServer } from './helpers.ts';
import { llmMock } from './support/llm-mocks.ts';
import { pruneRunHistory } from '../src/modules/workflows/run.service.ts';

/** Workflows through GraphQL against the real engine: pg-boss jobs on this server's workers. */
const llm = llmMock();
let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
let owner: Account;
beforeAll(async () => {
  llm.listen();
  db = await testDatabase();
  server = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '100000', OPENAI_API_KEY: 'sk-test-openai-key-0000' });
  owner = await registerAccount(server);
  await server.deps.db.updateTable('organizations').set({ plan: 'enterprise' }).where('id', '=', fromGlobalId(owner.orgId, 'Organization')).execute();
});
afterEach(() => llm.reset());
afterAll(async () => { await server?.stop(); await db?.drop(); llm.close(); });

const auth = (a: Account = owner): Auth => ({ token: a.token, org: a.orgId });
type Node = { id: string; type: string; name?: string; config: Record<string, unknown>; retry?: unknown; timeoutSeconds?: number };
const node = (n: Node) => ({ name: n.id, ...n });
const edge = (source: string, target: string, sourceOutput = 'out') => ({ id: `${source}-${sourceOutput}-${target}`, source, sourceOutput, target, targetInput: 'in' });
const trigger = node({ id: 'start', type: 'trigger', config: { kind: 'manual' } });
const def = (nodes: Node[], edges: ReturnType<typeof edge>[]) => ({ version: 1, nodes: [trigger, ...nodes.map(node)], edges });

async function agentId(model = 'simulated', extra: Record<string, unknown> = {}): Promise<string> {
  const r = ok(await gql(server, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: `Agent ${Math.random()}`, model, status: 'INACTIVE', ...extra } }, auth()));
  return fromGlobalId(r.createAgent.id, 'Agent');
}

async function workflow(definition: unknown, status = 'ACTIVE'): Promise<{ id: string; version: number }> {
  const created = ok(await gql(server, 'mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id version } }', { i: { name: `WF ${Math.random()}`, definition } }, auth())).createWorkflow;
  if (status === 'DRAFT') return created;
  const r = await gql(server, 'mutation($i: UpdateWorkflowInput!) { updateWorkflow(input: $i) { id version status } }', { i: { id: created.id, expectedVersion: 1, status } }, auth());
  return ok(r).updateWorkflow;
}

const RUN = `query($id: ID!) { run(id: $id) { id status output error errorCode inputTokens outputTokens costUsd
  tasks { nodeId status attempts outputPort output error input approval { id status comment } } events { id type nodeId message } } }`;

async function start(workflowId: string, input: unknown = {}): Promise<string> {
  return ok(await gql(server, 'mutation($i: StartRunInput!) { startRun(input: $i) { id } }', { i: { workflowId, input } }, auth())).startRun.id;
}

/** Waits until the run reaches one of `statuses`, then returns it. */
async function settle(runId: string, statuses = ['SUCCEEDED', 'FAILED', 'CANCELLED'], timeout = 20_000) {
  let run: any;
  await expect.poll(async () => {
    run = ok(await gql(server, RUN, { id: runId }, auth())).run;
    return statuses.includes(run.status);
  }, { timeout, interval: 100 }).toBe(true);
  return run;
}
const task = (run: any, nodeId: string) => run.tasks.find((t: any) => t.nodeId === nodeId);

describe('validateWorkflow', () => {
  const VALIDATE = 'query($d: JSON!) { validateWorkflow(definition: $d) { valid problems { message nodeId edgeId path } } }';
  const problems = async (d: unknown) => ok(await gql(server, VALIDATE, { d }, auth())).validateWorkflow;

  it('accepts a valid graph', async () => {
    const id = await agentId();
    expect(await problems(def([{ id: 'ask', type: 'agent', config: { agentId: id, prompt: '{{input.q}}' } }, { id: 'out', type: 'output', config: { value: '{{nodes.ask.output.text}}' } }],
      [edge('start', 'ask'), edge('ask', 'out')]))).toEqual({ valid: true, problems: [] });
  });

  it('names every problem with the node or edge it concerns', async () => {
    const { valid, problems: found } = await problems(def([
      { id: 'a', type: 'transform', config: { output: { x: '{{nodes.b.output}}' } } },
      { id: 'b', type: 'transform', config: { output: {} } },
      { id: 'lonely', type: 'transform', config: { output: {} } },
      { id: 'j', type: 'join', config: {} },
      { id: 'bad', type: 'agent', config: { agentId: '00000000-0000-0000-0000-000000000000', prompt: 'hi' } },
      { id: 't', type: 'tool', config: { tool: 'rm_rf', input: {} } },
      { id: 'later', type: 'transform', config: { output: { y: '{{nodes.out.output}}', z: '{{nodes.ghost.output}}' } } },
      { id: 'out', type: 'output', config: { value: 1 } },
    ], [
      edge('start', 'a'), edge('a', 'b'), edge('b', 'a'), // a loop
      edge('start', 'j'), // a join with one input
      { id: 'wrongport', source: 'start', sourceOutput: 'yes', target: 'bad', targetInput: 'in' },
      edge('start', 't'), edge('t', 'later'), edge('later', 'out'),
    ]));
    expect(valid).toBe(false);
    const about = (nodeId: string) => found.filter((p: any) => p.nodeId === nodeId).map((p: any) => p.message).join(' | ');
    expect(about('a')).toContain('part of a loop');
    expect(about('j')).toContain('needs at least two incoming connections');
    expect(about('lonely')).toContain('not connected to anything before it');
    expect(about('bad')).toContain('uses an agent that does not exist');
    expect(found.find((p: any) => p.edgeId === 'wrongport').message).toContain('has no output "yes"');
    expect(about('t')).toContain('unknown tool "rm_rf"');
    expect(about('later')).toContain('refers to out, which does not run before it');
    expect(about('later')).toContain('refers to a node that does not exist: "nodes.ghost.output"');
  });

  it('reports schema errors with their path, and unreachable nodes', async () => {
    const bad = await problems({ version: 1, nodes: [{ id: 'x', type: 'condition', name: 'X', config: { rules: [] } }], edges: [] });
    expect(bad.valid).toBe(false);
    expect(bad.problems[0]).toMatchObject({ nodeId: 'x', path: expect.stringContaining('/nodes/0/config') });
    const unreachable = await problems({
      version: 1,
      nodes: [trigger, node({ id: 'o', type: 'output', config: { value: 1 } }), node({ id: 'p', type: 'transform', config: { output: {} } }), node({ id: 'q', type: 'transform', config: { output: {} } })],
      edges: [edge('start', 'o'), edge('p', 'q')],
    });
    expect(unreachable.problems.map((p: any) => p.message)).toContain('q can never run: nothing from the trigger leads to it');
  });
});

describe('workflows', () => {
  it('saves versions, refuses activating an invalid one with its problems, and a stale save', async () => {
    const created = ok(await gql(server, 'mutation { createWorkflow(input: { name: "Triage" }) { id version status definition } }', {}, auth())).createWorkflow;
    expect(created).toMatchObject({ version: 1, status: 'DRAFT' });
    const UPDATE = 'mutation($i: UpdateWorkflowInput!) { updateWorkflow(input: $i) { version status } }';
    const broken = def([{ id: 'j', type: 'join', config: {} }], [edge('start', 'j')]);
    ok(await gql(server, UPDATE, { i: { id: created.id, expectedVersion: 1, definition: broken } }, auth())); // a draft may be broken
    const refused = await gql(server, UPDATE, { i: { id: created.id, expectedVersion: 2, status: 'ACTIVE' } }, auth());
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0]!.extensions!.details).toMatchObject({ problems: expect.arrayContaining([expect.objectContaining({ nodeId: 'j' })]) });
    expect(errorCode(await gql(server, UPDATE, { i: { id: created.id, expectedVersion: 1, name: 'Stale' } }, auth()))).toBe('CONFLICT');
    ok(await gql(server, UPDATE, { i: { id: created.id, expectedVersion: 2, definition: created.definition, status: 'ACTIVE' } }, auth()));
    const diff = ok(await gql(server, 'query($id: ID!) { workflowVersionDiff(workflowId: $id, from: 1, to: 2) { changes { field } } }', { id: created.id }, auth())).workflowVersionDiff;
    expect(diff.changes.map((c: any) => c.field).sort()).toEqual(['edges.e1', 'edges.start-out-j', 'nodes.j', 'nodes.output', 'nodes.trigger', 'nodes.start'].sort());
  });
});

describe('running', () => {
  it('fans out to three agents and joins them', async () => {
    const agent = await agentId();
    // Agents are named by raw id or by the API's global ID (what the web app stores).
    const asks = ['a1', 'a2', 'a3'].map((id) => ({ id, type: 'agent', config: { agentId: id === 'a2' ? toGlobalId('Agent', agent) : agent, prompt: `/reply answer from ${id} about {{input.topic}}` } }));
    const wf = await workflow(def([...asks, { id: 'j', type: 'join', config: {} }, { id: 'out', type: 'output', config: { value: '{{nodes.j.output}}' } }],
      [...asks.map((a) => edge('start', a.id)), ...asks.map((a) => edge(a.id, 'j')), edge('j', 'out')]));
    const run = await settle(await start(wf.id, { topic: 'cats' }));
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({
      a1: expect.objectContaining({ text: 'answer from a1 about cats' }),
      a2: expect.objectContaining({ text: 'answer from a2 about cats' }),
      a3: expect.objectContaining({ text: 'answer from a3 about cats' }),
    });
    expect(run.tasks).toHaveLength(6);
    expect(run.inputTokens).toBeGreaterThan(0);
    expect(run.events[0].type).toBe('run.started');
    expect(run.events.at(-1).type).toBe('run.succeeded');
  });

  it("skips a condition's untaken branch, through a join", async () => {
    const wf = await workflow(def([
      { id: 'big', type: 'condition', config: { combinator: 'all', rules: [{ path: 'input.amount', operator: 'greaterThan', value: 100 }] } },
      { id: 'review', type: 'transform', config: { output: { route: 'review' } } },
      { id: 'auto', type: 'transform', config: { output: { route: 'auto' } } },
      { id: 'j', type: 'join', config: {} },
      { id: 'out', type: 'output', config: { value: '{{nodes.j.output}}' } },
    ], [edge('start', 'big'), edge('big', 'review', 'true'), edge('big', 'auto', 'false'), edge('review', 'j'), edge('auto', 'j'), edge('j', 'out')]));
    const small = await settle(await start(wf.id, { amount: 5 }));
    expect(small.status).toBe('SUCCEEDED');
    expect(task(small, 'review').status).toBe('SKIPPED');
    expect(task(small, 'big').outputPort).toBe('false');
    expect(small.output).toEqual({ auto: { route: 'auto' } });
    const large = await settle(await start(wf.id, { amount: 500 }));
    expect(large.output).toEqual({ review: { route: 'review' } });
  });

  it('retries a node that fails twice and succeeds on the third attempt', async () => {
    const agent = await agentId('gpt-6.1-terra');
    llm.openai.reply({ status: 500, message: 'boom 1' }).reply({ status: 503, message: 'boom 2' }).reply({ text: 'third time lucky' });
    const wf = await workflow(def([
      { id: 'ask', type: 'agent', config: { agentId: agent, prompt: 'hi' }, retry: { attempts: 3, backoffSeconds: 0.1 } },
      { id: 'out', type: 'output', config: { value: '{{nodes.ask.output.text}}' } },
    ], [edge('start', 'ask'), edge('ask', 'out')]));
    const run = await settle(await start(wf.id));
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: 'third time lucky' });
    expect(task(run, 'ask').attempts).toBe(3);
    expect(run.events.filter((e: any) => e.type === 'task.retrying')).toHaveLength(2);
  });

  it('times a node out through its AbortSignal', async () => {
    const agent = await agentId('gpt-6.1-terra');
    llm.openai.reply({ hang: true });
    const wf = await workflow(def([
      { id: 'slow', type: 'agent', config: { agentId: agent, prompt: 'take your time' }, timeoutSeconds: 1 },
      { id: 'out', type: 'output', config: { value: 1 } },
    ], [edge('start', 'slow'), edge('slow', 'out')]));
    const run = await settle(await start(wf.id));
    expect(run).toMatchObject({ status: 'FAILED', errorCode: 'NODE_FAILED' });
    expect(task(run, 'slow').error).toContain('timed out after 1 s');
    await expect.poll(() => llm.requests[0]?.aborted).toBe(true); // the model call itself was stopped
  });

  it('sends a failure down the error branch instead of failing the run', async () => {
    const wf = await workflow(def([
      { id: 'divide', type: 'tool', config: { tool: 'calculator', input: { expression: '{{input.expr}}' } } },
      { id: 'ok', type: 'output', config: { value: '{{nodes.divide.output.result}}' } },
      { id: 'oops', type: 'output', config: { value: 'failed: {{nodes.divide.output.error}}' } },
    ], [edge('start', 'divide'), edge('divide', 'ok'), edge('divide', 'oops', 'error')]));
    const bad = await settle(await start(wf.id, { expr: '1/0' }));
    expect(bad.status).toBe('SUCCEEDED');
    expect(task(bad, 'divide').outputPort).toBe('error');
    expect(task(bad, 'ok').status).toBe('SKIPPED');
    expect(bad.output).toMatch(/^failed: .*zero/i);
    const good = await settle(await start(wf.id, { expr: '6*7' }));
    expect(good.output).toBe(42);
  });

  it('retries a failed run from the failed node, keeping completed work', async () => {
    const agent = await agentId('gpt-6.1-terra');
    llm.openai.reply({ status: 500, message: 'down' });
    const wf = await workflow(def([
      { id: 'prep', type: 'tool', config: { tool: 'calculator', input: { expression: '2+2' } } },
      { id: 'ask', type: 'agent', config: { agentId: agent, prompt: 'sum is {{nodes.prep.output.result}}' } },
      { id: 'out', type: 'output', config: { value: '{{nodes.ask.output.text}}' } },
    ], [edge('start', 'prep'), edge('prep', 'ask'), edge('ask', 'out')]));
    const runId = await start(wf.id);
    const failed = await settle(runId);
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'NODE_FAILED' });
    llm.openai.reply({ text: 'all good' });
    expect(ok(await gql(server, 'mutation($id: ID!) { retryRun(id: $id) { status } }', { id: runId }, auth())).retryRun.status).toBe('RUNNING');
    const done = await settle(runId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: 'all good' });
    expect(task(done, 'prep').attempts).toBe(1); // not run again
    expect(done.events.filter((e: any) => e.type === 'task.started' && e.nodeId === 'prep')).toHaveLength(1);
    expect(errorCode(await gql(server, 'mutation($id: ID!) { retryRun(id: $id) { status } }', { id: runId }, auth()))).toBe('CONFLICT');
  });

  it('fails the run when pg-boss gives up on a node whose workers kept dying', async () => {
    const agent = await agentId('gpt-6.1-terra');
    llm.openai.reply({ hang: true });
    const wf = await workflow(def([{ id: 'slow', type: 'agent', config: { agentId: agent, prompt: 'x' } }, { id: 'out', type: 'output', config: { value: 1 } }], [edge('start', 'slow'), edge('slow', 'out')]));
    const runId = await start(wf.id);
    await expect.poll(() => llm.requests.length, { timeout: 10_000 }).toBe(1);
    const taskId = (await server.deps.db.selectFrom('tasks').select('id').where('run_id', '=', fromGlobalId(runId, 'Run')).where('node_id', '=', 'slow').executeTakeFirstOrThrow()).id;
    // What pg-boss does after the last retry: the job goes to the dead-letter queue.
    await server.deps.queue.send('workflow.node.dead', { runId: fromGlobalId(runId, 'Run'), taskId });
    const run = await settle(runId);
    expect(run).toMatchObject({ status: 'FAILED', errorCode: 'NODE_FAILED' });
    expect(run.error).toContain('interrupted too many times');
  });

  it('cancels a running run, stopping the node at work', async () => {
    const agent = await agentId('gpt-6.1-terra');
    llm.openai.reply({ hang: true });
    const wf = await workflow(def([{ id: 'slow', type: 'agent', config: { agentId: agent, prompt: 'long' } }, { id: 'out', type: 'output', config: { value: 1 } }],
      [edge('start', 'slow'), edge('slow', 'out')]));
    const runId = await start(wf.id);
    await expect.poll(() => llm.requests.length, { timeout: 10_000 }).toBe(1);
    ok(await gql(server, 'mutation($id: ID!) { cancelRun(id: $id) { status } }', { id: runId }, auth()));
    const run = await settle(runId);
    expect(run.status).toBe('CANCELLED');
    expect(task(run, 'slow').status).toBe('CANCELLED');
    await expect.poll(() => llm.requests[0]!.aborted, { timeout: 5000 }).toBe(true);
    expect(errorCode(await gql(server, 'mutation($id: ID!) { cancelRun(id: $id) { status } }', { id: runId }, auth()))).toBe('CONFLICT');
  });
});

/** Start → approval (admins decide) → approved / rejected outputs. */
const flow = (timeoutSeconds?: number) => def([
  { id: 'check', type: 'approval', config: { message: 'Refund {{input.amount}} EUR?', assigneeRole: 'admin', ...(timeoutSeconds ? { timeoutSeconds } : {}) } },
  { id: 'yes', type: 'output', config: { value: 'refunded' } },
  { id: 'no', type: 'output', config: { value: 'declined: {{nodes.check.output.decision}}' } },
], [edge('start', 'check'), edge('check', 'yes', 'approved'), edge('check', 'no', 'rejected')]);
describe('approvals', () => {
  const PENDING = '{ pendingApprovals { id message status run { id } } }';

  it('parks the run until an admin approves; a member may not decide', async () => {
    const wf = await workflow(flow());
    const runId = await start(wf.id, { amount: 40 });
    const waiting = await settle(runId, ['WAITING']);
    const approval = task(waiting, 'check').approval;
    expect(approval.status).toBe('PENDING');
    const pending = ok(await gql(server, PENDING, {}, auth())).pendingApprovals;
    expect(pending.find((a: any) => a.id === approval.id)).toMatchObject({ message: 'Refund 40 EUR?', run: { id: runId } });

    const member = await (await import('./helpers.ts')).addMember(server, owner, 'MEMBER');
    expect(ok(await gql(server, PENDING, {}, auth(member))).pendingApprovals.find((a: any) => a.id === approval.id)).toBeUndefined();
    expect(errorCode(await gql(server, 'mutation($id: ID!) { approveStep(approvalId: $id) { status } }', { id: approval.id }, auth(member)))).toBe('FORBIDDEN');

    ok(await gql(server, 'mutation($id: ID!) { approveStep(approvalId: $id, comment: "fine") { status } }', { id: approval.id }, auth()));
    const done = await settle(runId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: 'refunded' });
    expect(task(done, 'no').status).toBe('SKIPPED');
    expect(task(done, 'check').approval).toMatchObject({ status: 'APPROVED', comment: 'fine' });
    expect(errorCode(await gql(server, 'mutation($id: ID!) { rejectStep(approvalId: $id) { status } }', { id: approval.id }, auth()))).toBe('CONFLICT');
  });

  it('takes the rejected branch when rejected, and when the approval times out', async () => {
    const wf = await workflow(flow());
    const runId = await start(wf.id, { amount: 9000 });
    const approval = task(await settle(runId, ['WAITING']), 'check').approval;
    ok(await gql(server, 'mutation($id: ID!) { rejectStep(approvalId: $id, comment: "too much") { status } }', { id: approval.id }, auth()));
    expect(await settle(runId)).toMatchObject({ status: 'SUCCEEDED', output: 'declined: rejected' });

    const timed = await workflow(flow(1));
    const late = await settle(await start(timed.id, { amount: 1 }), ['SUCCEEDED', 'FAILED'], 15_000);
    expect(late).toMatchObject({ status: 'SUCCEEDED', output: 'declined: timed_out' });
    expect(task(late, 'check').approval.status).toBe('TIMED_OUT');
  });
});

describe('tool calls that need approval', () => {
  it.each([['approve', 'approveStep', '5'], ['reject', 'rejectStep', 'A person rejected this call']] as const)(
    'parks the run on the exact call and resumes the agent after a person %ss it', async (_what, mutation, toolResult) => {
      const agent = await agentId('gpt-6.1-terra', { tools: ['calculator'], config: { toolsRequiringApproval: ['calculator'], cacheEnabled: false } });
      llm.openai.reply({ toolCalls: [{ name: 'calculator', arguments: { expression: '2+3' } }] }).reply({ text: 'Done.' });
      const wf = await workflow(def([
        { id: 'ask', type: 'agent', config: { agentId: agent, prompt: 'What is 2+3?' } },
        { id: 'out', type: 'output', config: { value: '{{nodes.ask.output.text}}' } },
      ], [edge('start', 'ask'), edge('ask', 'out')]));
      const runId = await start(wf.id);
      const waiting = await settle(runId, ['WAITING']);
      const approval = ok(await gql(server, '{ pendingApprovals { id details run { id } } }', {}, auth())).pendingApprovals.find((a: any) => a.run.id === runId);
      expect(approval.details).toMatchObject({ tool: 'calculator', arguments: { expression: '2+3' } });
      expect(task(waiting, 'ask').status).toBe('WAITING');
      expect(llm.requests).toHaveLength(1); // the tool has not run, the model waits

      ok(await gql(server, `mutation($id: ID!) { ${mutation}(approvalId: $id) { status } }`, { id: approval.id }, auth()));
      const done = await settle(runId);
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: 'Done.' });
      const toolMessage = llm.requests[1]!.body.messages.find((m: any) => m.role === 'tool');
      expect(String(toolMessage.content)).toContain(toolResult);
      expect(task(done, 'ask').attempts).toBe(2);
    });

  it('refuses to require approval for a tool the agent does not have', async () => {
    const r = await gql(server, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: 'X', model: 'simulated', status: 'INACTIVE', config: { toolsRequiringApproval: ['calculator'] } } }, auth());
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toContain('Only enabled tools can require approval');
  });
});

describe('retention', () => {
  it('prunes old run events and task payloads but keeps the run summary', async () => {
    const wf = await workflow(def([{ id: 'out', type: 'output', config: { value: '{{input.secret}}' } }], [edge('start', 'out')]));
    const runId = await start(wf.id, { secret: 'old payload' });
    await settle(runId);
    const id = fromGlobalId(runId, 'Run');
    const longAgo = new Date(Date.now() - 31 * 86400_000);
    await server.deps.db.updateTable('run_events').set({ created_at: longAgo }).where('run_id', '=', id).execute();
    await server.deps.db.updateTable('tasks').set({ finished_at: longAgo }).where('run_id', '=', id).execute();
    await server.deps.db.updateTable('workflow_runs').set({ finished_at: longAgo }).where('id', '=', id).execute();
    await pruneRunHistory(server.deps.db, 30);
    const run = ok(await gql(server, RUN, { id: runId }, auth())).run;
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: null, events: [] });
    expect(run.tasks.map((t: any) => [t.nodeId, t.status, t.output])).toEqual([['start', 'SUCCEEDED', null], ['out', 'SUCCEEDED', null]]);
  });
});

describe('events', () => {
  it('replays from any event id, then follows live, with no gap and no duplicate', async () => {
    const wf = await workflow(def([
      { id: 'check', type: 'approval', config: { message: 'Go?' } },
      { id: 'out', type: 'output', config: { value: 'done' } },
    ], [edge('start', 'check'), edge('check', 'out', 'approved')]));
    const runId = await start(wf.id);
    const waiting = await settle(runId, ['WAITING']);
    const before = waiting.events.map((e: any) => e.id);
    const resumeAfter = before[1];

    const client = wsClient(server, { authorization: `Bearer ${owner.token}`, organizationId: owner.orgId });
    const sub = subscribe(client, `subscription { runEvents(runId: "${runId}", after: ${resumeAfter}) { id type nodeId } }`, 100);
    await expect.poll(() => sub.events.length).toBe(before.length - 2);
    ok(await gql(server, 'mutation($id: ID!) { approveStep(approvalId: $id) { status } }', { id: task(waiting, 'check').approval.id }, auth()));
    const { events, error } = await sub.done; // ends after run.succeeded
    await client.dispose();
    expect(error).toBeUndefined();
    const got = events.map((e) => e.data.runEvents);
    const all = (await settle(runId)).events;
    expect(got.map((e: any) => e.id)).toEqual(all.map((e: any) => e.id).filter((id: number) => id > resumeAfter));
    expect(got.at(-1).type).toBe('run.succeeded');
  });
});

describe('quotas and webhooks', () => {
  it('refuses a run over the monthly task quota with nothing written', async () => {
    const small = await registerAccount(server);
    const created = ok(await gql(server, 'mutation { createWorkflow(input: { name: "Q" }) { id } }', {}, auth(small))).createWorkflow;
    const orgId = fromGlobalId(small.orgId, 'Organization');
    const workflowUuid = fromGlobalId(created.id, 'Workflow');
    const run = await server.deps.db.insertInto('workflow_runs').values({ organization_id: orgId, workflow_id: workflowUuid, workflow_version: 1, definition: '{}', status: 'succeeded', trigger: 'manual', input: '{}' }).returning('id').executeTakeFirstOrThrow();
    await server.deps.db.insertInto('tasks').values(Array.from({ length: 100 }, (_, i) => ({ organization_id: orgId, run_id: run.id, node_id: `n${i}`, node_type: 'transform', status: 'succeeded' as const }))).execute();
    const refused = await gql(server, 'mutation($i: StartRunInput!) { startRun(input: $i) { id } }', { i: { workflowId: created.id } }, auth(small));
    expect(errorCode(refused)).toBe('QUOTA_EXCEEDED');
    expect(refused.errors![0]!.message).toContain('allows 100 tasks a month');
    expect(await server.deps.db.selectFrom('workflow_runs').select('id').where('organization_id', '=', orgId).execute()).toHaveLength(1);
  });

  it("fails a run that would pass the workflow's cost cap, with COST_CAP_EXCEEDED and no model call", async () => {
    const agent = await agentId('gpt-6.1-sol');
    const wf = await workflow({ ...def([
      { id: 'ask', type: 'agent', config: { agentId: agent, prompt: 'Write a novel' }, retry: { attempts: 3 } },
      { id: 'out', type: 'output', config: { value: '{{nodes.ask.output.text}}' } },
    ], [edge('start', 'ask'), edge('ask', 'out')]), settings: { maxCostPerRunUsd: 0.001 } });
    const run = await settle(await start(wf.id));
    expect(run).toMatchObject({ status: 'FAILED', errorCode: 'COST_CAP_EXCEEDED' });
    expect(task(run, 'ask').attempts).toBe(1); // not retried: another attempt cannot help
    expect(llm.requests).toEqual([]);
  });

  it('keeps a cron schedule while a scheduled workflow is active, and each tick starts a run', async () => {
    const wf = await workflow({ version: 1, nodes: [
      node({ id: 'start', type: 'trigger', config: { kind: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Paris' } }),
      node({ id: 'out', type: 'output', config: { value: '{{input.scheduledAt}}' } }),
    ], edges: [edge('start', 'out')] });
    const id = fromGlobalId(wf.id, 'Workflow');
    expect(await server.deps.queue.getSchedules('workflow.schedule', id)).toEqual([expect.objectContaining({ cron: '0 9 * * 1-5', key: id })]);
    await server.deps.queue.send('workflow.schedule', { workflowId: id, organizationId: fromGlobalId(owner.orgId, 'Organization') }); // a tick
    await expect.poll(async () => (await server.deps.db.selectFrom('workflow_runs').select(['trigger', 'status']).where('workflow_id', '=', id).execute()), { timeout: 10_000 })
      .toEqual([{ trigger: 'schedule', status: 'succeeded' }]);
    ok(await gql(server, 'mutation($i: UpdateWorkflowInput!) { updateWorkflow(input: $i) { status } }', { i: { id: wf.id, expectedVersion: wf.version, status: 'DRAFT' } }, auth()));
    expect(await server.deps.queue.getSchedules('workflow.schedule', id)).toEqual([]);
  });

  it('refuses to activate a workflow whose cron expression is invalid', async () => {
    const created = ok(await gql(server, 'mutation($i: CreateWorkflowInput!) { createWorkflow(input: $i) { id } }', { i: { name: 'Bad cron', definition: { version: 1, nodes: [
      node({ id: 'start', type: 'trigger', config: { kind: 'schedule', cron: 'every tuesday' } }), node({ id: 'out', type: 'output', config: { value: 1 } }),
    ], edges: [edge('start', 'out')] } } }, auth())).createWorkflow;
    const r = await gql(server, 'mutation($i: UpdateWorkflowInput!) { updateWorkflow(input: $i) { status } }', { i: { id: created.id, expectedVersion: 1, status: 'ACTIVE' } }, auth());
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toContain('The schedule cannot be used');
    expect(ok(await gql(server, 'query($id: ID!) { workflow(id: $id) { status version } }', { id: created.id }, auth())).workflow).toEqual({ status: 'DRAFT', version: 1 });
  });

  it('starts runs from a webhook with the secret or an HMAC signature, and answers synchronously on request', async () => {
    const hooked = await workflow({ version: 1, nodes: [
      node({ id: 'start', type: 'trigger', config: { kind: 'webhook' } }),
      node({ id: 'shape', type: 'transform', config: { output: { greeting: 'Hello {{input.name}}' } } }),
      node({ id: 'out', type: 'output', config: { value: '{{nodes.shape.output}}' } }),
    ], edges: [edge('start', 'shape'), edge('shape', 'out')] });
    const { secret, url } = ok(await gql(server, 'mutation($id: ID!) { rotateWebhookSecret(workflowId: $id) { url secret } }', { id: hooked.id }, auth())).rotateWebhookSecret;
    const path = new URL(url).pathname;
    const post = (body: string, headers: Record<string, string>, query = '') => fetch(`${server.url}${path}${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

    expect((await post('{"name":"Ann"}', { 'x-agentflow-secret': 'wrong' })).status).toBe(401);
    expect((await post('{"name":"Ann"}', {})).status).toBe(401);
    const accepted = await post('{"name":"Ann"}', { 'x-agentflow-secret': secret });
    expect(accepted.status).toBe(202);
    const { runId } = await accepted.json() as { runId: string };
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    const body = '{"name":"Bo"}';
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const sync = await post(body, { 'x-agentflow-signature': signature }, '?wait=10');
    expect(sync.status).toBe(200);
    expect(await sync.json()).toMatchObject({ status: 'succeeded', output: { greeting: 'Hello Bo' } });
    expect((await post('not json', { 'x-agentflow-secret': secret })).status).toBe(400);
    expect((await fetch(`${server.url}/hooks/00000000-0000-0000-0000-000000000000`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
