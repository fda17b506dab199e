import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { badInput, conflict, forbidden, isUniqueViolation, notFound } from '../../lib/errors.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { roleCan, ROLES, type Role } from '../auth/permissions.ts';
import { hashToken, randomToken } from '../auth/tokens.ts';
import { emailSchema, parseInput } from '../auth/validation.ts';
import { findOrganization, organizationsOfUser } from '../organizations/organization.repository.ts';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export type InvitationStatus = 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';
export interface Invitation {
  id: string; organizationId: string; email: string; role: Role; status: InvitationStatus;
  invitedBy: string | null; createdAt: Date; expiresAt: Date;
}

type Row = { id: string; organization_id: string; email: string; role: Role; invited_by: string | null; created_at: Date; expires_at: Date | string; accepted_at: Date | null; revoked_at: Date | null };

function toInvitation(r: Row): Invitation {
  const expiresAt = new Date(r.expires_at);
  const status: InvitationStatus = r.accepted_at ? 'ACCEPTED' : r.revoked_at ? 'REVOKED' : expiresAt.getTime() <= Date.now() ? 'EXPIRED' : 'PENDING';
  return { id: r.id, organizationId: r.organization_id, email: r.email, role: r.role, status, invitedBy: r.invited_by, createdAt: r.created_at, expiresAt };
}

export async function listPendingInvitations(db: Executor, organizationId: string): Promise<Invitation[]> {
  const rows = await db.selectFrom('invitations').selectAll().where('organization_id', '=', organizationId)
    .where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc').execute();
  return rows.map(toInvitation);
}

export async function findInvitation(db: Executor, organizationId: string, id: string): Promise<Invitation | undefined> {
  const row = await db.selectFrom('invitations').selectAll().where('id', '=', id).where('organization_id', '=', organizationId).executeTakeFirst();
  return row && toInvitation(row);
}

const inviteSchema = z.object({ email: emailSchema, role: z.enum(ROLES) });

export async function inviteMember(deps: Deps, caller: Caller, input: unknown): Promise<Invitation> {
  const data = parseInput(inviteSchema, input);
  const orgId = caller.organizationId!;
  if (data.role === 'owner' && !roleCan(caller.role, 'owners:manage')) throw forbidden('Only an owner can invite an owner');
  return deps.db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.id').where('memberships.organization_id', '=', orgId).where('users.email', '=', data.email).executeTakeFirst();
    if (member) throw conflict(`${data.email} is already a member`);
    // A new invitation replaces any pending one for the same address.
    await trx.updateTable('invitations').set({ revoked_at: new Date() })
      .where('organization_id', '=', orgId).where('email', '=', data.email).where('accepted_at', 'is', null).where('revoked_at', 'is', null).execute();
    const token = randomToken();
    const row = await trx.insertInto('invitations').values({
      organization_id: orgId, email: data.email, role: data.role, token_hash: hashToken(token),
      invited_by: caller.user?.id ?? null, expires_at: new Date(Date.now() + INVITATION_TTL_MS),
    }).returningAll().executeTakeFirstOrThrow();
    const org = await findOrganization(trx, orgId);
    const inviter = caller.user?.name ?? 'An administrator';
    await deps.mailer.enqueue(trx, {
      organizationId: orgId,
      createdBy: caller.user?.id ?? null,
      to: data.email,
      subject: `${inviter} invited you to ${org!.name} on AgentFlow`,
      text: `${inviter} invited you to join ${org!.name} on AgentFlow as ${data.role}.\n\nAccept within 7 days:\n${deps.config.publicUrl}/invite/${token}\n`,
    });
    await writeAudit(trx, caller, { organizationId: orgId, action: 'invitation.create', targetType: 'Invitation', targetId: row.id, details: { email: data.email, role: data.role } });
    await deps.events.publish(trx, `org:${orgId}`, { type: 'INVITATION_CREATED', organizationId: orgId, membershipId: null, userId: null, role: data.role, occurredAt: new Date().toISOString() });
    return toInvitation(row);
  }).catch((err: unknown) => {
    // Two invitations to the same address at the same moment: one wins (invitations_open_idx).
    if (isUniqueViolation(err, 'invitations_open_idx')) throw conflict(`An invitation to ${data.email} was just sent`);
    throw err;
  });
}

