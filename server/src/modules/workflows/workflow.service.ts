import { sql } from 'kysely';
import { fromKysely } from 'pg-boss';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { DbWorkflowStatus } from '../../db/schema.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { AppError, badInput, conflict, ErrorCode, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/keys.ts';
import { availableToolIds } from '../plugins/plugin-tools.ts';
import { starterDefinition, validateDefinition, type Problem, type WorkflowDefinition } from '../../workflows/definition.ts';
import { SCHEDULE_QUEUE } from '../../workflows/engine.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { parseInput } from '../auth/validation.ts';

export interface Workflow {
  id: string; organizationId: string; name: string; description: string; definition: WorkflowDefinition; status: DbWorkflowStatus;
  version: number; hasWebhookSecret: boolean; createdBy: string | null; createdAt: Date; updatedAt: Date;
}
export type WorkflowSnapshot = Pick<Workflow, 'name' | 'description' | 'definition' | 'status'>;
export interface WorkflowVersion extends WorkflowSnapshot { version: number; createdBy: string | null; createdAt: Date }

type Row = { id: string; organization_id: string; name: string; description: string; definition: Record<string, unknown>; status: DbWorkflowStatus; version: number; webhook_secret: string | null; created_by: string | null; created_at: Date; updated_at: Date };
const toWorkflow = (r: Row): Workflow => ({
  id: r.id, organizationId: r.organization_id, name: r.name, description: r.description, definition: r.definition as unknown as WorkflowDefinition,
  status: r.status, version: r.version, hasWebhookSecret: r.webhook_secret !== null, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
});
const snapshotOf = (w: WorkflowSnapshot): WorkflowSnapshot => ({ name: w.name, description: w.description, definition: w.definition, status: w.status });

const name = z.string().trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters');
const description = z.string().trim().max(2000, 'Description must be at most 2000 characters');
const definitionSize = z.unknown().refine((d) => JSON.stringify(d ?? null).length <= 1_000_000, 'The definition is larger than 1 MB');

/** The agents and tools a definition may name, for validation. */
export async function validationContext(db: Executor, organizationId: string) {
  const agents = await db.selectFrom('agents').select('id').where('organization_id', '=', organizationId).where('status', '!=', 'archived').execute();
  return { agentIds: new Set(agents.map((a) => a.id)), toolNames: await availableToolIds(db, organizationId) };
}

export async function validateWorkflow(db: Executor, organizationId: string, definition: unknown): Promise<Problem[]> {
  return validateDefinition(definition, await validationContext(db, organizationId));
}

/** Refuses an invalid definition with every problem in `details.problems`. */
async function assertValid(db: Executor, organizationId: string, definition: unknown, what: string): Promise<void> {
  const problems = await validateWorkflow(db, organizationId, definition);
  if (problems.length) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `${what}: ${problems.length} problem${problems.length > 1 ? 's' : ''} in the workflow (first: ${problems[0]!.message})`, { details: { problems } });
  }
}

/**
 * Keeps the pg-boss cron schedule in step with the workflow, in its transaction: an active
 * workflow with a schedule trigger has one (keyed by its id), any other has none.
 */
async function syncSchedule(deps: Deps, trx: Executor, workflow: Workflow): Promise<void> {
  const trigger = workflow.definition.nodes.find((n) => n.type === 'trigger');
  const db = fromKysely(trx);
  if (workflow.status === 'active' && trigger?.config.kind === 'schedule') {
    try {
      await deps.queue.schedule(SCHEDULE_QUEUE, String(trigger.config.cron), { workflowId: workflow.id, organizationId: workflow.organizationId }, {
        key: workflow.id, tz: (trigger.config.timezone as string | undefined) || 'UTC', db,
      });
    } catch (err) {
      throw badInput(`The schedule cannot be used: ${(err as Error).message}`);
    }
  } else {
    await deps.queue.unschedule(SCHEDULE_QUEUE, workflow.id, { db });
  }
}

export async function findWorkflow(db: Executor, organizationId: string, id: string): Promise<Workflow | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('workflows').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return row && toWorkflow(row);
}

export async function requireWorkflow(db: Executor, organizationId: string, id: string): Promise<Workflow> {
  const workflow = await findWorkflow(db, organizationId, id);
  if (!workflow) throw notFound('Workflow');
  return workflow;
}

export interface Page { after?: string; before?: string; limit: number; inverted: boolean }

export async function listWorkflows(db: Executor, organizationId: string, page: Page, filter: { status?: DbWorkflowStatus | null; search?: string | null }): Promise<Workflow[]> {
  for (const cursor of [page.after, page.before]) if (cursor && !isUuid(cursor)) throw badInput('Invalid cursor');
  let q = db.selectFrom('workflows').selectAll().where('organization_id', '=', organizationId);
  q = filter.status ? q.where('status', '=', filter.status) : q.where('status', '!=', 'archived');
  const search = filter.search?.trim();
  if (search) q = q.where('name', 'ilike', `%${search.replace(/[%_\\]/g, '\\$&')}%`);
  const position = (id: string) => sql`(SELECT updated_at, id FROM workflows WHERE id = ${id} AND organization_id = ${organizationId})`;
  if (page.after) q = q.where(sql<boolean>`(updated_at, id) < ${position(page.after)}`);
  if (page.before) q = q.where(sql<boolean>`(updated_at, id) > ${position(page.before)}`);
  const dir = page.inverted ? 'asc' : 'desc';
  return (await q.orderBy('updated_at', dir).orderBy('id', dir).limit(page.limit).execute()).map(toWorkflow);
}

async function insertVersion(trx: Executor, w: Workflow, caller: Caller): Promise<void> {
  await trx.insertInto('workflow_versions').values({ workflow_id: w.id, version: w.version, organization_id: w.organizationId, snapshot: JSON.stringify(snapshotOf(w)), created_by: caller.user?.id ?? null }).execute();
}

