import type { Executor } from '../../db/database.ts';
import type { Role } from '../auth/permissions.ts';

export interface Organization { id: string; name: string; plan: string; createdAt: Date; role?: Role }

const toOrganization = (r: { id: string; name: string; plan: string; created_at: Date }, role?: Role): Organization =>
  ({ id: r.id, name: r.name, plan: r.plan, createdAt: r.created_at, ...(role ? { role } : {}) });

export async function insertOrganizationWithOwner(db: Executor, name: string, ownerId: string) {
  const org = await db.insertInto('organizations').values({ name }).returningAll().executeTakeFirstOrThrow();
  const membership = await db.insertInto('memberships')
    .values({ organization_id: org.id, user_id: ownerId, role: 'owner' })
    .returning(['id']).executeTakeFirstOrThrow();
  return { organization: toOrganization(org, 'owner'), membershipId: membership.id };
}

export async function findOrganization(db: Executor, id: string): Promise<Organization | undefined> {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toOrganization(row);
}

/** The organizations a user belongs to, oldest membership first, each with the user's role. */
export async function organizationsOfUser(db: Executor, userId: string): Promise<Organization[]> {
  const rows = await db.selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .select(['o.id', 'o.name', 'o.plan', 'o.created_at', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at').orderBy('o.id')
    .execute();
  return rows.map((r) => toOrganization(r, r.role));
}

export async function renameOrganization(db: Executor, id: string, name: string): Promise<Organization> {
  const row = await db.updateTable('organizations').set({ name, updated_at: new Date() })
    .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toOrganization(row);
}
