import { PgBoss } from 'pg-boss';
import type { Logger } from '../lib/logger.ts';
import { EMAIL_QUEUE } from '../modules/mail/mail.service.ts';

export const MAINTENANCE_QUEUE = 'maintenance.prune';

/**
 * pg-boss on our database. API processes only send jobs (no supervision, no cron); workers
 * run both. LISTEN/NOTIFY wakes workers as soon as a job is created.
 */
export async function startQueue(connectionString: string, logger: Logger, opts: { worker: boolean }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: 4,
    application_name: 'agentflow-queue',
    useListenNotify: opts.worker,
    supervise: opts.worker,
    schedule: opts.worker,
  });
  boss.on('error', (err: Error) => logger.error('queue error', { error: err.message }));
  await boss.start();
  for (const name of [EMAIL_QUEUE, MAINTENANCE_QUEUE]) {
    if (!(await boss.getQueue(name))) {
      await boss.createQueue(name, { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 120, notify: true })
        .catch((err: Error) => { if (!/exists/i.test(err.message)) throw err; });
    }
  }
  return boss;
}