export async function createWorkflow(deps: Deps, caller: Caller, input: { name?: unknown; description?: unknown; definition?: unknown }): Promise<Workflow> {
  const data = parseInput(z.object({ name, description: description.default(''), definition: definitionSize.optional() }), { ...input, description: input.description ?? undefined, definition: input.definition ?? undefined });
  const orgId = caller.organizationId!;
  // A draft may be incomplete; only its shape is checked here (the graph when it is activated).
  const definition = (data.definition ?? starterDefinition()) as WorkflowDefinition;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('workflows').values({ organization_id: orgId, name: data.name, description: data.description, definition: JSON.stringify(definition), created_by: caller.user?.id ?? null })
      .returningAll().executeTakeFirstOrThrow();
    const workflow = toWorkflow(row);
    await insertVersion(trx, workflow, caller);
    await writeAudit(trx, caller, { organizationId: orgId, action: 'workflow.create', targetType: 'Workflow', targetId: workflow.id, details: { name: workflow.name } });
    return workflow;
  });
}

const updateSchema = z.object({
  expectedVersion: z.number().int().min(1),
  name: name.optional(),
  description: description.optional(),
  definition: definitionSize.optional(),
  status: z.enum(['draft', 'active'], 'Status must be DRAFT or ACTIVE (use archiveWorkflow to archive)').optional(),
});

export async function updateWorkflow(deps: Deps, caller: Caller, id: string, input: Record<string, unknown>): Promise<Workflow> {
  const data = parseInput(updateSchema, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)));
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockWorkflow(trx, orgId, id);
    if (current.status === 'archived') throw conflict('This workflow is archived and cannot be changed');
    if (current.version !== data.expectedVersion) {
      throw new AppError(ErrorCode.CONFLICT, `This workflow was changed by someone else: you edited version ${data.expectedVersion}, the current version is ${current.version}`, { details: { currentVersion: current.version } });
    }
    const next: WorkflowSnapshot = {
      name: data.name ?? current.name, description: data.description ?? current.description,
      definition: (data.definition as WorkflowDefinition | undefined) ?? current.definition, status: data.status ?? current.status,
    };
    if (next.status === 'active') await assertValid(trx, orgId, next.definition, 'Only a valid workflow can be active');
    if (JSON.stringify(next) === JSON.stringify(snapshotOf(current))) return current;
    const row = await trx.updateTable('workflows').set({
      name: next.name, description: next.description, definition: JSON.stringify(next.definition), status: next.status, version: current.version + 1, updated_at: new Date(),
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const workflow = toWorkflow(row);
    await insertVersion(trx, workflow, caller);
    await syncSchedule(deps, trx, workflow);
    await writeAudit(trx, caller, { organizationId: orgId, action: 'workflow.update', targetType: 'Workflow', targetId: id, details: { version: workflow.version, status: workflow.status } });
    return workflow;
  });
}

export async function archiveWorkflow(deps: Deps, caller: Caller, id: string): Promise<Workflow> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockWorkflow(trx, orgId, id);
    if (current.status === 'archived') throw conflict('This workflow is already archived');
    const row = await trx.updateTable('workflows').set({ status: 'archived', version: current.version + 1, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const workflow = toWorkflow(row);
    await insertVersion(trx, workflow, caller);
    await syncSchedule(deps, trx, workflow);
    await writeAudit(trx, caller, { organizationId: orgId, action: 'workflow.archive', targetType: 'Workflow', targetId: id, details: { name: workflow.name } });
    return workflow;
  });
}

async function lockWorkflow(trx: Executor, organizationId: string, id: string): Promise<Workflow> {
  if (!isUuid(id)) throw notFound('Workflow');
  const row = await trx.selectFrom('workflows').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound('Workflow');
  return toWorkflow(row);
}

export async function listWorkflowVersions(db: Executor, organizationId: string, workflowId: string): Promise<WorkflowVersion[]> {
  const rows = await db.selectFrom('workflow_versions').selectAll().where('organization_id', '=', organizationId).where('workflow_id', '=', workflowId).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ ...(r.snapshot as unknown as WorkflowSnapshot), version: r.version, createdBy: r.created_by, createdAt: r.created_at }));
}

export interface FieldChange { field: string; before: unknown; after: unknown }

/** Name, description and status, then node by node and edge by edge (`nodes.<id>`, `edges.<id>`). */
export function diffWorkflowSnapshots(a: WorkflowSnapshot, b: WorkflowSnapshot): FieldChange[] {
  const flat = (s: WorkflowSnapshot): Record<string, unknown> => ({
    name: s.name, description: s.description, status: s.status,
    ...Object.fromEntries(s.definition.nodes.map((n) => [`nodes.${n.id}`, n])),
    ...Object.fromEntries(s.definition.edges.map((e) => [`edges.${e.id}`, e])),
  });
  const x = flat(a);
  const y = flat(b);
  return [...new Set([...Object.keys(x), ...Object.keys(y)])]
    .filter((k) => JSON.stringify(x[k] ?? null) !== JSON.stringify(y[k] ?? null))
    .map((field) => ({ field, before: x[field] ?? null, after: y[field] ?? null }));
}

export async function diffWorkflowVersions(db: Executor, organizationId: string, workflowId: string, from: number, to: number): Promise<FieldChange[]> {
  const versions = await listWorkflowVersions(db, organizationId, workflowId);
  const find = (v: number) => versions.find((x) => x.version === v) ?? (() => { throw notFound(`Version ${v} of this workflow`); })();
  return diffWorkflowSnapshots(find(from), find(to));
}

export { assertValid };
