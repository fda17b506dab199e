import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { OrganizationRef, UserRef } from '../../graphql/refs.ts';
import { login, register, requestPasswordReset, resetPassword } from './auth.service.ts';
import { logout, refreshSession, type AuthPayload } from './session.service.ts';
import { countUsers } from './user.repository.ts';
import { organizationsOfUser } from '../organizations/organization.repository.ts';

builder.node(UserRef, {
  id: { resolve: (u) => u.id },
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    organizations: t.field({
      type: [OrganizationRef],
      description: "The signed-in user's organizations with their role in each (only on `viewer`)",
      resolve: (u, _args, ctx) => (ctx.caller.user?.id === u.id ? organizationsOfUser(ctx.deps.db, u.id) : []),
    }),
  }),
});

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  fields: (t) => ({
    accessToken: t.exposeString('accessToken'),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
    refreshToken: t.exposeString('refreshToken'),
    user: t.expose('user', { type: UserRef }),
    organization: t.expose('organization', { type: OrganizationRef, nullable: true, description: "The user's first organization, if any" }),
  }),
});

const RegisterInput = builder.inputType('RegisterInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string({ required: true }),
    organizationName: t.string({ description: 'Required unless invitationToken is given' }),
    invitationToken: t.string({ description: 'Join the inviting organization instead of creating one' }),
  }),
});
const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({ email: t.string({ required: true }), password: t.string({ required: true }) }),
});
const ResetPasswordInput = builder.inputType('ResetPasswordInput', {
  fields: (t) => ({ token: t.string({ required: true }), password: t.string({ required: true }) }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    ...access('public'),
    type: UserRef,
    nullable: true,
    description: 'The signed-in user; null when not signed in or when called with an API key',
    resolve: (_root, _args, ctx) => (ctx.caller.user ? { id: ctx.caller.user.id, email: ctx.caller.user.email, name: ctx.caller.user.name } : null),
  }),
  setupRequired: t.boolean({
    ...access('public'),
    description: 'True until the first account exists (the first-run owner sign-up)',
    resolve: async (_root, _args, ctx) => (await countUsers(ctx.deps.db)) === 0,
  }),
}));

builder.mutationFields((t) => ({
  register: t.field({
    ...access('public'), type: AuthPayloadRef, args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: (_r, { input }, ctx) => register(ctx.deps, ctx.caller, input),
  }),
  login: t.field({
    ...access('public'), type: AuthPayloadRef, args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: (_r, { input }, ctx) => login(ctx.deps, ctx.caller, input),
  }),
  refreshSession: t.field({
    ...access('public'), type: AuthPayloadRef, args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_r, { refreshToken }, ctx) => refreshSession(ctx.deps, ctx.caller, refreshToken),
  }),
  logout: t.boolean({
    ...access('user'), description: 'Ends the current session: its access and refresh tokens stop working at once',
    resolve: (_r, _a, ctx) => logout(ctx.deps, ctx.caller),
  }),
  requestPasswordReset: t.boolean({
    ...access('public'), args: { email: t.arg.string({ required: true }) },
    description: 'Always true, whether or not the account exists',
    resolve: (_r, { email }, ctx) => requestPasswordReset(ctx.deps, ctx.caller, email),
  }),
  resetPassword: t.boolean({
    ...access('public'), args: { input: t.arg({ type: ResetPasswordInput, required: true }) },
    resolve: (_r, { input }, ctx) => resetPassword(ctx.deps, ctx.caller, input),
  }),
}));
