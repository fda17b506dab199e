import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config/env.ts';
import type { Logger } from '../lib/logger.ts';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.ts';

/**
 * The database to use: DATABASE_URL, or with none a persistent embedded Postgres under
 * DATA_DIR/postgres holding an `agentflow` database.
 */
export async function resolveDatabase(config: Config, logger?: Logger): Promise<{ url: string; embedded?: RunningPostgres }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const dataDir = path.join(config.dataDir, 'postgres');
  logger?.info('starting embedded PostgreSQL', { dataDir });
  const embedded = await startEmbeddedPostgres({ dataDir, persistent: true, log: (line) => logger?.debug(line.trim()) });
  const admin = new pg.Client(embedded.url);
  try {
    await admin.connect();
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'agentflow'`);
    if (!exists.rowCount) await admin.query('CREATE DATABASE agentflow');
  } finally {
    await admin.end();
  }
  return { url: embedded.url.replace(/\/postgres$/, '/agentflow'), embedded };
}
