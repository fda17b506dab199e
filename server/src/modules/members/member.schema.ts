import { Repeater } from 'graphql-yoga';
import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { fromGlobalId, toGlobalId } from '../../graphql/ids.ts';
import { MembershipRef, UserRef } from '../../graphql/refs.ts';
import { RoleEnum } from '../../graphql/scalars.ts';
import type { OrganizationEventPayload } from '../../graphql/pubsub.ts';
import { assertStillAllowed } from '../auth/caller.service.ts';
import { changeMemberRole, leaveOrganization, removeMember } from './member.service.ts';

builder.node(MembershipRef, {
  id: { resolve: (m) => m.id },
  fields: (t) => ({
    user: t.expose('user', { type: UserRef }),
    role: t.expose('role', { type: RoleEnum }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
  }),
});

const ChangeMemberRoleInput = builder.inputType('ChangeMemberRoleInput', {
  fields: (t) => ({ membershipId: t.id({ required: true }), role: t.field({ type: RoleEnum, required: true }) }),
});

builder.mutationFields((t) => ({
  changeMemberRole: t.field({
    ...access('members:manage'), type: MembershipRef, args: { input: t.arg({ type: ChangeMemberRoleInput, required: true }) },
    resolve: (_r, { input }, ctx) => changeMemberRole(ctx.deps, ctx.caller, fromGlobalId(input.membershipId, 'Membership'), input.role),
  }),
  removeMember: t.id({
    ...access('members:manage'), args: { membershipId: t.arg.id({ required: true }) },
    description: 'Removes a member of the active organization; returns the removed membership id',
    resolve: async (_r, { membershipId }, ctx) => {
      await removeMember(ctx.deps, ctx.caller, fromGlobalId(membershipId, 'Membership'));
      return membershipId;
    },
  }),
  leaveOrganization: t.id({
    ...access('user'), description: 'Leaves the active organization; returns its id. The last owner cannot leave.',
    resolve: async (_r, _a, ctx) => toGlobalId('Organization', await leaveOrganization(ctx.deps, ctx.caller)),
  }),
}));

const RECHECK_MS = 30_000;

const OrganizationEventType = builder.enumType('OrganizationEventType', {
  values: ['MEMBER_JOINED', 'MEMBER_ROLE_CHANGED', 'MEMBER_REMOVED', 'MEMBER_LEFT', 'ORGANIZATION_RENAMED', 'INVITATION_CREATED'] as const,
});

const OrganizationEventRef = builder.objectRef<OrganizationEventPayload>('OrganizationEvent').implement({
  fields: (t) => ({
    type: t.expose('type', { type: OrganizationEventType }),
    organizationId: t.id({ resolve: (e) => toGlobalId('Organization', e.organizationId) }),
    membershipId: t.id({ nullable: true, resolve: (e) => e.membershipId && toGlobalId('Membership', e.membershipId) }),
    userId: t.id({ nullable: true, resolve: (e) => e.userId && toGlobalId('User', e.userId) }),
    role: t.field({ type: RoleEnum, nullable: true, resolve: (e) => e.role as never }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('organizationEvents', (t) => t.field({
  ...access('members:read'),
  type: OrganizationEventRef,
  description: 'Membership changes of the active organization, from every API process',
  // Access is checked when the subscription starts, again before any event about the
  // subscriber's own membership (so a removed member hears nothing more), and otherwise at most
  // every RECHECK_MS, which bounds the queries to subscribers / 30 s however busy the org is.
  // A Repeater rather than a generator: when the client leaves, the listener ends at once (a
  // generator would only notice at the organization's next event).
  subscribe: (_r, _a, ctx) => {
    const live = ctx.deps.events.pubsub.subscribe(`org:${ctx.caller.organizationId!}`);
    return new Repeater<OrganizationEventPayload>(async (push, stop) => {
      void stop.then(() => live.return());
      let checkedAt = Date.now();
      for await (const event of live) {
        const aboutMe = event.userId !== null && event.userId === ctx.caller.user?.id;
        if (aboutMe || Date.now() - checkedAt > RECHECK_MS) {
          await assertStillAllowed(ctx, 'members:read');
          checkedAt = Date.now();
        }
        await push(event);
      }
      stop();
    });
  },
  resolve: (event) => event,
}));
