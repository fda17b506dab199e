import { sql } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { DbAgentStatus } from '../../db/schema.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { AppError, badInput, conflict, ErrorCode, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/keys.ts';
import { agentConfigSchema, type AgentConfig } from '../../llm/agent-config.ts';
import { isKnownModel } from '../../llm/catalog.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { assertToolsAvailable } from '../plugins/plugin-tools.ts';
import { parseInput } from '../auth/validation.ts';
import { planLimits } from '../organizations/plans.ts';

export interface Agent {
  id: string;
  organizationId: string;
  name: string;
  role: string;
  instructions: string;
  model: string;
  tools: string[];
  config: AgentConfig;
  status: DbAgentStatus;
  version: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a version records; a diff compares these. */
export type AgentSnapshot = Pick<Agent, 'name' | 'role' | 'instructions' | 'model' | 'tools' | 'config' | 'status'>;
export interface AgentVersion extends AgentSnapshot { agentId: string; version: number; createdBy: string | null; createdAt: Date }

type Row = {
  id: string; organization_id: string; name: string; role: string; instructions: string; model: string; tools: string[];
  config: Record<string, unknown>; status: DbAgentStatus; version: number; created_by: string | null; created_at: Date; updated_at: Date;
};
// Configs saved by older versions are read through the schema, so fields added later get their defaults.
const readConfig = (raw: unknown): AgentConfig => agentConfigSchema.parse(raw ?? {});
const toAgent = (r: Row): Agent => ({
  id: r.id, organizationId: r.organization_id, name: r.name, role: r.role, instructions: r.instructions, model: r.model, tools: r.tools,
  config: readConfig(r.config), status: r.status, version: r.version, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
});
const snapshotOf = (a: AgentSnapshot): AgentSnapshot => ({ name: a.name, role: a.role, instructions: a.instructions, model: a.model, tools: a.tools, config: a.config, status: a.status });

// Which tools exist depends on the organization's installed plugins: checked after parsing.
const toolName = z.string().min(1).max(120);
const fields = {
  name: z.string().trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters'),
  role: z.string().trim().max(200, 'Role must be at most 200 characters'),
  instructions: z.string().max(32_000, 'Instructions must be at most 32000 characters'),
  model: z.string().refine(isKnownModel, { error: (issue) => `Unknown model: ${String(issue.input)}` }),
  tools: z.array(toolName).max(32, 'At most 32 tools').refine((t) => new Set(t).size === t.length, 'Each tool can be enabled once'),
  status: z.enum(['active', 'inactive'], 'Status must be ACTIVE or INACTIVE (use archiveAgent to archive)'),
};
const createSchema = z.object({
  name: fields.name,
  role: fields.role.default(''),
  instructions: fields.instructions.default(''),
  model: fields.model,
  tools: fields.tools.default([]),
  config: agentConfigSchema.default(agentConfigSchema.parse({})),
  status: fields.status.default('active'),
});
const updateSchema = z.object({
  id: z.string(),
  expectedVersion: z.number().int().min(1),
  name: fields.name.optional(),
  role: fields.role.optional(),
  instructions: fields.instructions.optional(),
  model: fields.model.optional(),
  tools: fields.tools.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  status: fields.status.optional(),
});

/** An explicit null on a required field means "not given" (GraphQL has no other way to omit it). */
const dropNulls = (input: Record<string, unknown>) => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
/** Config fields where null is a value: "provider default" or "no cap". */
const NULLABLE_CONFIG = new Set(['temperature', 'maxCostPerRunUsd', 'maxCostPerMonthUsd']);
const configChanges = (input: unknown): Record<string, unknown> => Object.fromEntries(Object.entries((input ?? {}) as Record<string, unknown>)
  .filter(([k, v]) => v !== undefined && (v !== null || NULLABLE_CONFIG.has(k))));

export async function findAgent(db: Executor, organizationId: string, id: string): Promise<Agent | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('agents').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return row && toAgent(row);
}

export async function requireAgent(db: Executor, organizationId: string, id: string): Promise<Agent> {
  const agent = await findAgent(db, organizationId, id);
  if (!agent) throw notFound('Agent');
  return agent;
}

export interface AgentPage { after?: string; before?: string; limit: number; inverted: boolean }

