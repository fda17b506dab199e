import { access, requireActiveOrganization } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { fromGlobalId } from '../../graphql/ids.ts';
import { ApiKeyRef, OrganizationRef, UserRef } from '../../graphql/refs.ts';
import { RoleEnum } from '../../graphql/scalars.ts';
import { findUserById } from '../auth/user.repository.ts';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from './api-key.service.ts';

builder.node(ApiKeyRef, {
  id: { resolve: (k) => k.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.string({ description: 'The first characters of the key, to recognise it', resolve: (k) => `afk_${k.prefix}` }),
    role: t.expose('role', { type: RoleEnum }),
    createdBy: t.field({ type: UserRef, nullable: true, resolve: (k, _a, ctx) => (k.createdBy ? findUserById(ctx.deps.db, k.createdBy) : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<{ apiKey: ApiKey; secret: string }>('CreateApiKeyPayload').implement({
  fields: (t) => ({
    apiKey: t.expose('apiKey', { type: ApiKeyRef }),
    secret: t.exposeString('secret', { description: 'The key itself: shown once, store it now' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({ name: t.string({ required: true }), role: t.field({ type: RoleEnum, required: true }) }),
});

builder.objectField(OrganizationRef, 'apiKeys', (t) => t.field({
  ...access('apiKeys:manage'),
  type: [ApiKeyRef],
  resolve: (o, _a, ctx) => {
    requireActiveOrganization(ctx, o.id, 'API keys');
    return listApiKeys(ctx.deps.db, o.id);
  },
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    ...access('apiKeys:manage', { peopleOnly: true }), type: CreateApiKeyPayload, args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_r, { input }, ctx) => createApiKey(ctx.deps, ctx.caller, input),
  }),
  revokeApiKey: t.field({
    ...access('apiKeys:manage'), type: ApiKeyRef, args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => revokeApiKey(ctx.deps, ctx.caller, fromGlobalId(id, 'ApiKey')),
  }),
}));
