import { sql } from 'kysely';
import { secretContext } from '../workflows/webhook.service.ts';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import { keyContext, type KeyedProvider } from '../../llm/credentials.ts';
import { codeVerifierContext, credentialsContext, oauthClientContext } from './integration.repository.ts';

/**
 * Every column holding a value sealed with the secret box, with the context each row's value is
 * bound to. A new `deps.secrets.seal(` call site needs its column here, or rotation leaves it
 * behind (and it stops opening once APP_SECRET_PREVIOUS is emptied).
 */
export interface SealedColumn {
  table: string;
  column: string;
  /** Columns that identify a row (also read for the context). */
  key: string[];
  /** Further columns the context needs. */
  extra?: string[];
  context(row: Record<string, string>): string;
}

export const SEALED_COLUMNS: SealedColumn[] = [
  { table: 'provider_credentials', column: 'encrypted_key', key: ['organization_id', 'provider'], context: (r) => keyContext(r.organization_id!, r.provider as KeyedProvider) },
  { table: 'workflows', column: 'webhook_secret', key: ['id'], context: (r) => secretContext(r.id!) },
  { table: 'integrations', column: 'oauth_client', key: ['id'], extra: ['organization_id'], context: (r) => oauthClientContext(r.organization_id!, r.id!) },
  { table: 'integrations', column: 'credentials', key: ['id'], extra: ['organization_id'], context: (r) => credentialsContext(r.organization_id!, r.id!) },
  { table: 'oauth_states', column: 'code_verifier', key: ['state_hash'], context: (r) => codeVerifierContext(r.state_hash!) },
];

export interface ColumnReport { table: string; column: string; resealed: number; alreadyCurrent: number; unreadable: number }

export class RotationError extends Error {}

/**
 * Re-seals every sealed value with the box's current key (APP_SECRET), opening each with whichever
 * key sealed it (APP_SECRET or APP_SECRET_PREVIOUS). One transaction with the rows locked: either
 * every value moves to the new key or none does. A value no key opens stops the rotation (naming
 * the rows), unless `skipUnreadable` leaves such values as they are (they are lost anyway).
 */
export async function rotateSecrets(db: Db, box: SecretBox, options: { skipUnreadable?: boolean; dryRun?: boolean; columns?: SealedColumn[] } = {}): Promise<ColumnReport[]> {
  const reports: ColumnReport[] = [];
  const unreadable: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (const spec of options.columns ?? SEALED_COLUMNS) {
      const report: ColumnReport = { table: spec.table, column: spec.column, resealed: 0, alreadyCurrent: 0, unreadable: 0 };
      const columns = [...spec.key, ...(spec.extra ?? []), spec.column];
      const { rows } = await sql<Record<string, string>>`SELECT ${sql.join(columns.map((c) => sql.ref(c)))} FROM ${sql.table(spec.table)} WHERE ${sql.ref(spec.column)} IS NOT NULL FOR UPDATE`.execute(trx);
      for (const row of rows) {
        const sealed = row[spec.column]!;
        if (box.isCurrent(sealed)) {
          report.alreadyCurrent++;
          continue;
        }
        const context = spec.context(row);
        let plaintext: string;
        try {
          plaintext = box.open(sealed, context);
        } catch {
          report.unreadable++;
          unreadable.push(`${spec.table}.${spec.column} where ${spec.key.map((k) => `${k} = ${row[k]}`).join(' and ')}`);
          continue;
        }
        report.resealed++;
        if (options.dryRun) continue;
        const where = sql.join(spec.key.map((k) => sql`${sql.ref(k)} = ${row[k]}`), sql` AND `);
        await sql`UPDATE ${sql.table(spec.table)} SET ${sql.ref(spec.column)} = ${box.seal(plaintext, context)} WHERE ${where}`.execute(trx);
      }
      reports.push(report);
    }
    if (unreadable.length && !options.skipUnreadable) {
      throw new RotationError(`Nothing was changed: ${unreadable.length} value(s) open with neither APP_SECRET nor APP_SECRET_PREVIOUS (add the secret they were sealed with to APP_SECRET_PREVIOUS, or pass --skip-unreadable to leave them as they are):\n${unreadable.map((u) => `  ${u}`).join('\n')}`);
    }
  });
  return reports;
}
