import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { access, requireActiveOrganization } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { MembershipRef, OrganizationRef } from '../../graphql/refs.ts';
import { RoleEnum } from '../../graphql/scalars.ts';
import { PERMISSIONS, roleCan, type Permission } from '../auth/permissions.ts';
import { countMembers, listMembers, type Membership } from '../members/member.service.ts';
import { findOrganization } from './organization.repository.ts';
import { createOrganization, renameOrganization } from './organization.service.ts';


builder.node(OrganizationRef, {
  id: { resolve: (o) => o.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    plan: t.exposeString('plan'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    role: t.field({
      type: RoleEnum,
      description: "The caller's role in this organization",
      resolve: (o, _a, ctx) => o.role ?? ctx.caller.role!,
    }),
    permissions: t.stringList({
      description: "What the caller may do in this organization (keys of the server's permission table), so clients need not copy it",
      resolve: (o, _a, ctx) => {
        const role = o.role ?? ctx.caller.role;
        return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => roleCan(role, p));
      },
    }),
    members: t.connection({
      ...access('members:read'),
      type: MembershipRef,
      resolve: (o, args, ctx) => {
        requireActiveOrganization(ctx, o.id, 'members');
        return resolveCursorConnection({ args, toCursor: (m: Membership) => m.id, defaultSize: 50, maxSize: 200 },
          (page: ResolveCursorConnectionArgs) => listMembers(ctx.deps.db, o.id, page));
      },
    }, {
      fields: (c) => ({
        // `members` only resolves for the active organization, so this is its count.
        totalCount: c.int({ resolve: (_conn, _a, ctx) => countMembers(ctx.deps.db, ctx.caller.organizationId!) }),
      }),
    }),
  }),
});

const CreateOrganizationInput = builder.inputType('CreateOrganizationInput', { fields: (t) => ({ name: t.string({ required: true }) }) });
const RenameOrganizationInput = builder.inputType('RenameOrganizationInput', { fields: (t) => ({ name: t.string({ required: true }) }) });

builder.queryField('organization', (t) => t.field({
  ...access('organization:read'),
  type: OrganizationRef,
  description: 'The active organization (X-Organization-Id, else your first)',
  resolve: async (_r, _a, ctx) => ctx.caller.organization ?? { ...(await findOrganization(ctx.deps.db, ctx.caller.organizationId!))!, role: ctx.caller.role! },
}));

builder.mutationFields((t) => ({
  createOrganization: t.field({
    ...access('user'), type: OrganizationRef, args: { input: t.arg({ type: CreateOrganizationInput, required: true }) },
    resolve: (_r, { input }, ctx) => createOrganization(ctx.deps, ctx.caller, input.name),
  }),
  renameOrganization: t.field({
    ...access('organization:update'), type: OrganizationRef, args: { input: t.arg({ type: RenameOrganizationInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ ...(await renameOrganization(ctx.deps, ctx.caller, input.name)), role: ctx.caller.role! }),
  }),
}));
