import type { PgBoss } from 'pg-boss';
import type { Deps } from '../graphql/context.ts';
import { pruneReservations } from '../llm/budget.ts';
import { pruneCache } from '../llm/cache.ts';
import { failAbandonedAgentTests } from '../modules/agents/agent-test.service.ts';
import { pruneRateLimits } from '../modules/auth/rate-limit.ts';
import { createEmailDelivery, EMAIL_QUEUE } from '../modules/mail/mail.service.ts';
import { MAINTENANCE_QUEUE } from './queue.ts';
import { expireApproval } from '../workflows/approvals.ts';
import { APPROVAL_TIMEOUT_QUEUE, NODE_DEAD_LETTER_QUEUE, NODE_QUEUE, nodeGaveUp, runNodeJob, SCHEDULE_QUEUE } from '../workflows/engine.ts';
import { pruneRunHistory, startWorkflowRun } from '../modules/workflows/run.service.ts';

/** Thin pg-boss handlers: each calls one service function. */
export async function startWorkers(boss: PgBoss, deps: Deps): Promise<void> {
  const deliver = createEmailDelivery(deps.db, deps.config, deps.logger);
  await boss.work<{ id: string }>(EMAIL_QUEUE, { batchSize: 10 }, async (jobs) => {
    for (const job of jobs) await deliver(job.data.id);
  });
  // Several nodes at once per process; NOTIFY wakes workers, the 1 s poll picks up delayed retries.
  // Burst: while a fetch comes back full there is a backlog (a fan-out, a spike of runs), so fetch
  // again at once; NOTIFY alone does not wake a worker for jobs inserted before its last fetch.
  await boss.work<{ runId: string; taskId: string }>(NODE_QUEUE, { batchSize: 4, localConcurrency: 2, notifyPollingIntervalSeconds: 1, pollingIntervalSeconds: 1, burstWhenBatchFull: true }, async (jobs) => {
    await Promise.all(jobs.map((job) => runNodeJob(deps, job.data, job.signal)));
  });
  await boss.work<{ runId: string; taskId: string }>(NODE_DEAD_LETTER_QUEUE, async (jobs) => {
    for (const job of jobs) await nodeGaveUp(deps, job.data);
  });
  await boss.work<{ approvalId: string }>(APPROVAL_TIMEOUT_QUEUE, { notifyPollingIntervalSeconds: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) await expireApproval(deps, job.data.approvalId);
  });
  await boss.work<{ workflowId: string; organizationId: string }>(SCHEDULE_QUEUE, async (jobs) => {
    for (const job of jobs) {
      // A workflow deactivated since the tick, or over its quota, simply does not run.
      await startWorkflowRun(deps, null, job.data.organizationId, job.data.workflowId, { scheduledAt: new Date().toISOString() }, 'schedule')
        .catch((err: Error) => deps.logger.warn('scheduled run not started', { workflowId: job.data.workflowId, error: err.message }));
    }
  });
  await boss.work(MAINTENANCE_QUEUE, async () => {
    await pruneRateLimits(deps.db);
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
    await deps.db.deleteFrom('refresh_tokens').where('expires_at', '<', dayAgo).execute();
    await deps.db.deleteFrom('password_resets').where('expires_at', '<', dayAgo).execute();
    await pruneCache(deps.db);
    await pruneReservations(deps.db);
    await pruneRunHistory(deps.db, deps.config.runRetentionDays);
    // Longer than any test can run: every step (20 at most) timing out on every model of the chain (6).
    await failAbandonedAgentTests(deps.db, deps.config.llm.timeoutMs * 20 * 6);
  });
  await boss.schedule(MAINTENANCE_QUEUE, '*/15 * * * *');
}
