import { PgBoss } from 'pg-boss';
import type { Logger } from '../lib/logger.ts';
import { EMAIL_QUEUE } from '../modules/mail/mail.service.ts';
import { APPROVAL_TIMEOUT_QUEUE, NODE_DEAD_LETTER_QUEUE, NODE_QUEUE, SCHEDULE_QUEUE } from '../workflows/engine.ts';

export const MAINTENANCE_QUEUE = 'maintenance.prune';

/**
 * pg-boss on our database. API processes only send jobs (no supervision, no cron); workers
 * run both. LISTEN/NOTIFY wakes workers as soon as a job is created.
 */
export async function startQueue(connectionString: string, logger: Logger, opts: { worker: boolean; monitorIntervalSeconds?: number }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: 4,
    application_name: 'agentflow-queue',
    useListenNotify: opts.worker,
    supervise: opts.worker,
    schedule: opts.worker,
    // The supervisor's pass (expiry, missed heartbeats) runs this often; pg-boss's default is 60 s.
    ...(opts.monitorIntervalSeconds ? { superviseIntervalSeconds: opts.monitorIntervalSeconds, monitorIntervalSeconds: opts.monitorIntervalSeconds } : {}),
  });
  boss.on('error', (err: Error) => logger.error('queue error', { error: err.message }));
  await boss.start();
  const queues = {
    [EMAIL_QUEUE]: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 120 },
    [MAINTENANCE_QUEUE]: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 120 },
    // A node's own retries are the engine's (a new job per attempt); pg-boss retries only jobs whose
    // worker died (expired or missed heartbeats), and the engine then runs the node again unless it completed.
    [NODE_DEAD_LETTER_QUEUE]: { retryLimit: 5, retryDelay: 5, expireInSeconds: 60 },
    [NODE_QUEUE]: { retryLimit: 5, retryDelay: 1, heartbeatSeconds: 10, deadLetter: NODE_DEAD_LETTER_QUEUE },
    [APPROVAL_TIMEOUT_QUEUE]: { retryLimit: 5, retryDelay: 5, expireInSeconds: 60 },
    [SCHEDULE_QUEUE]: { retryLimit: 2, retryDelay: 5, expireInSeconds: 60 },
  };
  for (const [name, options] of Object.entries(queues)) {
    if (!(await boss.getQueue(name))) {
      await boss.createQueue(name, { ...options, notify: true })
        .catch((err: Error) => { if (!/exists/i.test(err.message)) throw err; });
    }
  }
  return boss;
}
