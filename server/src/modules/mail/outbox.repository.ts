import type { Executor } from '../../db/database.ts';
import type { Caller } from '../../graphql/context.ts';
import { roleCan } from '../auth/permissions.ts';

/**
 * The dev outbox holds working links (invitations carry their token), so besides owners a
 * reader sees only the e-mails they caused: an admin cannot pick up an owner's invitation.
 */
function visibleOutbox(db: Executor, caller: Caller, organizationId: string) {
  let q = db.selectFrom('email_outbox').selectAll().where('organization_id', '=', organizationId);
  if (!roleCan(caller.role, 'owners:manage')) q = q.where('created_by', '=', caller.user?.id ?? null);
  return q;
}

export function listOutbox(db: Executor, caller: Caller, organizationId: string, first: number) {
  return visibleOutbox(db, caller, organizationId).orderBy('created_at', 'desc').limit(Math.min(Math.max(first, 1), 100)).execute();
}

export function findOutboxEmail(db: Executor, caller: Caller, organizationId: string, id: string) {
  return visibleOutbox(db, caller, organizationId).where('id', '=', id).executeTakeFirst();
}
