import { access, requireActiveOrganization } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { fromGlobalId } from '../../graphql/ids.ts';
import { InvitationRef, OrganizationRef, UserRef } from '../../graphql/refs.ts';
import { RoleEnum } from '../../graphql/scalars.ts';
import { findUserById } from '../auth/user.repository.ts';
import { acceptInvitation, inviteMember, listPendingInvitations, previewInvitation, revokeInvitation } from './invitation.service.ts';

const InvitationStatusEnum = builder.enumType('InvitationStatus', { values: ['PENDING', 'ACCEPTED', 'REVOKED', 'EXPIRED'] as const });

builder.node(InvitationRef, {
  id: { resolve: (i) => i.id },
  fields: (t) => ({
    email: t.exposeString('email'),
    role: t.expose('role', { type: RoleEnum }),
    status: t.expose('status', { type: InvitationStatusEnum }),
    invitedBy: t.field({ type: UserRef, nullable: true, resolve: (i, _a, ctx) => (i.invitedBy ? findUserById(ctx.deps.db, i.invitedBy) : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const InvitationPreview = builder.objectRef<NonNullable<Awaited<ReturnType<typeof previewInvitation>>>>('InvitationPreview').implement({
  fields: (t) => ({
    organizationName: t.exposeString('organizationName'),
    email: t.exposeString('email'),
    role: t.expose('role', { type: RoleEnum }),
    invitedByName: t.exposeString('invitedByName', { nullable: true }),
    status: t.expose('status', { type: InvitationStatusEnum }),
  }),
});

builder.objectField(OrganizationRef, 'invitations', (t) => t.field({
  ...access('members:invite'),
  type: [InvitationRef],
  description: 'Pending invitations of the active organization',
  resolve: (o, _a, ctx) => {
    requireActiveOrganization(ctx, o.id, 'invitations');
    return listPendingInvitations(ctx.deps.db, o.id);
  },
}));

const InviteMemberInput = builder.inputType('InviteMemberInput', {
  fields: (t) => ({ email: t.string({ required: true }), role: t.field({ type: RoleEnum, required: true }) }),
});

builder.queryField('invitation', (t) => t.field({
  ...access('public'),
  type: InvitationPreview,
  nullable: true,
  args: { token: t.arg.string({ required: true }) },
  description: 'What an invitation link offers; null for an unknown token',
  resolve: (_r, { token }, ctx) => previewInvitation(ctx.deps.db, token),
}));

builder.mutationFields((t) => ({
  inviteMember: t.field({
    ...access('members:invite'), type: InvitationRef, args: { input: t.arg({ type: InviteMemberInput, required: true }) },
    resolve: (_r, { input }, ctx) => inviteMember(ctx.deps, ctx.caller, input),
  }),
  revokeInvitation: t.field({
    ...access('members:invite'), type: InvitationRef, args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => revokeInvitation(ctx.deps, ctx.caller, fromGlobalId(id, 'Invitation')),
  }),
  acceptInvitation: t.field({
    ...access('user'), type: OrganizationRef, args: { token: t.arg.string({ required: true }) },
    resolve: (_r, { token }, ctx) => acceptInvitation(ctx.deps, ctx.caller, token),
  }),
}));
