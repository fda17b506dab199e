import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** A repository takes either the pool or a transaction the caller owns. */
export type Executor = Kysely<Database> | Transaction<Database>;

// bigint ids (audit_log) come back as strings; timestamptz as Date (pg's default).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export function createPool(connectionString: string, max: number, onError: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'agentflow' });
  // An idle client that loses its server must not crash the process.
  pool.on('error', onError);
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
