import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { roleCan, type Permission } from '../modules/auth/permissions.ts';
import type { Context } from './context.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { public: boolean; user: boolean; permission: Permission };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      public: true,
      user: ctx.caller.user !== null,
      permission: (p) => roleCan(ctx.caller.role, p),
    }),
    unauthorizedError: (_parent, ctx) => ctx.caller.user || ctx.caller.apiKey
      ? new AppError(ErrorCode.FORBIDDEN, 'You do not have permission to do this')
      : new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to continue'),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // node/nodes are defined by us so every lookup is scoped to the caller's organization.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
