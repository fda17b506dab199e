import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DbRunStatus } from '../../db/schema.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { badInput, conflict, notFound } from '../../lib/errors.ts';
import { isBigintKey, isUuid } from '../../lib/keys.ts';
import { nodeById } from '../../workflows/definition.ts';
import { appendEvent, endRun, enqueueNode, lockRun, startRun, tasksOf, type RunRow } from '../../workflows/engine.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { roleRank, type Role } from '../auth/permissions.ts';
import { assertValid, requireWorkflow } from './workflow.service.ts';

const RUN_COLUMNS = ['id', 'organization_id', 'workflow_id', 'workflow_version', 'definition', 'status', 'trigger', 'input', 'output', 'error', 'error_code',
  'input_tokens', 'output_tokens', 'cost_usd', 'started_by', 'created_at', 'started_at', 'finished_at'] as const;
export type Run = Awaited<ReturnType<typeof findRun>> & object;

export async function findRun(db: Executor, organizationId: string, id: string) {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('workflow_runs').select(RUN_COLUMNS).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

/** Starts a run of an active workflow, or a test run of a draft whose definition is valid. */
export async function startWorkflowRun(deps: Deps, caller: Caller | null, organizationId: string, workflowId: string, input: unknown, trigger: 'manual' | 'webhook' | 'schedule') {
  const workflow = await requireWorkflow(deps.db, organizationId, workflowId);
  if (workflow.status === 'archived') throw conflict('This workflow is archived');
  if (JSON.stringify(input ?? null).length > 1_000_000) throw badInput('The run input is larger than 1 MB');
  await assertValid(deps.db, organizationId, workflow.definition, 'This workflow cannot run');
  const runId = await deps.db.transaction().execute(async (trx) => {
    const run = await startRun(deps, trx, {
      organizationId, workflowId, workflowVersion: workflow.version, definition: workflow.definition, input: input ?? {}, trigger, startedBy: caller?.user?.id ?? null,
    });
    if (caller) await writeAudit(trx, caller, { organizationId, action: 'run.start', targetType: 'Run', targetId: run.id, details: { workflowId, version: workflow.version } });
    return run.id;
  });
  return (await findRun(deps.db, organizationId, runId))!;
}

export async function cancelRun(deps: Deps, caller: Caller, runId: string) {
  const orgId = caller.organizationId!;
  if (!isUuid(runId)) throw notFound('Run');
  await deps.db.transaction().execute(async (trx) => {
    const run = await lockRun(trx, orgId, runId);
    if (!run) throw notFound('Run');
    if (!['queued', 'running', 'waiting'].includes(run.status)) throw conflict(`This run has already ${run.status === 'cancelled' ? 'been cancelled' : run.status}`);
    await endRun(deps, trx, run, 'cancelled');
    await appendEvent(deps, trx, run, { type: 'run.cancelled', message: `Cancelled by ${caller.user?.name ?? caller.apiKey?.name ?? 'someone'}` });
    await writeAudit(trx, caller, { organizationId: orgId, action: 'run.cancel', targetType: 'Run', targetId: runId, details: {} });
  });
  return (await findRun(deps.db, orgId, runId))!;
}

/** Runs a failed run again from the nodes that did not finish; completed work is kept. */
export async function retryRun(deps: Deps, caller: Caller, runId: string) {
  const orgId = caller.organizationId!;
  if (!isUuid(runId)) throw notFound('Run');
  await deps.db.transaction().execute(async (trx) => {
    const run = await lockRun(trx, orgId, runId);
    if (!run) throw notFound('Run');
    if (run.status !== 'failed') throw conflict('Only a failed run can be retried');
    const unfinished = (await tasksOf(trx, runId)).filter((t) => t.status === 'failed' || t.status === 'cancelled');
    await trx.updateTable('workflow_runs').set({ status: 'running', error: null, error_code: null, finished_at: null }).where('id', '=', runId).execute();
    (run as RunRow).status = 'running';
    await appendEvent(deps, trx, run, { type: 'run.retried', message: `Retried by ${caller.user?.name ?? caller.apiKey?.name ?? 'someone'} from ${unfinished.map((t) => nodeById(run.definition, t.node_id)?.name ?? t.node_id).join(', ')}` });
    for (const task of unfinished) {
      const node = nodeById(run.definition, task.node_id)!;
      await trx.updateTable('tasks').set({ status: 'queued', attempts: 0, error: null, finished_at: null }).where('id', '=', task.id).execute();
      await appendEvent(deps, trx, run, { type: 'task.queued', nodeId: node.id, taskId: task.id, message: `${node.name} queued again` });
      await enqueueNode(deps, trx, run, node, task.id, 0);
    }
    await writeAudit(trx, caller, { organizationId: orgId, action: 'run.retry', targetType: 'Run', targetId: runId, details: { nodes: unfinished.map((t) => t.node_id) } });
  });
  return (await findRun(deps.db, orgId, runId))!;
}

export interface RunPage { after?: string; before?: string; limit: number; inverted: boolean }
export async function listRuns(db: Executor, organizationId: string, page: RunPage, filter: { workflowId?: string; status?: DbRunStatus | null; since?: Date | null; until?: Date | null }) {
  for (const cursor of [page.after, page.before]) if (cursor && !isUuid(cursor)) throw badInput('Invalid cursor');
  let q = db.selectFrom('workflow_runs').select(RUN_COLUMNS).where('organization_id', '=', organizationId);
  if (filter.workflowId) q = q.where('workflow_id', '=', filter.workflowId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.since) q = q.where('created_at', '>=', filter.since);
  if (filter.until) q = q.where('created_at', '<', filter.until);
  const position = (id: string) => sql`(SELECT created_at, id FROM workflow_runs WHERE id = ${id} AND organization_id = ${organizationId})`;
  if (page.after) q = q.where(sql<boolean>`(created_at, id) < ${position(page.after)}`);
  if (page.before) q = q.where(sql<boolean>`(created_at, id) > ${position(page.before)}`);
  const dir = page.inverted ? 'asc' : 'desc';
  return q.orderBy('created_at', dir).orderBy('id', dir).limit(page.limit).execute();
}

export async function tasksOfRun(db: Executor, organizationId: string, runId: string) {
  // In start order (pure nodes created in one transaction share created_at).
  return db.selectFrom('tasks').selectAll().where('organization_id', '=', organizationId).where('run_id', '=', runId)
    .orderBy(sql`started_at ASC NULLS LAST`).orderBy('created_at').orderBy('id').execute();
}

export async function eventsOfRun(db: Executor, organizationId: string, runId: string, after = 0) {
  const rows = await db.selectFrom('run_events').selectAll().where('organization_id', '=', organizationId).where('run_id', '=', runId)
    .where('id', '>', String(after)).orderBy('id').limit(5000).execute();
  return rows.map(toRunEvent);
}

export type RunEvent = { id: number; runId: string; type: string; nodeId: string | null; taskId: string | null; message: string | null; data: unknown; createdAt: string };
export const toRunEvent = (r: { id: string; run_id: string; type: string; node_id: string | null; task_id: string | null; message: string | null; data: unknown; created_at: Date }): RunEvent => ({
  id: Number(r.id), runId: r.run_id, type: r.type, nodeId: r.node_id, taskId: r.task_id, message: r.message, data: r.data, createdAt: r.created_at.toISOString(),
});

export async function approvalOfTask(db: Executor, organizationId: string, taskId: string) {
  return db.selectFrom('approvals').selectAll().where('organization_id', '=', organizationId).where('task_id', '=', taskId).orderBy('created_at', 'desc').executeTakeFirst();
}

export async function findApproval(db: Executor, organizationId: string, id: string) {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('approvals').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

/** Pending approvals the caller's role may decide, oldest first. */
export async function pendingApprovals(db: Executor, organizationId: string, role: Role) {
  const rows = await db.selectFrom('approvals').selectAll().where('organization_id', '=', organizationId).where('status', '=', 'pending').orderBy('created_at').limit(500).execute();
  return rows.filter((a) => roleRank(role) >= roleRank(a.assignee_role));
}

export async function runStats(db: Executor, organizationId: string, days: number) {
  if (!Number.isInteger(days) || days < 1 || days > 90) throw badInput('days must be between 1 and 90');
  const since = new Date(Date.now() - days * 86400_000);
  const counts = await db.selectFrom('workflow_runs').select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('organization_id', '=', organizationId).where((eb) => eb.or([eb('created_at', '>=', since), eb('status', 'in', ['running', 'waiting', 'queued'])]))
    .groupBy('status').execute();
  const count = (s: DbRunStatus) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  const dayRows = await sql<{ date: string; runs: string; succeeded: string; failed: string; input_tokens: string; output_tokens: string; cost_usd: string }>`
    SELECT to_char(d, 'YYYY-MM-DD') AS date, count(r.id)::text AS runs,
      count(r.id) FILTER (WHERE r.status = 'succeeded')::text AS succeeded, count(r.id) FILTER (WHERE r.status = 'failed')::text AS failed,
      coalesce(sum(r.input_tokens), 0)::text AS input_tokens, coalesce(sum(r.output_tokens), 0)::text AS output_tokens, coalesce(sum(r.cost_usd), 0)::text AS cost_usd
    FROM generate_series((now() AT TIME ZONE 'UTC')::date - ${days - 1}::int, (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d
    LEFT JOIN workflow_runs r ON r.organization_id = ${organizationId} AND (r.created_at AT TIME ZONE 'UTC')::date = d::date
    GROUP BY d ORDER BY d`.execute(db);
  const recentFailures = await db.selectFrom('workflow_runs').select(RUN_COLUMNS).where('organization_id', '=', organizationId).where('status', '=', 'failed')
    .orderBy('created_at', 'desc').limit(10).execute();
  const succeeded = count('succeeded');
  const failed = count('failed');
  return {
    running: count('running') + count('queued'), waiting: count('waiting'), succeeded, failed, cancelled: count('cancelled'),
    successRate: succeeded + failed ? succeeded / (succeeded + failed) : null,
    days: dayRows.rows.map((d) => ({ date: d.date, runs: Number(d.runs), succeeded: Number(d.succeeded), failed: Number(d.failed), inputTokens: Number(d.input_tokens), outputTokens: Number(d.output_tokens), costUsd: Number(d.cost_usd) })),
    recentFailures,
  };
}

export const isEventCursor = isBigintKey;

/**
 * Retention: run events and task payloads older than the retention age are deleted; runs and
 * task rows (status, tokens, cost, timing) stay for analytics.
 */
export async function pruneRunHistory(db: Executor, retentionDays: number): Promise<void> {
  const cutoff = new Date(Date.now() - retentionDays * 86400_000);
  await db.deleteFrom('run_events').where('created_at', '<', cutoff).execute();
  await db.updateTable('tasks').set({ input: null, output: null }).where('finished_at', '<', cutoff).where((eb) => eb.or([eb('input', 'is not', null), eb('output', 'is not', null)])).execute();
  await db.updateTable('workflow_runs').set({ input: '{}', output: null }).where('finished_at', '<', cutoff).where('output', 'is not', null).execute();
}
