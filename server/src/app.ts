import type { AddressInfo } from 'node:net';
import type { SandboxRunner } from '@agentflow/plugin-sdk/host';
import type { PgBoss } from 'pg-boss';
import type pg from 'pg';
import type { Config, Role } from './config/env.ts';
import { createDb, createPool } from './db/database.ts';
import { resolveDatabase } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './graphql/context.ts';
import { createEventBus } from './graphql/pubsub.ts';
import { createHttpServer } from './http/server.ts';
import { startQueue } from './jobs/queue.ts';
import { startWorkers } from './jobs/workers.ts';
import type { Logger } from './lib/logger.ts';
import { createRateLimiter } from './modules/auth/rate-limit.ts';
import { createAccessTokens } from './modules/auth/tokens.ts';
import { warmUpPasswordHashing } from './modules/auth/passwords.ts';
import { createMailer } from './modules/mail/mail.service.ts';
import { createSecretBox } from './lib/secret-box.ts';
import { stopRunningAgentTests } from './modules/agents/agent-test.service.ts';
import { syncFirstPartyCatalog } from './modules/marketplace/catalog-sync.ts';
import { createSandboxPool } from './sandbox/pool.ts';

export interface RunningApp {
  /** The URL the API and web app answer at (api roles only). */
  url: string | undefined;
  deps: Deps;
  stop(): Promise<void>;
}

/** config -> database -> migrate -> queue -> http (GraphQL over HTTP + WS) -> workers. */
export async function startApp(config: Config, role: Role, logger: Logger): Promise<RunningApp> {
  const { url: dbUrl, embedded } = await resolveDatabase(config, logger);
  const pool: pg.Pool = createPool(dbUrl, config.databasePoolSize, (err) => logger.warn('idle database client error', { error: err.message }));
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const applied = await migrate(pool);
    if (applied.length) logger.info('applied migrations', { applied });
    const db = createDb(pool);
    await syncFirstPartyCatalog(db, logger);
    const events = await createEventBus(dbUrl, pool, logger);
    cleanups.push(() => events.close());
    const runsWorkers = role !== 'api';
    const boss: PgBoss = await startQueue(dbUrl, logger, { worker: runsWorkers, monitorIntervalSeconds: config.queueMonitorIntervalSeconds });
    cleanups.push(() => boss.stop({ graceful: true, timeout: 5000 }));
    const deps: Deps = {
      config, db, pool, logger, events,
      accessTokens: createAccessTokens(config.appSecret, config.accessTokenTtlSeconds),
      rateLimiter: createRateLimiter(db),
      mailer: createMailer(boss),
      secrets: createSecretBox(config.appSecret, config.appSecretPrevious),
      queue: boss,
      sandbox: lazySandbox(() => createSandboxPool({ size: config.plugins.sandboxProcesses })),
    };
    cleanups.push(() => deps.sandbox.close());
    if (runsWorkers) await startWorkers(boss, deps);
    if (!config.smtpUrl && config.isProduction) logger.warn('SMTP_URL is not set: e-mails stay in the dev outbox and password-reset links reach no one');

    let url: string | undefined;
    if (role !== 'worker') {
      await warmUpPasswordHashing();
      const { server, close } = createHttpServer(deps, pool);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      url = config.port === port ? config.publicUrl : `http://${config.host}:${port}`;
      cleanups.push(close);
      // First at shutdown: running test chats record their end while the database is still there.
      cleanups.push(() => stopRunningAgentTests(deps));
    }
    const stop = async () => {
      for (const cleanup of cleanups.toReversed()) await cleanup().catch((err: Error) => logger.warn('shutdown step failed', { error: err.message }));
      await db.destroy();
      await embedded?.stop();
    };
    return { url, deps, stop };
  } catch (err) {
    for (const cleanup of cleanups.toReversed()) await cleanup().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}

/**
 * Sandbox processes start on the first plugin call, not at boot: an instance that never runs a
 * plugin (or an API process that only serves reads) does not pay for them.
 */
function lazySandbox(create: () => SandboxRunner): SandboxRunner {
  let pool: SandboxRunner | undefined;
  return {
    call: (call, bridges) => (pool ??= create()).call(call, bridges),
    close: async () => { await pool?.close(); },
  };
}
