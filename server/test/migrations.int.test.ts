import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { migrate, MigrationError, MIGRATIONS_DIR, pendingMigrations, readMigrations } from '../src/db/migrate.ts';
import { withDatabase } from './support/test-database.ts';

// ---------------------------------------------------------------------------------------------
// Helpers: fresh empty databases (not clones of the migrated template) and temp migration folders
// ---------------------------------------------------------------------------------------------

const adminUrl = inject('adminUrl');
const SERVER_DIR = path.resolve(import.meta.dirname, '..');

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try { await client.query(text); } finally { await client.end(); }
}

const pools: pg.Pool[] = [];
const databases: string[] = [];
const tempDirs: string[] = [];

/** Creates an empty database and returns a pool factory for it (pools are ended after each test). */
async function emptyDatabase(): Promise<{ url: string; pool: () => pg.Pool }> {
  const name = `agentflow_migrate_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  databases.push(name);
  const url = withDatabase(adminUrl, name);
  return {
    url,
    pool: () => {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
  };
}

/** A temp folder of migration files; returns its path and a writer for more files. */
function migrationsDir(files: Record<string, string>): { dir: string; write: (name: string, sql: string) => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentflow-migrations-'));
  tempDirs.push(dir);
  const write = (name: string, sql: string) => writeFileSync(path.join(dir, name), sql);
  for (const [name, sql] of Object.entries(files)) write(name, sql);
  return { dir, write };
}

async function applied(pool: pg.Pool): Promise<{ name: string; checksum: string; applied_at: Date }[]> {
  return (await pool.query('SELECT name, checksum, applied_at FROM schema_migrations ORDER BY name')).rows;
}

async function tableExists(pool: pg.Pool, table: string): Promise<boolean> {
  return (await pool.query('SELECT to_regclass($1) AS t', [`public.${table}`])).rows[0].t !== null;
}

/** The MigrationError a promise rejects with. */
async function migrationError(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
  for (const name of databases.splice(0)) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Runs src/main.ts as a child process and collects its exit code and output. `node --import tsx`
 * is what `npx tsx` runs; npx itself may print npm warnings on stderr.
 */
function runMain(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'agentflow-main-'));
  tempDirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: SERVER_DIR,
    // Nothing that could start a real server: an unreachable database and a throwaway data dir.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: 'postgres://127.0.0.1:1/unreachable', DATA_DIR: dataDir, APP_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr, stdout }));
  });
}

/** The non-empty lines of an output. */
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

// ---------------------------------------------------------------------------------------------

describe('the real migrations folder', () => {
  it('applies every file in name order and records each with its checksum', async () => {
    const pool = (await emptyDatabase()).pool();
    const files = (await readMigrations()).map((f) => f.name);
    expect(files.length).toBeGreaterThan(0);
    expect(files).toEqual([...files].sort());

    expect(await migrate(pool)).toEqual(files);

    const rows = await applied(pool);
    expect(rows.map((r) => r.name)).toEqual(files);
    for (const row of rows) expect(row.checksum).toBe(sha256(readFileSync(path.join(MIGRATIONS_DIR, row.name), 'utf8')));
    for (const table of ['users', 'organizations', 'memberships', 'sessions', 'refresh_tokens', 'rate_limits']) {
      expect(await tableExists(pool, table), table).toBe(true);
    }
  });

  it('is idempotent: a second run applies nothing and changes no record', async () => {
    const pool = (await emptyDatabase()).pool();
    await migrate(pool);
    const before = await applied(pool);
    expect(await migrate(pool)).toEqual([]);
    expect(await applied(pool)).toEqual(before);
  });

  it('pendingMigrations lists every file on an empty database and none once migrated', async () => {
    const pool = (await emptyDatabase()).pool();
    const files = (await readMigrations()).map((f) => f.name);
    expect(await pendingMigrations(pool)).toEqual(files);
    await migrate(pool);
    expect(await pendingMigrations(pool)).toEqual([]);
  });

  it('two migrations started in parallel on two pools both resolve and apply each file once', async () => {
    const database = await emptyDatabase();
    const [a, b] = [database.pool(), database.pool()];
    const files = (await readMigrations()).map((f) => f.name);

    const results = await Promise.all([migrate(a), migrate(b)]);

    // The advisory lock makes them take turns: whichever ran second found nothing to do.
    expect(results.flat().sort()).toEqual(files);
    expect(results.filter((r) => r.length === 0)).toHaveLength(1);
    expect((await applied(a)).map((r) => r.name)).toEqual(files);
    const locks = await a.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    expect(locks.rows[0].n).toBe(0);
  });
});

describe('a folder of test migrations', () => {
  const GOOD = 'CREATE TABLE good_things (id int PRIMARY KEY);\nINSERT INTO good_things VALUES (1);\n';
  const BROKEN = 'CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT * FROM no_such_table;\n';

  it('applies only .sql files, in name order', async () => {
    const pool = (await emptyDatabase()).pool();
    const { dir } = migrationsDir({
      'b_second.sql': 'INSERT INTO ordered VALUES (2);',
      'a_first.sql': 'CREATE TABLE ordered (n int);',
      'README.md': 'not a migration',
      'c_third.sql.bak': 'SELECT broken syntax here',
    });
    expect(await migrate(pool, dir)).toEqual(['a_first.sql', 'b_second.sql']);
    expect((await pool.query('SELECT n FROM ordered')).rows).toEqual([{ n: 2 }]);
  });

  it('a broken file throws a MigrationError naming it with the SQL error; the good file stays, nothing of the broken one exists', async () => {
    const pool = (await emptyDatabase()).pool();
    const { dir, write } = migrationsDir({ '001_good.sql': GOOD, '002_broken.sql': BROKEN });

    const error = await migrationError(migrate(pool, dir));
    expect(error.file).toBe('002_broken.sql');
    expect(error.message).toContain('002_broken.sql');
    expect(error.message).toContain('relation "no_such_table" does not exist');

    expect((await applied(pool)).map((r) => r.name)).toEqual(['001_good.sql']);
    expect((await pool.query('SELECT id FROM good_things')).rows).toEqual([{ id: 1 }]);
    expect(await tableExists(pool, 'half_done')).toBe(false);
    expect(await pendingMigrations(pool, dir)).toEqual(['002_broken.sql']);
    // The failure released the lock, so the next start is not blocked.
    expect((await pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).rows[0].n).toBe(0);

    // Once fixed, only the missing file runs.
    write('002_broken.sql', 'CREATE TABLE half_done (id int);');
    expect(await migrate(pool, dir)).toEqual(['002_broken.sql']);
    expect(await pendingMigrations(pool, dir)).toEqual([]);
  });

  it('a file and its schema_migrations record commit together: if recording fails, nothing of the file stays', async () => {
    const pool = (await emptyDatabase()).pool();
    // The file succeeds, but makes the INSERT of its own record fail.
    const { dir } = migrationsDir({
      '001_good.sql': GOOD,
      '002_unrecordable.sql': `CREATE TABLE created_by_002 (id int);\nALTER TABLE schema_migrations ADD CONSTRAINT refuse_002 CHECK (name <> '002_unrecordable.sql');\n`,
    });
    const error = await migrationError(migrate(pool, dir));
    expect(error.file).toBe('002_unrecordable.sql');
    expect(error.message).toContain('refuse_002');
    expect(await tableExists(pool, 'created_by_002')).toBe(false);
    expect((await applied(pool)).map((r) => r.name)).toEqual(['001_good.sql']);
  });

  it('a syntax error is reported the same way and applies nothing of that file', async () => {
    const pool = (await emptyDatabase()).pool();
    const { dir } = migrationsDir({ '001_typo.sql': 'CREATE TABLE typo (id int);\nCREAT TABLE oops (id int);' });
    const error = await migrationError(migrate(pool, dir));
    expect(error.file).toBe('001_typo.sql');
    expect(error.message).toMatch(/syntax error at or near "CREAT"/);
    expect(await tableExists(pool, 'typo')).toBe(false);
    expect(await applied(pool)).toEqual([]);
  });

  it('editing an applied file makes the next run fail saying it changed, and applies nothing after it', async () => {
    const pool = (await emptyDatabase()).pool();
    const { dir, write } = migrationsDir({ '001_good.sql': GOOD });
    await migrate(pool, dir);
    const before = await applied(pool);

    write('001_good.sql', GOOD + 'INSERT INTO good_things VALUES (2);\n');
    write('002_next.sql', 'CREATE TABLE next_thing (id int);');

    const error = await migrationError(migrate(pool, dir));
    expect(error.file).toBe('001_good.sql');
    expect(error.message).toMatch(/001_good\.sql.*changed/);
    expect(await applied(pool)).toEqual(before);
    expect((await pool.query('SELECT id FROM good_things')).rows).toEqual([{ id: 1 }]);
    expect(await tableExists(pool, 'next_thing')).toBe(false);
  });

  it('pendingMigrations lists the files not yet applied, in name order', async () => {
    const pool = (await emptyDatabase()).pool();
    const { dir, write } = migrationsDir({ '001_good.sql': GOOD });
    expect(await pendingMigrations(pool, dir)).toEqual(['001_good.sql']);
    await migrate(pool, dir);
    write('003_later.sql', 'SELECT 1;');
    write('002_next.sql', 'SELECT 1;');
    expect(await pendingMigrations(pool, dir)).toEqual(['002_next.sql', '003_later.sql']);
  });
});

describe('start-up errors of src/main.ts', () => {
  it('--role=nope exits 1 with one stderr line naming --role', async () => {
    const { code, stderr, stdout } = await runMain(['--role=nope'], {});
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([expect.stringContaining('--role')]);
    expect(stderr).toContain('nope');
    expect(stdout).toBe('');
  });

  it('an unknown option exits 1 with one stderr line naming it, no stack trace', async () => {
    const { code, stderr } = await runMain(['--rol=api'], {});
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([expect.stringContaining('--rol')]);
  });

  it('PORT=abc exits 1 with stderr naming PORT and no stack trace', async () => {
    const { code, stderr, stdout } = await runMain(['--role=api'], { PORT: 'abc' });
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([expect.stringMatching(/^Invalid configuration: PORT: /)]); // one line naming the variable
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});