/** Newest updated first; the cursor is the agent id, compared by (updated_at, id) in SQL so no precision is lost. */
export async function listAgents(db: Executor, organizationId: string, page: AgentPage, filter: { status?: DbAgentStatus | null; search?: string | null }): Promise<Agent[]> {
  for (const cursor of [page.after, page.before]) if (cursor && !isUuid(cursor)) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Invalid cursor');
  let q = db.selectFrom('agents').selectAll().where('organization_id', '=', organizationId);
  q = filter.status ? q.where('status', '=', filter.status) : q.where('status', '!=', 'archived');
  const search = filter.search?.trim();
  if (search) q = q.where('name', 'ilike', `%${search.replace(/[%_\\]/g, '\\$&')}%`);
  const position = (id: string) => sql`(SELECT updated_at, id FROM agents WHERE id = ${id} AND organization_id = ${organizationId})`;
  if (page.after) q = q.where(sql<boolean>`(updated_at, id) < ${position(page.after)}`);
  if (page.before) q = q.where(sql<boolean>`(updated_at, id) > ${position(page.before)}`);
  const dir = page.inverted ? 'asc' : 'desc';
  const rows = await q.orderBy('updated_at', dir).orderBy('id', dir).limit(page.limit).execute();
  return rows.map(toAgent);
}

function assertApprovalToolsEnabled(agent: { tools: string[]; config: AgentConfig }): void {
  const stray = agent.config.toolsRequiringApproval.filter((t) => !agent.tools.includes(t));
  if (stray.length) throw badInput(`Only enabled tools can require approval: ${stray.join(', ')} is not enabled`, { field: 'config.toolsRequiringApproval' });
}

/** Locks the organization row so concurrent activations cannot both squeeze under the quota. */
async function assertActiveAgentQuota(trx: Executor, organizationId: string): Promise<void> {
  const org = await trx.selectFrom('organizations').select('plan').where('id', '=', organizationId).forUpdate().executeTakeFirstOrThrow();
  const limit = planLimits(org.plan).activeAgents;
  const { count } = await trx.selectFrom('agents').select((eb) => eb.fn.countAll<string>().as('count'))
    .where('organization_id', '=', organizationId).where('status', '=', 'active').executeTakeFirstOrThrow();
  if (Number(count) >= limit) {
    throw new AppError(ErrorCode.QUOTA_EXCEEDED, `The ${org.plan} plan allows ${limit} active agents: deactivate or archive one, or upgrade your plan`, { details: { limit } });
  }
}

async function insertVersion(trx: Executor, agent: Agent, caller: Caller): Promise<void> {
  await trx.insertInto('agent_versions').values({
    agent_id: agent.id, version: agent.version, organization_id: agent.organizationId,
    snapshot: JSON.stringify(snapshotOf(agent)), created_by: caller.user?.id ?? null,
  }).execute();
}

export async function createAgent(deps: Deps, caller: Caller, input: Record<string, unknown>): Promise<Agent> {
  const data = parseInput(createSchema, { ...dropNulls(input), ...(input.config ? { config: configChanges(input.config) } : {}) });
  assertApprovalToolsEnabled(data);
  const orgId = caller.organizationId!;
  await assertToolsAvailable(deps.db, orgId, data.tools);
  return deps.db.transaction().execute(async (trx) => {
    if (data.status === 'active') await assertActiveAgentQuota(trx, orgId);
    const row = await trx.insertInto('agents').values({
      organization_id: orgId, name: data.name, role: data.role, instructions: data.instructions, model: data.model,
      tools: data.tools, config: JSON.stringify(data.config), status: data.status, created_by: caller.user?.id ?? null,
    }).returningAll().executeTakeFirstOrThrow();
    const agent = toAgent(row);
    await insertVersion(trx, agent, caller);
    await writeAudit(trx, caller, { organizationId: orgId, action: 'agent.create', targetType: 'Agent', targetId: agent.id, details: { name: agent.name, model: agent.model } });
    return agent;
  });
}

