import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { roleRank, ROLES, type Role } from '../auth/permissions.ts';
import { hashToken, randomToken, sameHash } from '../auth/tokens.ts';
import { parseInput } from '../auth/validation.ts';

/** Keys look like `afk_<prefix>_<secret>`: the prefix finds the row, the secret is checked by hash. */
const KEY_PATTERN = /^afk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
export const isApiKey = (token: string): boolean => token.startsWith('afk_');

export interface ApiKey {
  id: string; organizationId: string; name: string; prefix: string; role: Role;
  createdBy: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null;
}

type Row = { id: string; organization_id: string; name: string; prefix: string; role: Role; created_by: string | null; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };
const toApiKey = (r: Row): ApiKey => ({ id: r.id, organizationId: r.organization_id, name: r.name, prefix: r.prefix, role: r.role, createdBy: r.created_by, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at });
const COLUMNS = ['id', 'organization_id', 'name', 'prefix', 'role', 'created_by', 'created_at', 'last_used_at', 'revoked_at'] as const;

export async function listApiKeys(db: Executor, organizationId: string): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_keys').select(COLUMNS).where('organization_id', '=', organizationId).orderBy('created_at', 'desc').execute();
  return rows.map(toApiKey);
}

export async function findApiKey(db: Executor, organizationId: string, id: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom('api_keys').select(COLUMNS).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return row && toApiKey(row);
}

const createSchema = z.object({ name: z.string().trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters'), role: z.enum(ROLES) });

/** Creates a key; the secret is returned this once and only its hash is kept. */
export async function createApiKey(deps: Deps, caller: Caller, input: unknown): Promise<{ apiKey: ApiKey; secret: string }> {
  const data = parseInput(createSchema, input);
  if (roleRank(data.role) > roleRank(caller.role!)) throw forbidden('A key cannot have a higher role than yours');
  const prefix = randomToken(12).replace(/[^A-Za-z0-9]/g, '').slice(0, 12).padEnd(12, '0');
  const secretPart = randomToken(32);
  const secret = `afk_${prefix}_${secretPart}`;
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('api_keys').values({
      organization_id: orgId, name: data.name, role: data.role, prefix, key_hash: hashToken(secretPart), created_by: caller.user?.id ?? null,
    }).returning(COLUMNS).executeTakeFirstOrThrow();
    await writeAudit(trx, caller, { organizationId: orgId, action: 'api_key.create', targetType: 'ApiKey', targetId: row.id, details: { name: data.name, role: data.role, prefix } });
    return { apiKey: toApiKey(row), secret };
  });
}

export async function revokeApiKey(deps: Deps, caller: Caller, id: string): Promise<ApiKey> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const current = await findApiKey(trx, orgId, id);
    if (!current) throw notFound('API key');
    if (current.revokedAt) throw conflict('This API key is already revoked');
    const row = await trx.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow();
    await writeAudit(trx, caller, { organizationId: orgId, action: 'api_key.revoke', targetType: 'ApiKey', targetId: id, details: { name: current.name, prefix: current.prefix } });
    return toApiKey(row);
  });
}

/** Resolves a presented key to its live row, or undefined. Records use at most once a minute. */
export async function authenticateApiKey(db: Executor, token: string): Promise<ApiKey | undefined> {
  const match = KEY_PATTERN.exec(token);
  if (!match) return undefined;
  const row = await db.selectFrom('api_keys').select([...COLUMNS, 'key_hash']).where('prefix', '=', match[1]!).where('revoked_at', 'is', null).executeTakeFirst();
  if (!row || !sameHash(row.key_hash, hashToken(match[2]!))) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    void db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', row.id).execute().catch(() => undefined);
  }
  return toApiKey(row);
}
