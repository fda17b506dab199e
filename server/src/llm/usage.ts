import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { DbLlmCallStatus } from '../db/schema.ts';
import { nanoToUsdString, usdStringToNano } from './pricing.ts';
import type { ProviderId } from './types.ts';

/** One recorded model call attempt (a row of llm_calls). */
export interface LlmCallRecord {
  id: string;
  model: string;
  provider: ProviderId;
  step: number;
  attempt: number;
  status: DbLlmCallStatus;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costNano: number;
  latencyMs: number;
  routeReason: string | null;
  createdAt: Date;
}

export interface CallOwner {
  organizationId: string;
  agentId: string | null;
  testSessionId: string | null;
  /** Set when the call is made by a workflow node. */
  runId?: string;
  taskId?: string;
}

type Row = {
  id: string; model: string; provider: string; step: number; attempt: number; status: DbLlmCallStatus; error: string | null;
  input_tokens: number; output_tokens: number; cached_input_tokens: number; cost_usd: string; latency_ms: number; route_reason: string | null; created_at: Date;
};
const COLUMNS = ['id', 'model', 'provider', 'step', 'attempt', 'status', 'error', 'input_tokens', 'output_tokens', 'cached_input_tokens', 'cost_usd', 'latency_ms', 'route_reason', 'created_at'] as const;
const toRecord = (r: Row): LlmCallRecord => ({
  id: r.id, model: r.model, provider: r.provider as ProviderId, step: r.step, attempt: r.attempt, status: r.status, error: r.error,
  inputTokens: r.input_tokens, outputTokens: r.output_tokens, cachedInputTokens: r.cached_input_tokens,
  costNano: usdStringToNano(r.cost_usd), latencyMs: r.latency_ms, routeReason: r.route_reason, createdAt: r.created_at,
});

export async function recordLlmCall(db: Executor, owner: CallOwner, call: Omit<LlmCallRecord, 'id' | 'createdAt'>): Promise<LlmCallRecord> {
  const row = await db.insertInto('llm_calls').values({
    organization_id: owner.organizationId, agent_id: owner.agentId, test_session_id: owner.testSessionId, run_id: owner.runId ?? null, task_id: owner.taskId ?? null,
    model: call.model, provider: call.provider, step: call.step, attempt: call.attempt, status: call.status,
    error: call.error, input_tokens: call.inputTokens, output_tokens: call.outputTokens, cached_input_tokens: call.cachedInputTokens,
    cost_usd: nanoToUsdString(call.costNano), latency_ms: call.latencyMs, route_reason: call.routeReason,
  }).returning(COLUMNS).executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function callsOfTestSession(db: Executor, organizationId: string, sessionId: string): Promise<LlmCallRecord[]> {
  const rows = await db.selectFrom('llm_calls').select(COLUMNS)
    .where('organization_id', '=', organizationId).where('test_session_id', '=', sessionId).orderBy('id').execute();
  return rows.map(toRecord);
}

/** What an agent has spent in the current calendar month (UTC), in nano-dollars. */
export async function agentSpendThisMonth(db: Executor, organizationId: string, agentId: string): Promise<number> {
  const row = await db.selectFrom('llm_calls').select(sql<string>`coalesce(sum(cost_usd), 0)::text`.as('total'))
    .where('organization_id', '=', organizationId).where('agent_id', '=', agentId)
    .where('created_at', '>=', sql<Date>`date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`)
    .executeTakeFirstOrThrow();
  return usdStringToNano(row.total);
}
