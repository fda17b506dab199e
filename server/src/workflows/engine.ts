import { sql } from 'kysely';
import { fromKysely } from 'pg-boss';
import type { Executor } from '../db/database.ts';
import type { DbRunStatus, DbTaskStatus } from '../db/schema.ts';
import type { Role } from '../modules/auth/permissions.ts';
import type { Deps } from '../graphql/context.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { nanoToUsdString, usdStringToNano } from '../llm/pricing.ts';
import { planLimits } from '../modules/organizations/plans.ts';
import { incomingEdges, nodeById, outgoingEdges, type WorkflowDefinition, type WorkflowNode } from './definition.ts';
import { executeNode, isPureNode, type AgentCheckpoint, type NodeResult } from './nodes.ts';

export const NODE_QUEUE = 'workflow.node';
export const APPROVAL_TIMEOUT_QUEUE = 'workflow.approval-timeout';
/** Node jobs whose workers died more times than pg-boss retries land here: their run fails. */
export const NODE_DEAD_LETTER_QUEUE = 'workflow.node.dead';
/** pg-boss cron: one schedule per workflow (key = workflow id), each tick starts a run. */
export const SCHEDULE_QUEUE = 'workflow.schedule';

/** Without a node timeout, a node may run this long (and its job is given a minute more). */
export const DEFAULT_NODE_TIMEOUT_SECONDS = 300;

export interface RunRow {
  id: string; organization_id: string; workflow_id: string; definition: WorkflowDefinition; status: DbRunStatus;
  input: unknown; started_by: string | null;
}
export interface TaskRow {
  id: string; run_id: string; node_id: string; node_type: string; status: DbTaskStatus; attempts: number;
  output: unknown; output_port: string | null; error: string | null;
}

const ACTIVE_TASK: DbTaskStatus[] = ['queued', 'running', 'waiting'];
const json = (v: unknown) => JSON.stringify(v ?? null);

/** Locks the run row: every change to a run, its tasks and its event log happens under this lock. */
export async function lockRun(trx: Executor, organizationId: string | null, runId: string): Promise<RunRow | undefined> {
  let q = trx.selectFrom('workflow_runs').select(['id', 'organization_id', 'workflow_id', 'definition', 'status', 'input', 'started_by']).where('id', '=', runId);
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return (await q.forUpdate().executeTakeFirst()) as RunRow | undefined;
}

export async function tasksOf(trx: Executor, runId: string): Promise<TaskRow[]> {
  return trx.selectFrom('tasks').select(['id', 'run_id', 'node_id', 'node_type', 'status', 'attempts', 'output', 'output_port', 'error'])
    .where('run_id', '=', runId).execute() as Promise<TaskRow[]>;
}

export interface EventInput { type: string; nodeId?: string | null; taskId?: string | null; message?: string; data?: Record<string, unknown> }

/** Appends to the run's log (under the run lock) and announces it at commit. */
export async function appendEvent(deps: Pick<Deps, 'events'>, trx: Executor, run: Pick<RunRow, 'id' | 'organization_id'>, e: EventInput): Promise<void> {
  const row = await trx.insertInto('run_events').values({
    organization_id: run.organization_id, run_id: run.id, type: e.type, node_id: e.nodeId ?? null, task_id: e.taskId ?? null,
    message: e.message ?? null, data: e.data ? json(e.data) : null,
  }).returning(['id', 'created_at']).executeTakeFirstOrThrow();
  const event = { id: Number(row.id), runId: run.id, type: e.type, nodeId: e.nodeId ?? null, taskId: e.taskId ?? null, message: e.message ?? null, data: e.data ?? null, createdAt: row.created_at.toISOString() };
  const small = Buffer.byteLength(JSON.stringify(event)) < 6000;
  const notice = { id: event.id, runId: run.id, ...(small ? { event } : {}) };
  await deps.events.publishAll(trx, [{ topic: `run:${run.id}`, payload: notice }, { topic: `orgRuns:${run.organization_id}`, payload: notice }]);
}

