import { loadConfig, loadDotEnv } from '../config/env.ts';
import { resolveDatabase } from '../db/connection.ts';
import { createPool } from '../db/database.ts';
import { migrate, MigrationError } from '../db/migrate.ts';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
loadDotEnv();
const { url, embedded } = await resolveDatabase(loadConfig());
const pool = createPool(url, 2, () => undefined);
try {
  const applied = await migrate(pool);
  process.stdout.write(applied.length ? `Applied ${applied.join(', ')}\n` : 'The database is up to date.\n');
} catch (err) {
  process.stderr.write(`${err instanceof MigrationError ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
  await embedded?.stop();
}
