import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { ROOT_DIR } from '../config/env.ts';

export const MIGRATIONS_DIR = path.join(ROOT_DIR, 'migrations');
// Any constant works; it only has to be the same in every AgentFlow process.
const MIGRATION_LOCK_KEY = 727_001;

export class MigrationError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`Migration ${file} failed: ${reason}`);
  }
}

interface MigrationFile { name: string; sql: string; checksum: string }

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(names.map(async (name) => {
    const sql = await readFile(path.join(dir, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  }));
}

/**
 * Applies pending SQL files in name order, each in its own transaction and recorded in
 * schema_migrations, while holding a session advisory lock so concurrent starts take turns.
 * A file that changed after it was applied is an error: landed migrations are frozen.
 */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const file of files) {
      const checksum = done.get(file.name);
      if (checksum === file.checksum) continue;
      if (checksum !== undefined) throw new MigrationError(file.name, 'the file changed after it was applied; add a new migration instead');
      try {
        await client.query('BEGIN');
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
        await client.query('COMMIT');
        applied.push(file.name);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(file.name, err instanceof Error ? err.message : String(err));
      }
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}

/** Names of migration files not yet applied (for /readyz). */
export async function pendingMigrations(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const { rows } = await pool.query<{ name: string }>(
    `SELECT name FROM schema_migrations WHERE name = ANY($1::text[])`, [files.map((f) => f.name)],
  ).catch((err: { code?: string }) => {
    if (err.code === '42P01') return { rows: [] as { name: string }[] }; // no migration has run yet
    throw err;
  });
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f.name)).map((f) => f.name);
}