/** Tasks counted against the plan's monthly quota: every task created this calendar month (UTC). */
export async function tasksThisMonth(db: Executor, organizationId: string): Promise<number> {
  const row = await db.selectFrom('tasks').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('created_at', '>=', sql<Date>`date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function assertTaskQuota(db: Executor, organizationId: string, more = 1): Promise<void> {
  const org = await db.selectFrom('organizations').select('plan').where('id', '=', organizationId).executeTakeFirstOrThrow();
  const limit = planLimits(org.plan).tasksPerMonth;
  if (limit === Number.POSITIVE_INFINITY) return;
  if ((await tasksThisMonth(db, organizationId)) + more > limit) {
    throw new AppError(ErrorCode.QUOTA_EXCEEDED, `The ${org.plan} plan allows ${limit} tasks a month and this month's are used up`, { details: { limit } });
  }
}

export interface StartRunInput {
  organizationId: string;
  workflowId: string;
  workflowVersion: number;
  definition: WorkflowDefinition;
  input: unknown;
  trigger: 'manual' | 'webhook' | 'schedule';
  startedBy: string | null;
}

/** Inserts the run, completes its trigger and enqueues what follows, all in the caller's transaction. */
export async function startRun(deps: Deps, trx: Executor, input: StartRunInput): Promise<RunRow> {
  await assertTaskQuota(trx, input.organizationId);
  const run = await trx.insertInto('workflow_runs').values({
    organization_id: input.organizationId, workflow_id: input.workflowId, workflow_version: input.workflowVersion,
    definition: json(input.definition), status: 'running', trigger: input.trigger, input: json(input.input), started_by: input.startedBy, started_at: new Date(),
  }).returning(['id', 'organization_id', 'workflow_id', 'definition', 'status', 'input', 'started_by']).executeTakeFirstOrThrow() as unknown as RunRow;
  await appendEvent(deps, trx, run, { type: 'run.started', message: `Run started (${input.trigger})` });
  const trigger = input.definition.nodes.find((n) => n.type === 'trigger')!;
  const task = await trx.insertInto('tasks').values({
    organization_id: run.organization_id, run_id: run.id, node_id: trigger.id, node_type: 'trigger', status: 'succeeded', attempts: 1,
    input: json(input.input), output: json(input.input), output_port: 'out', started_at: new Date(), finished_at: new Date(),
  }).returning('id').executeTakeFirstOrThrow();
  await appendEvent(deps, trx, run, { type: 'task.succeeded', nodeId: trigger.id, taskId: task.id, message: `${trigger.name} started the run`, data: { outputPort: 'out' } });
  await advance(deps, trx, run);
  return run;
}

/** What a node sees: the run input and the outputs of the nodes that have finished. */
export function scopeOf(run: Pick<RunRow, 'input'>, tasks: TaskRow[]): { input: unknown; nodes: Record<string, { output: unknown }> } {
  return { input: run.input, nodes: Object.fromEntries(tasks.filter((t) => t.status === 'succeeded').map((t) => [t.node_id, { output: t.output }])) };
}

type EdgeState = 'taken' | 'not_taken' | 'pending';
function edgeState(source: TaskRow | undefined, sourceOutput: string): EdgeState {
  if (!source) return 'pending';
  if (source.status === 'succeeded') return source.output_port === sourceOutput ? 'taken' : 'not_taken';
  if (source.status === 'skipped') return 'not_taken';
  return 'pending';
}

/**
 * Moves a run forward after something finished (under the run lock): every node whose incoming
 * edges are all decided gets its task: run (queued, or at once when pure) when an edge into it
 * was taken, skipped when none was; skips propagate. Then the run's own status follows.
 */
export async function advance(deps: Deps, trx: Executor, run: RunRow): Promise<void> {
  const def = run.definition;
  let tasks = await tasksOf(trx, run.id);
  for (let changed = true; changed;) {
    changed = false;
    const byNode = new Map(tasks.map((t) => [t.node_id, t]));
    for (const node of def.nodes) {
      if (byNode.has(node.id) || node.type === 'trigger') continue;
      const states = incomingEdges(def, node.id).map((e) => edgeState(byNode.get(e.source), e.sourceOutput));
      if (states.length === 0 || states.includes('pending')) continue;
      changed = true;
      if (!states.includes('taken')) {
        const skipped = await trx.insertInto('tasks').values({ organization_id: run.organization_id, run_id: run.id, node_id: node.id, node_type: node.type, status: 'skipped', finished_at: new Date() })
          .returning('id').executeTakeFirstOrThrow();
        await appendEvent(deps, trx, run, { type: 'task.skipped', nodeId: node.id, taskId: skipped.id, message: `${node.name} skipped: no branch leads to it` });
      } else {
        await scheduleNode(deps, trx, run, node, tasks);
      }
      tasks = await tasksOf(trx, run.id);
      break; // re-read and look again: a pure node may have completed inline
    }
  }
  await settleRun(deps, trx, run, tasks);
}

