import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createLogger } from '../../src/lib/logger.ts';
import { startQueue } from '../../src/jobs/queue.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embedded-postgres.ts';
import { migrate } from '../../src/db/migrate.ts';

/** Swaps the database name in a connection string. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try { await client.query(text); } finally { await client.end(); }
}

export interface TestPostgres { adminUrl: string; template: string; stop(): Promise<void> }

/**
 * For a test run: TEST_DATABASE_URL's server, or an embedded throwaway one; plus a template
 * database migrated once (our migrations and pg-boss's schema), which each test file clones.
 */
export async function startTestPostgres(testDatabaseUrl: string | undefined): Promise<TestPostgres> {
  let embedded: RunningPostgres | undefined;
  let adminUrl = testDatabaseUrl;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), `agentflow-test-pg-${randomBytes(4).toString('hex')}`), persistent: false });
    adminUrl = embedded.url;
  }
  const template = `agentflow_template_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${template}`);
  const templateUrl = withDatabase(adminUrl, template);
  const pool = new pg.Pool({ connectionString: templateUrl, max: 2 });
  await migrate(pool);
  await pool.end();
  const boss = await startQueue(templateUrl, createLogger('silent'), { worker: false });
  await boss.stop({ graceful: false, wait: true } as never);
  return {
    adminUrl,
    template,
    async stop() {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
      await embedded?.stop();
    },
  };
}

/** A fresh database cloned from the template in milliseconds. */
export async function createTestDatabase(adminUrl: string, template: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `agentflow_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return { url: withDatabase(adminUrl, name), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