export async function revokeInvitation(deps: Deps, caller: Caller, id: string): Promise<Invitation> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('invitations').set({ revoked_at: new Date() })
      .where('id', '=', id).where('organization_id', '=', orgId).where('accepted_at', 'is', null).where('revoked_at', 'is', null)
      .returningAll().executeTakeFirst();
    if (!row) {
      if (await findInvitation(trx, orgId, id)) throw conflict('This invitation is no longer pending');
      throw notFound('Invitation');
    }
    await writeAudit(trx, caller, { organizationId: orgId, action: 'invitation.revoke', targetType: 'Invitation', targetId: id, details: { email: row.email } });
    return toInvitation(row);
  });
}

/** What the accept page shows; the token is the only credential, so unknown tokens answer null. */
export async function previewInvitation(db: Executor, token: string) {
  const row = await db.selectFrom('invitations as i').innerJoin('organizations as o', 'o.id', 'i.organization_id')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select(['i.id', 'i.organization_id', 'i.email', 'i.role', 'i.invited_by', 'i.created_at', 'i.expires_at', 'i.accepted_at', 'i.revoked_at', 'o.name as organization_name', 'u.name as inviter_name'])
    .where('i.token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row) return null;
  const inv = toInvitation(row);
  return { organizationName: row.organization_name, email: inv.email, role: inv.role, invitedByName: row.inviter_name, status: inv.status };
}

/**
 * Turns a pending invitation into a membership for the calling user, whose e-mail must be the
 * invited one. Claimed by a conditional update, so a token works once.
 */
export async function claimInvitation(trx: Executor, deps: Deps, caller: Caller, token: string): Promise<string> {
  const user = caller.user!;
  const inv = await trx.selectFrom('invitations').selectAll().where('token_hash', '=', hashToken(token)).forUpdate().executeTakeFirst();
  if (!inv) throw badInput('This invitation link is invalid', { field: 'invitationToken' });
  const status = toInvitation(inv).status;
  if (status !== 'PENDING') throw badInput(`This invitation is ${status.toLowerCase()}`, { field: 'invitationToken' });
  if (inv.email.toLowerCase() !== user.email.toLowerCase()) throw forbidden(`This invitation was sent to ${inv.email}; sign in with that address to accept it`);
  const existing = await trx.selectFrom('memberships').select('id').where('organization_id', '=', inv.organization_id).where('user_id', '=', user.id).executeTakeFirst();
  if (existing) throw conflict('You are already a member of this organization');
  await trx.updateTable('invitations').set({ accepted_at: new Date(), accepted_by: user.id }).where('id', '=', inv.id).execute();
  const membership = await trx.insertInto('memberships').values({ organization_id: inv.organization_id, user_id: user.id, role: inv.role })
    .returning('id').executeTakeFirstOrThrow();
  await writeAudit(trx, caller, { organizationId: inv.organization_id, action: 'invitation.accept', targetType: 'Membership', targetId: membership.id, details: { email: user.email, role: inv.role } });
  await deps.events.publish(trx, `org:${inv.organization_id}`, { type: 'MEMBER_JOINED', organizationId: inv.organization_id, membershipId: membership.id, userId: user.id, role: inv.role, occurredAt: new Date().toISOString() });
  return inv.organization_id;
}

export async function acceptInvitation(deps: Deps, caller: Caller, token: string) {
  const orgId = await deps.db.transaction().execute((trx) => claimInvitation(trx, deps, caller, token)).catch((err: unknown) => {
    // Two invitations to one organization accepted at the same moment: the second loses here.
    if (isUniqueViolation(err)) throw conflict('You are already a member of this organization');
    throw err;
  });
  const organizations = await organizationsOfUser(deps.db, caller.user!.id);
  return organizations.find((o) => o.id === orgId)!;
}