async function scheduleNode(deps: Deps, trx: Executor, run: RunRow, node: WorkflowNode, tasks: TaskRow[]): Promise<void> {
  await assertTaskQuota(trx, run.organization_id).catch(async (err: AppError) => {
    await failRun(deps, trx, run, err.code, err.message);
    throw new RunStopped();
  });
  const task = await trx.insertInto('tasks').values({ organization_id: run.organization_id, run_id: run.id, node_id: node.id, node_type: node.type, status: 'queued' })
    .returning('id').executeTakeFirstOrThrow();
  if (isPureNode(node)) {
    // Pure nodes (condition, join, transform, output) run inline, in this transaction: same task
    // row and events as a job would give, without a queue round trip.
    await trx.updateTable('tasks').set({ status: 'running', attempts: 1, started_at: new Date() }).where('id', '=', task.id).execute();
    let result: NodeResult;
    try {
      result = await executeNode(deps, { run, node, taskId: task.id, scope: scopeOf(run, tasks), signal: AbortSignal.timeout(5000) });
    } catch (err) {
      await nodeFailed(deps, trx, run, node, { id: task.id, attempts: 1 }, err as Error);
      return;
    }
    await completeTask(deps, trx, run, node, task.id, result);
    return;
  }
  await appendEvent(deps, trx, run, { type: 'task.queued', nodeId: node.id, taskId: task.id, message: `${node.name} queued` });
  await enqueueNode(deps, trx, run, node, task.id, 0);
}

export async function enqueueNode(deps: Deps, trx: Executor, run: Pick<RunRow, 'id'>, node: WorkflowNode, taskId: string, delaySeconds: number): Promise<void> {
  const timeout = node.timeoutSeconds ?? DEFAULT_NODE_TIMEOUT_SECONDS;
  await deps.queue.send(NODE_QUEUE, { runId: run.id, taskId }, {
    db: fromKysely(trx), startAfter: delaySeconds > 0 ? delaySeconds : undefined, expireInSeconds: Math.ceil(timeout) + 60,
  });
}

/** Thrown inside a transaction when the run has been ended (failed, quota) and nothing more may happen. */
export class RunStopped extends Error {}

/** Records a node's success and moves the run on. The task must still be running or waiting. */
export async function completeTask(deps: Deps, trx: Executor, run: RunRow, node: WorkflowNode, taskId: string, result: NodeResult): Promise<boolean> {
  const updated = await trx.updateTable('tasks').set({
    status: 'succeeded', output: json(result.output), output_port: result.port, input: result.input === undefined ? undefined : json(result.input),
    input_tokens: sql`input_tokens + ${result.inputTokens ?? 0}`, output_tokens: sql`output_tokens + ${result.outputTokens ?? 0}`,
    cost_usd: sql`cost_usd + ${nanoToUsdString(result.costNano ?? 0)}::numeric`, finished_at: new Date(), error: null,
  }).where('id', '=', taskId).where('status', 'in', ['running', 'waiting']).returning(['started_at', 'finished_at']).executeTakeFirst();
  if (!updated) return false; // finished already (a duplicate delivery or a race lost): nothing to do twice
  if (result.inputTokens || result.outputTokens || result.costNano) {
    await trx.updateTable('workflow_runs').set({
      input_tokens: sql`input_tokens + ${result.inputTokens ?? 0}`, output_tokens: sql`output_tokens + ${result.outputTokens ?? 0}`,
      cost_usd: sql`cost_usd + ${nanoToUsdString(result.costNano ?? 0)}::numeric`,
    }).where('id', '=', run.id).execute();
  }
  const durationMs = updated.started_at && updated.finished_at ? updated.finished_at.getTime() - updated.started_at.getTime() : undefined;
  await appendEvent(deps, trx, run, {
    type: 'task.succeeded', nodeId: node.id, taskId, message: `${node.name} finished (${result.port})`,
    data: { outputPort: result.port, durationMs, costUsd: (result.costNano ?? 0) / 1e9 },
  });
  await advance(deps, trx, run);
  return true;
}