/** Saves a new version. `expectedVersion` must be the current one: a stale editor gets CONFLICT. */
export async function updateAgent(deps: Deps, caller: Caller, id: string, input: Record<string, unknown>): Promise<Agent> {
  const data = parseInput(updateSchema, { ...dropNulls(input), id });
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const current = await findAgentForUpdate(trx, orgId, id);
    if (current.status === 'archived') throw conflict('This agent is archived and cannot be changed');
    if (current.version !== data.expectedVersion) {
      throw new AppError(ErrorCode.CONFLICT, `This agent was changed by someone else: you edited version ${data.expectedVersion}, the current version is ${current.version}`, { details: { currentVersion: current.version } });
    }
    // Validated whole, with field paths under `config.` as on create.
    const config = data.config ? parseInput(z.object({ config: agentConfigSchema }), { config: { ...current.config, ...configChanges(data.config) } }).config : current.config;
    const next: AgentSnapshot = {
      name: data.name ?? current.name, role: data.role ?? current.role, instructions: data.instructions ?? current.instructions,
      model: data.model ?? current.model, tools: data.tools ?? current.tools, config, status: data.status ?? current.status,
    };
    assertApprovalToolsEnabled(next);
    // Only newly enabled tools: a tool whose plugin was uninstalled since does not block other edits.
    await assertToolsAvailable(trx, orgId, next.tools.filter((t) => !current.tools.includes(t)));
    if (JSON.stringify(snapshotOf(next)) === JSON.stringify(snapshotOf(current))) return current;
    if (next.status === 'active' && current.status !== 'active') await assertActiveAgentQuota(trx, orgId);
    const row = await trx.updateTable('agents').set({
      name: next.name, role: next.role, instructions: next.instructions, model: next.model, tools: next.tools,
      config: JSON.stringify(next.config), status: next.status, version: current.version + 1, updated_at: new Date(),
    }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const agent = toAgent(row);
    await insertVersion(trx, agent, caller);
    const changed = diffSnapshots(snapshotOf(current), next).map((c) => c.field);
    await writeAudit(trx, caller, { organizationId: orgId, action: 'agent.update', targetType: 'Agent', targetId: id, details: { version: agent.version, changed } });
    return agent;
  });
}

export async function archiveAgent(deps: Deps, caller: Caller, id: string): Promise<Agent> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const current = await findAgentForUpdate(trx, orgId, id);
    if (current.status === 'archived') throw conflict('This agent is already archived');
    const row = await trx.updateTable('agents').set({ status: 'archived', version: current.version + 1, updated_at: new Date() })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const agent = toAgent(row);
    await insertVersion(trx, agent, caller);
    await writeAudit(trx, caller, { organizationId: orgId, action: 'agent.archive', targetType: 'Agent', targetId: id, details: { name: agent.name } });
    return agent;
  });
}

async function findAgentForUpdate(trx: Executor, organizationId: string, id: string): Promise<Agent> {
  if (!isUuid(id)) throw notFound('Agent');
  const row = await trx.selectFrom('agents').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound('Agent');
  return toAgent(row);
}

export async function listVersions(db: Executor, organizationId: string, agentId: string): Promise<AgentVersion[]> {
  const rows = await db.selectFrom('agent_versions').selectAll()
    .where('organization_id', '=', organizationId).where('agent_id', '=', agentId).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ ...(r.snapshot as unknown as AgentSnapshot), config: readConfig(r.snapshot.config), agentId: r.agent_id, version: r.version, createdBy: r.created_by, createdAt: r.created_at }));
}

export interface FieldChange { field: string; before: unknown; after: unknown }

/** Field-by-field differences; config is compared key by key (`config.temperature`). */
export function diffSnapshots(from: AgentSnapshot, to: AgentSnapshot): FieldChange[] {
  const flat = (s: AgentSnapshot): Record<string, unknown> => {
    const { config, ...rest } = s;
    return { ...rest, ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`config.${k}`, v])) };
  };
  const a = flat(from);
  const b = flat(to);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)).map((field) => ({ field, before: a[field] ?? null, after: b[field] ?? null }));
}

export async function diffVersions(db: Executor, organizationId: string, agentId: string, from: number, to: number): Promise<FieldChange[]> {
  const versions = await db.selectFrom('agent_versions').select(['version', 'snapshot'])
    .where('organization_id', '=', organizationId).where('agent_id', '=', agentId).where('version', 'in', [from, to]).execute();
  const find = (v: number) => {
    const row = versions.find((r) => r.version === v);
    if (!row) throw notFound(`Version ${v} of this agent`);
    return { ...(row.snapshot as unknown as AgentSnapshot), config: readConfig(row.snapshot.config) };
  };
  return diffSnapshots(find(from), find(to));
}
