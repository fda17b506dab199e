import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { badInput, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/keys.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { roleCan, ROLES, type Role } from '../auth/permissions.ts';
import type { User } from '../auth/user.repository.ts';

export interface Membership { id: string; organizationId: string; role: Role; joinedAt: Date; user: User }

const membershipSelect = (db: Executor) => db.selectFrom('memberships as m')
  .innerJoin('users as u', 'u.id', 'm.user_id')
  .select(['m.id', 'm.organization_id', 'm.role', 'm.created_at', 'u.id as user_id', 'u.email', 'u.name']);

type MembershipRow = { id: string; organization_id: string; role: Role; created_at: Date; user_id: string; email: string; name: string };
const toMembership = (r: MembershipRow): Membership =>
  ({ id: r.id, organizationId: r.organization_id, role: r.role, joinedAt: r.created_at, user: { id: r.user_id, email: r.email, name: r.name } });

/** A membership of the caller's organization, or NOT_FOUND (also for other organizations' ids). */
export async function findMembership(db: Executor, organizationId: string, id: string, opts: { lock?: boolean } = {}): Promise<Membership | undefined> {
  const q = membershipSelect(db).where('m.id', '=', id).where('m.organization_id', '=', organizationId);
  // Mutations lock the row so the role they checked is the role they change.
  const row = await (opts.lock ? q.forUpdate('m') : q).executeTakeFirst();
  return row && toMembership(row);
}

/** A user who is a member of the organization (people outside it are not visible). */
export async function findMemberUser(db: Executor, organizationId: string, userId: string): Promise<User | undefined> {
  return db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select(['users.id', 'users.email', 'users.name']).where('users.id', '=', userId).where('memberships.organization_id', '=', organizationId)
    .executeTakeFirst();
}

export interface Page { after?: string | undefined; before?: string | undefined; limit: number; inverted: boolean }

/** Members ordered by join time; the cursor is the membership id (uuids tie-break equal times). */
export async function listMembers(db: Executor, organizationId: string, page: Page): Promise<Membership[]> {
  let q = membershipSelect(db).where('m.organization_id', '=', organizationId);
  const cursor = page.after ?? page.before;
  if (cursor && !isUuid(cursor)) throw badInput('Invalid cursor');
  if (cursor) {
    const op = page.after ? '>' : '<';
    q = q.where(sql<boolean>`(m.created_at, m.id) ${sql.raw(op)} (SELECT created_at, id FROM memberships WHERE id = ${cursor} AND organization_id = ${organizationId})`);
  }
  const dir = page.inverted ? 'desc' : 'asc';
  const rows = await q.orderBy('m.created_at', dir).orderBy('m.id', dir).limit(page.limit).execute();
  return rows.map(toMembership);
}

export async function countMembers(db: Executor, organizationId: string): Promise<number> {
  const r = await db.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Locks the organization's owner memberships so "last owner" checks cannot race. */
async function lockedOwnerCount(db: Executor, organizationId: string): Promise<number> {
  const rows = await db.selectFrom('memberships').select('id').where('organization_id', '=', organizationId).where('role', '=', 'owner').forUpdate().execute();
  return rows.length;
}

const requireOrg = (caller: Caller) => caller.organizationId ?? (() => { throw forbidden('Select an organization first'); })();

export async function changeMemberRole(deps: Deps, caller: Caller, membershipId: string, role: Role): Promise<Membership> {
  if (!ROLES.includes(role)) throw badInput('Unknown role', { field: 'role' });
  const orgId = requireOrg(caller);
  return deps.db.transaction().execute(async (trx) => {
    const target = await findMembership(trx, orgId, membershipId, { lock: true });
    if (!target) throw notFound('Member');
    if ((target.role === 'owner' || role === 'owner') && !roleCan(caller.role, 'owners:manage')) {
      throw forbidden('Only an owner can grant or change the owner role');
    }
    if (target.role === 'owner' && role !== 'owner' && (await lockedOwnerCount(trx, orgId)) <= 1) throw conflict('The last owner cannot be demoted; make someone else owner first');
    if (target.role !== role) await trx.updateTable('memberships').set({ role }).where('id', '=', target.id).execute();
    await writeAudit(trx, caller, { organizationId: orgId, action: 'member.role_change', targetType: 'Membership', targetId: target.id, details: { email: target.user.email, from: target.role, to: role } });
    await deps.events.publish(trx, `org:${orgId}`, { type: 'MEMBER_ROLE_CHANGED', organizationId: orgId, membershipId: target.id, userId: target.user.id, role, occurredAt: new Date().toISOString() });
    return { ...target, role };
  });
}

async function deleteMembership(deps: Deps, caller: Caller, orgId: string, target: Membership, kind: 'remove' | 'leave', trx: Executor) {
  if (target.role === 'owner' && (await lockedOwnerCount(trx, orgId)) <= 1) {
    throw conflict(kind === 'leave' ? 'You are the last owner; make someone else owner before leaving' : 'The last owner cannot be removed');
  }
  await trx.deleteFrom('memberships').where('id', '=', target.id).execute();
  // API keys stay with the organization; sessions stay with the user (they may have other orgs).
  await writeAudit(trx, caller, { organizationId: orgId, action: kind === 'leave' ? 'member.leave' : 'member.remove', targetType: 'Membership', targetId: target.id, details: { email: target.user.email, role: target.role } });
  await deps.events.publish(trx, `org:${orgId}`, { type: kind === 'leave' ? 'MEMBER_LEFT' : 'MEMBER_REMOVED', organizationId: orgId, membershipId: target.id, userId: target.user.id, role: target.role, occurredAt: new Date().toISOString() });
}

export async function removeMember(deps: Deps, caller: Caller, membershipId: string): Promise<string> {
  const orgId = requireOrg(caller);
  await deps.db.transaction().execute(async (trx) => {
    const target = await findMembership(trx, orgId, membershipId, { lock: true });
    if (!target) throw notFound('Member');
    if (target.role === 'owner' && !roleCan(caller.role, 'owners:manage')) throw forbidden('Only an owner can remove an owner');
    if (target.user.id === caller.user?.id) throw badInput('Use leaveOrganization to leave an organization');
    await deleteMembership(deps, caller, orgId, target, 'remove', trx);
  });
  return membershipId;
}

export async function leaveOrganization(deps: Deps, caller: Caller): Promise<string> {
  const orgId = requireOrg(caller);
  await deps.db.transaction().execute(async (trx) => {
    const row = await membershipSelect(trx).where('m.organization_id', '=', orgId).where('m.user_id', '=', caller.user!.id).executeTakeFirst();
    if (!row) throw notFound('Organization');
    await deleteMembership(deps, caller, orgId, toMembership(row), 'leave', trx);
  });
  return orgId;
}