/**
 * A node failed: retry it if its policy allows, else take its error branch if one is connected,
 * else fail the run.
 */
export async function nodeFailed(deps: Deps, trx: Executor, run: RunRow, node: WorkflowNode, task: { id: string; attempts: number }, error: Error): Promise<void> {
  const message = error.message.slice(0, 2000);
  const attempts = node.retry?.attempts ?? 1;
  // Over a cap or quota, trying again or elsewhere cannot help: the run fails with that code.
  const limit = error instanceof AppError && (error.code === ErrorCode.COST_CAP_EXCEEDED || error.code === ErrorCode.QUOTA_EXCEEDED);
  if (task.attempts < attempts && !(error instanceof RunStopped) && !limit) {
    const delay = (node.retry?.backoffSeconds ?? 1) * 2 ** (task.attempts - 1);
    await trx.updateTable('tasks').set({ status: 'queued', error: message }).where('id', '=', task.id).execute();
    await appendEvent(deps, trx, run, { type: 'task.retrying', nodeId: node.id, taskId: task.id, message: `${node.name} failed (attempt ${task.attempts} of ${attempts}), retrying in ${delay} s: ${message}`, data: { attempt: task.attempts, delaySeconds: delay } });
    await enqueueNode(deps, trx, run, node, task.id, delay);
    return;
  }
  if (!limit && outgoingEdges(run.definition, node.id).some((e) => e.sourceOutput === 'error')) {
    await trx.updateTable('tasks').set({ error: message }).where('id', '=', task.id).execute();
    await completeTask(deps, trx, run, node, task.id, { port: 'error', output: { error: message } });
    return;
  }
  await trx.updateTable('tasks').set({ status: 'failed', error: message, finished_at: new Date() }).where('id', '=', task.id).execute();
  await appendEvent(deps, trx, run, { type: 'task.failed', nodeId: node.id, taskId: task.id, message: `${node.name} failed: ${message}` });
  await failRun(deps, trx, run, error instanceof AppError ? error.code : 'NODE_FAILED', `${node.name} failed: ${message}`);
}

/** Ends a run as failed; queued and waiting work is cancelled (running nodes are told to stop). */
export async function failRun(deps: Deps, trx: Executor, run: RunRow, code: string, message: string): Promise<void> {
  await endRun(deps, trx, run, 'failed', { error: message, error_code: code });
  await appendEvent(deps, trx, run, { type: 'run.failed', message, data: { code } });
}

export async function endRun(deps: Deps, trx: Executor, run: RunRow, status: 'failed' | 'cancelled', fields: { error?: string; error_code?: string } = {}): Promise<void> {
  run.status = status;
  await trx.updateTable('workflow_runs').set({ status, finished_at: new Date(), ...fields }).where('id', '=', run.id).execute();
  await trx.updateTable('tasks').set({ status: 'cancelled', finished_at: new Date() }).where('run_id', '=', run.id).where('status', 'in', ACTIVE_TASK).execute();
  await trx.updateTable('approvals').set({ status: 'cancelled', decided_at: new Date() }).where('run_id', '=', run.id).where('status', '=', 'pending').execute();
  await deps.events.publish(trx, `runCancel:${run.id}`, { runId: run.id });
}

