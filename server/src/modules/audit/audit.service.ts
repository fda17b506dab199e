import type { Executor } from '../../db/database.ts';
import type { Caller } from '../../graphql/context.ts';
import { badInput } from '../../lib/errors.ts';
import { isBigintKey } from '../../lib/keys.ts';

export interface AuditInput {
  organizationId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  /** For actions whose actor is not yet the caller (register, login): the user acting. */
  actorUserId?: string;
  actorLabel?: string;
}

/** Writes one audit entry in the caller's transaction, so the change and its record land together. */
export async function writeAudit(db: Executor, caller: Caller, entry: AuditInput): Promise<void> {
  await db.insertInto('audit_log').values({
    organization_id: entry.organizationId,
    actor_user_id: entry.actorUserId ?? caller.user?.id ?? null,
    actor_api_key_id: caller.apiKey?.id ?? null,
    actor_label: entry.actorLabel ?? caller.user?.email ?? (caller.apiKey ? `API key ${caller.apiKey.name}` : null),
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    ip: caller.ip,
    user_agent: caller.userAgent?.slice(0, 512) ?? null,
    details: JSON.stringify(entry.details ?? {}),
  }).execute();
}

export interface AuditPage { before?: string | undefined; after?: string | undefined; limit: number; inverted: boolean }

/** Newest first, keyset-paginated on the identity column. */
export async function listAudit(db: Executor, organizationId: string, page: AuditPage, action?: string | null) {
  for (const cursor of [page.after, page.before]) if (cursor && !isBigintKey(cursor)) throw badInput('Invalid cursor');
  let q = db.selectFrom('audit_log').selectAll().where('organization_id', '=', organizationId);
  if (action) q = q.where('action', 'like', `${action.replace(/[%_\\]/g, '\\$&')}%`);
  if (page.after) q = q.where('id', '<', page.after);
  if (page.before) q = q.where('id', '>', page.before);
  return q.orderBy('id', page.inverted ? 'asc' : 'desc').limit(page.limit).execute();
}

export async function findAuditEntry(db: Executor, organizationId: string, id: string) {
  return db.selectFrom('audit_log').selectAll().where('id', '=', id).where('organization_id', '=', organizationId).executeTakeFirst();
}
