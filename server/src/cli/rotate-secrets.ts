import { loadConfig, loadDotEnv } from '../config/env.ts';
import { resolveDatabase } from '../db/connection.ts';
import { createDb, createPool } from '../db/database.ts';
import { createSecretBox } from '../lib/secret-box.ts';
import { RotationError, rotateSecrets } from '../modules/integrations/rotate-secrets.ts';

/**
 * `npm run rotate-secrets -w server [-- --dry-run] [-- --skip-unreadable]`: re-seals every secret
 * stored encrypted (provider keys, webhook secrets, integration credentials, OAuth clients) with
 * the key of APP_SECRET, opening them with APP_SECRET or APP_SECRET_PREVIOUS.
 *
 * Rotating APP_SECRET: set APP_SECRET to the new secret and APP_SECRET_PREVIOUS to the old one,
 * restart the servers (they now read both), run this, then empty APP_SECRET_PREVIOUS.
 */
loadDotEnv();
const args = new Set(process.argv.slice(2));
const config = loadConfig();
if (!config.appSecretPrevious.length) {
  process.stdout.write('APP_SECRET_PREVIOUS is empty: only values in the old format (sealed with APP_SECRET itself) can be re-sealed.\n');
}
const { url, embedded } = await resolveDatabase(config);
const pool = createPool(url, 2, () => undefined);
try {
  const reports = await rotateSecrets(createDb(pool), createSecretBox(config.appSecret, config.appSecretPrevious), {
    dryRun: args.has('--dry-run'), skipUnreadable: args.has('--skip-unreadable'),
  });
  for (const r of reports) {
    process.stdout.write(`${`${r.table}.${r.column}`.padEnd(36)} ${r.resealed} re-sealed, ${r.alreadyCurrent} already current${r.unreadable ? `, ${r.unreadable} unreadable (left as they are)` : ''}\n`);
  }
  const total = reports.reduce((n, r) => n + r.resealed, 0);
  process.stdout.write(args.has('--dry-run') ? `Dry run: ${total} value(s) would be re-sealed; nothing was changed.\n` : `Done: ${total} value(s) re-sealed with APP_SECRET.\n`);
} catch (err) {
  process.stderr.write(`${err instanceof RotationError ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
  await embedded?.stop();
}