/** After any change: a run with nothing left to do succeeds (or stays failed); one parked on approvals waits. */
async function settleRun(deps: Deps, trx: Executor, run: RunRow, tasks: TaskRow[]): Promise<void> {
  if (run.status !== 'running' && run.status !== 'waiting') return;
  const active = tasks.filter((t) => ACTIVE_TASK.includes(t.status));
  if (active.length && active.every((t) => t.status === 'waiting')) {
    if (run.status !== 'waiting') {
      run.status = 'waiting';
      await trx.updateTable('workflow_runs').set({ status: 'waiting' }).where('id', '=', run.id).execute();
      await appendEvent(deps, trx, run, { type: 'run.waiting', message: 'Waiting for an approval' });
    }
    return;
  }
  if (active.length) {
    if (run.status === 'waiting') {
      run.status = 'running';
      await trx.updateTable('workflow_runs').set({ status: 'running' }).where('id', '=', run.id).execute();
    }
    return;
  }
  const outputs = tasks.filter((t) => t.node_type === 'output' && t.status === 'succeeded');
  const output = outputs.length === 1 ? outputs[0]!.output : Object.fromEntries(outputs.map((t) => [t.node_id, t.output]));
  run.status = 'succeeded';
  await trx.updateTable('workflow_runs').set({ status: 'succeeded', output: json(output), finished_at: new Date() }).where('id', '=', run.id).execute();
  await appendEvent(deps, trx, run, { type: 'run.succeeded', message: 'Run finished', data: { output } });
}

/** Parks a run on an approval node (under the run lock): the task waits until someone decides. */
export async function parkForApproval(deps: Deps, trx: Executor, run: RunRow, node: WorkflowNode, taskId: string, result: NodeResult): Promise<void> {
  const message = String((result.output as { message?: unknown }).message ?? '');
  // An approval node may time out; a tool call an agent wants to make waits as long as it takes.
  const timeout = node.type === 'approval' ? (node.config.timeoutSeconds as number | undefined) : undefined;
  const expiresAt = timeout ? new Date(Date.now() + timeout * 1000) : null;
  const updated = await trx.updateTable('tasks').set({
    status: 'waiting', input: result.input === undefined ? undefined : json(result.input), state: result.state ? json(result.state) : null,
    input_tokens: sql`input_tokens + ${result.inputTokens ?? 0}`, output_tokens: sql`output_tokens + ${result.outputTokens ?? 0}`,
    cost_usd: sql`cost_usd + ${nanoToUsdString(result.costNano ?? 0)}::numeric`,
  }).where('id', '=', taskId).where('status', '=', 'running').executeTakeFirst();
  if (!updated.numUpdatedRows) return;
  const approval = await trx.insertInto('approvals').values({
    organization_id: run.organization_id, run_id: run.id, task_id: taskId, node_id: node.id, message, details: result.details ? json(result.details) : null,
    assignee_role: (node.config.assigneeRole as Role | undefined) ?? 'member', expires_at: expiresAt,
  }).returning('id').executeTakeFirstOrThrow();
  await appendEvent(deps, trx, run, { type: 'approval.requested', nodeId: node.id, taskId, message: `${node.name} waits for approval: ${message.slice(0, 200)}`, data: { approvalId: approval.id, ...(result.details ? { details: result.details } : {}) } });
  if (timeout) await deps.queue.send(APPROVAL_TIMEOUT_QUEUE, { approvalId: approval.id }, { db: fromKysely(trx), startAfter: Math.ceil(timeout) });
  await advance(deps, trx, run);
}

/** After a decision on an agent's tool call: the node is queued again and resumes from its checkpoint. */
export async function resumeAfterToolDecision(deps: Deps, trx: Executor, run: RunRow, node: WorkflowNode, taskId: string, callId: string, decision: 'approved' | 'rejected'): Promise<void> {
  const task = await trx.selectFrom('tasks').select(['state', 'status']).where('id', '=', taskId).executeTakeFirstOrThrow();
  if (task.status !== 'waiting') return;
  const state = task.state as AgentCheckpoint;
  const next: AgentCheckpoint = { ...state, decisions: { ...state.decisions, [callId]: decision } };
  await trx.updateTable('tasks').set({ status: 'queued', state: json(next) }).where('id', '=', taskId).execute();
  await appendEvent(deps, trx, run, { type: 'task.queued', nodeId: node.id, taskId, message: `${node.name} resumes after the decision (${decision})` });
  await enqueueNode(deps, trx, run, node, taskId, 0);
  await advance(deps, trx, run);
}

// ---------------------------------------------------------------------------------------------
// The worker: one job per node.

/**
 * Runs one node. Claiming, completing and failing each happen in a short transaction under the
 * run lock; the node's own work (a model call, a tool) happens outside any transaction. A task
 * that already finished is never run again, whatever pg-boss delivers twice; a task left
 * 'running' by a dead worker is run again when its job expires and is retried.
 */
