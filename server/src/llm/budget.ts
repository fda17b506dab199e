import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import type { AgentSpec } from './agent-config.ts';
import { nanoToUsdString, usdStringToNano } from './pricing.ts';
import { agentSpendThisMonth, type CallOwner } from './usage.ts';

const usd = (nano: number) => `$${nanoToUsdString(nano).replace(/0+$/, '').replace(/\.$/, '.00')}`;
export const costCapExceeded = (message: string) => new AppError(ErrorCode.COST_CAP_EXCEEDED, message);
export const formatUsd = usd;

const capOf = (agent: AgentSpec): number | undefined =>
  (agent.config.maxCostPerMonthUsd === null ? undefined : Math.round(agent.config.maxCostPerMonthUsd * 1e9));

/** Spent this month plus what calls in flight may still spend. */
async function committed(db: Executor, owner: CallOwner, agentId: string): Promise<{ spent: number; reserved: number }> {
  const spent = await agentSpendThisMonth(db, owner.organizationId, agentId);
  const row = await db.selectFrom('llm_budget_reservations').select(sql<string>`coalesce(sum(cost_usd), 0)::text`.as('total'))
    .where('agent_id', '=', agentId).where('expires_at', '>', new Date()).executeTakeFirstOrThrow();
  return { spent, reserved: usdStringToNano(row.total) };
}

/** Before a run starts: refuses it when the agent's month is already spent. */
export async function assertWithinMonthlyCap(db: Executor, owner: CallOwner, agent: AgentSpec): Promise<void> {
  const cap = capOf(agent);
  if (cap === undefined) return;
  const { spent, reserved } = await committed(db, owner, agent.id);
  if (spent + reserved >= cap) throw costCapExceeded(`This agent's monthly cost cap of ${usd(cap)} is reached (spent ${usd(spent)} this month)`);
}

export interface Reservation { id: string }

/**
 * Before a model call: holds its worst-case cost against the agent's monthly cap, under a lock
 * per agent, so concurrent runs cannot together pass the cap. Undefined when there is no cap.
 * `holdMs` bounds how long a reservation left by a crashed process keeps counting.
 */
export async function reserveMonthlyBudget(db: Executor, owner: CallOwner, agent: AgentSpec, nextCallNano: number, holdMs: number): Promise<Reservation | undefined> {
  const cap = capOf(agent);
  if (cap === undefined) return undefined;
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`agent-budget:${agent.id}`}, 0))`.execute(trx);
    const { spent, reserved } = await committed(trx, owner, agent.id);
    if (spent + reserved + nextCallNano > cap) {
      const inFlight = reserved ? `, ${usd(reserved)} held by calls in flight` : '';
      throw costCapExceeded(`This agent's monthly cost cap of ${usd(cap)} would be exceeded (spent ${usd(spent)} this month${inFlight}, next call up to ${usd(nextCallNano)})`);
    }
    return trx.insertInto('llm_budget_reservations').values({
      organization_id: owner.organizationId, agent_id: agent.id, cost_usd: nanoToUsdString(nextCallNano), expires_at: new Date(Date.now() + holdMs),
    }).returning('id').executeTakeFirstOrThrow();
  });
}

export async function releaseReservation(db: Executor, reservation: Reservation | undefined): Promise<void> {
  if (reservation) await db.deleteFrom('llm_budget_reservations').where('id', '=', reservation.id).execute();
}

export async function pruneReservations(db: Executor): Promise<void> {
  await db.deleteFrom('llm_budget_reservations').where('expires_at', '<=', new Date()).execute();
}
