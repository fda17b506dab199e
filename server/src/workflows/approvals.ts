import type { Executor } from '../db/database.ts';
import type { DbApprovalStatus } from '../db/schema.ts';
import type { Caller, Deps } from '../graphql/context.ts';
import { conflict, forbidden, notFound } from '../lib/errors.ts';
import { isUuid } from '../lib/keys.ts';
import { roleRank } from '../modules/auth/permissions.ts';
import { writeAudit } from '../modules/audit/audit.service.ts';
import { nodeById } from './definition.ts';
import { appendEvent, completeTask, lockRun, resumeAfterToolDecision } from './engine.ts';

export type Decision = 'approved' | 'rejected' | 'timed_out';

async function decide(deps: Deps, trx: Executor, approvalId: string, decision: Decision, by: { userId: string | null; comment: string | null }) {
  const approval = await trx.selectFrom('approvals').selectAll().where('id', '=', approvalId).executeTakeFirst();
  if (!approval) throw notFound('Approval');
  const run = (await lockRun(trx, approval.organization_id, approval.run_id))!;
  const current = await trx.selectFrom('approvals').select('status').where('id', '=', approvalId).executeTakeFirstOrThrow();
  if (current.status !== 'pending') throw conflict(`This approval is already ${current.status.replace('_', ' ')}`);
  const status: DbApprovalStatus = decision;
  await trx.updateTable('approvals').set({ status, comment: by.comment, decided_by: by.userId, decided_at: new Date() }).where('id', '=', approvalId).execute();
  const node = nodeById(run.definition, approval.node_id)!;
  await appendEvent(deps, trx, run, { type: 'approval.decided', nodeId: node.id, taskId: approval.task_id, message: `${node.name} ${decision.replace('_', ' ')}${by.comment ? `: ${by.comment}` : ''}`, data: { approvalId, decision } });
  const approved = decision === 'approved';
  const toolCall = approval.details as { toolCallId?: string } | null;
  if (toolCall?.toolCallId) {
    await resumeAfterToolDecision(deps, trx, run, node, approval.task_id, toolCall.toolCallId, approved ? 'approved' : 'rejected');
    return approval;
  }
  await completeTask(deps, trx, run, node, approval.task_id, {
    port: approved ? 'approved' : 'rejected',
    output: { approved, decision, comment: by.comment, decidedBy: by.userId },
  });
  return approval;
}

/** A person approves or rejects: their role must be the approval's assignee role or higher. */
export async function decideApproval(deps: Deps, caller: Caller, approvalId: string, approved: boolean, comment: string | null | undefined) {
  if (!isUuid(approvalId)) throw notFound('Approval');
  const orgId = caller.organizationId!;
  const text = comment?.trim() ? comment.trim().slice(0, 2000) : null;
  return deps.db.transaction().execute(async (trx) => {
    const approval = await trx.selectFrom('approvals').select(['assignee_role', 'run_id', 'node_id']).where('id', '=', approvalId).where('organization_id', '=', orgId).executeTakeFirst();
    if (!approval) throw notFound('Approval');
    if (!caller.role || roleRank(caller.role) < roleRank(approval.assignee_role)) throw forbidden(`Only a ${approval.assignee_role} or higher can decide this approval`);
    await decide(deps, trx, approvalId, approved ? 'approved' : 'rejected', { userId: caller.user?.id ?? null, comment: text });
    await writeAudit(trx, caller, { organizationId: orgId, action: approved ? 'approval.approve' : 'approval.reject', targetType: 'Approval', targetId: approvalId, details: { runId: approval.run_id, nodeId: approval.node_id, comment: text } });
    return trx.selectFrom('approvals').selectAll().where('id', '=', approvalId).executeTakeFirstOrThrow();
  });
}

/** The delayed job of an approval with a timeout: still undecided means rejected (timed out). */
export async function expireApproval(deps: Deps, approvalId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('approvals').select(['status', 'expires_at']).where('id', '=', approvalId).executeTakeFirst();
    if (!row || row.status !== 'pending') return;
    await decide(deps, trx, approvalId, 'timed_out', { userId: null, comment: 'No decision before the timeout' }).catch((err: Error) => {
      if (!/already/.test(err.message)) throw err;
    });
  });
}