export async function runNodeJob(deps: Deps, data: { runId: string; taskId: string }, jobSignal?: AbortSignal): Promise<void> {
  const claimed = await deps.db.transaction().execute(async (trx) => {
    const run = await lockRun(trx, null, data.runId);
    if (!run || (run.status !== 'running' && run.status !== 'waiting')) return undefined;
    const task = await trx.updateTable('tasks').set({ status: 'running', attempts: sql`attempts + 1`, started_at: sql`coalesce(started_at, now())` })
      .where('id', '=', data.taskId).where('status', 'in', ['queued', 'running']).returning(['id', 'node_id', 'attempts', 'state']).executeTakeFirst();
    if (!task) return undefined;
    const node = nodeById(run.definition, task.node_id)!;
    await appendEvent(deps, trx, run, { type: 'task.started', nodeId: node.id, taskId: task.id, message: `${node.name} started${task.attempts > 1 ? ` (attempt ${task.attempts})` : ''}`, data: { attempt: task.attempts } });
    return { run, task, node, tasks: await tasksOf(trx, run.id) };
  });
  if (!claimed) return;
  const { run, task, node } = claimed;

  const controller = new AbortController();
  const timeoutMs = (node.timeoutSeconds ?? DEFAULT_NODE_TIMEOUT_SECONDS) * 1000;
  const timer = setTimeout(() => controller.abort(new NodeTimeout(node.name, timeoutMs)), timeoutMs);
  const cancel = deps.events.pubsub.subscribe(`runCancel:${run.id}`);
  void cancel.next().then((r) => { if (!r.done) controller.abort(new Error('The run was cancelled')); }, () => undefined);
  // pg-boss aborts the job when this worker shuts down or loses its claim (missed heartbeats); it
  // has then failed the job and retries it, and the retry runs the node again.
  const released = new Error('The worker is stopping');
  jobSignal?.addEventListener('abort', () => controller.abort(released), { once: true });

  let result: NodeResult | undefined;
  let failure: Error | undefined;
  try {
    result = await raceAbort(executeNode(deps, { run, node, taskId: task.id, scope: scopeOf(run, claimed.tasks), signal: controller.signal, state: task.state as AgentCheckpoint | null }), controller.signal);
  } catch (err) {
    failure = controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason : (err as Error);
  } finally {
    clearTimeout(timer);
    await cancel.return?.();
  }
  if (!result && failure === released) return; // not the node's failure: the task stays running for the retry

  await deps.db.transaction().execute(async (trx) => {
    const current = await lockRun(trx, null, run.id);
    if (!current || (current.status !== 'running' && current.status !== 'waiting')) return;
    try {
      if (result?.port === 'waiting') await parkForApproval(deps, trx, current, node, task.id, result);
      else if (result) await completeTask(deps, trx, current, node, task.id, result);
      else await nodeFailed(deps, trx, current, node, task, failure!);
    } catch (err) {
      if (!(err instanceof RunStopped)) throw err;
    }
  });
}

/** A node job pg-boss gave up on (its workers kept dying): fail the node and its run instead of leaving them running. */
export async function nodeGaveUp(deps: Deps, data: { runId: string; taskId: string }): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const run = await lockRun(trx, null, data.runId);
    if (!run || (run.status !== 'running' && run.status !== 'waiting')) return;
    const task = await trx.selectFrom('tasks').select(['node_id', 'status']).where('id', '=', data.taskId).executeTakeFirst();
    if (!task || (task.status !== 'running' && task.status !== 'queued')) return;
    const node = nodeById(run.definition, task.node_id)!;
    const message = `${node.name} was interrupted too many times (its worker stopped each time); giving up`;
    await trx.updateTable('tasks').set({ status: 'failed', error: message, finished_at: new Date() }).where('id', '=', data.taskId).execute();
    await appendEvent(deps, trx, run, { type: 'task.failed', nodeId: node.id, taskId: data.taskId, message });
    await failRun(deps, trx, run, 'NODE_FAILED', message);
  });
}

export class NodeTimeout extends Error {
  constructor(name: string, ms: number) { super(`${name} timed out after ${ms / 1000} s`); }
}

/** Ends the wait when the signal fires, whatever the work does with it. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export const runCostNano = (row: { cost_usd: string }) => usdStringToNano(row.cost_usd);
