import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { fromGlobalId, toGlobalId } from '../../graphql/ids.ts';
import { lowercaseEnum } from '../../graphql/scalars.ts';
import { ToolRef } from '../providers/provider.schema.ts';
import type { Integration, IntegrationStatus } from './integration.repository.ts';
import { listIntegrations } from './integration.repository.ts';
import {
  createIntegration, deleteIntegration, disconnectIntegration, integrationActions, testIntegration, type IntegrationTestResult,
} from './integration.service.ts';
import { connectIntegration } from './oauth.service.ts';

const IntegrationAuthTypeEnum = builder.enumType('IntegrationAuthType', {
  values: { OAUTH2: { value: 'oauth2' as const }, API_KEY: { value: 'apiKey' as const } },
});
const IntegrationStatusEnum = lowercaseEnum('IntegrationStatus', ['connected', 'error', 'disconnected'] as const satisfies readonly IntegrationStatus[]);

export const IntegrationRef = builder.objectRef<Integration>('Integration');

builder.node(IntegrationRef, {
  id: { resolve: (i) => i.id },
  description: "An organization's credentials for the service a plugin talks to; the credentials themselves are never returned",
  fields: (t) => ({
    pluginName: t.exposeString('pluginName'),
    name: t.exposeString('name'),
    authType: t.expose('authType', { type: IntegrationAuthTypeEnum }),
    status: t.expose('status', { type: IntegrationStatusEnum }),
    statusMessage: t.exposeString('statusMessage', { nullable: true, description: 'Why the status is ERROR (or what the last check said)' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'When a tool last used the credentials (to the minute)' }),
    tokenExpiresAt: t.expose('tokenExpiresAt', { type: 'DateTime', nullable: true, description: 'OAuth 2.0: when the access token expires (it is refreshed before use)' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const IntegrationConnectRef = builder.objectRef<{ authorizeUrl: string }>('IntegrationConnect').implement({
  fields: (t) => ({
    authorizeUrl: t.exposeString('authorizeUrl', { description: "The provider's consent page: open it in the browser; it comes back to /oauth/callback (valid 10 minutes, once)" }),
  }),
});

const IntegrationTestRef = builder.objectRef<IntegrationTestResult>('IntegrationTest').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    message: t.exposeString('message'),
    integration: t.expose('integration', { type: IntegrationRef }),
  }),
});

const CreateIntegrationInput = builder.inputType('CreateIntegrationInput', {
  fields: (t) => ({
    pluginName: t.string({ required: true, description: 'An installed plugin whose manifest declares an integration' }),
    name: t.string({ required: true, description: 'Unique in the organization' }),
    apiKey: t.field({ type: 'JSON', description: 'API key plugins: an object with exactly the fields the manifest lists, e.g. { "token": "..." }' }),
    oauthClientId: t.string({ description: "OAuth 2.0 plugins: your OAuth app's client id (its redirect URL: <PUBLIC_URL>/oauth/callback)" }),
    oauthClientSecret: t.string({ description: "OAuth 2.0 plugins: your OAuth app's client secret" }),
  }),
});
const ConnectIntegrationInput = builder.inputType('ConnectIntegrationInput', {
  fields: (t) => ({ integrationId: t.id({ required: true }) }),
});

const integrationId = (id: string) => fromGlobalId(id, 'Integration');

builder.queryFields((t) => ({
  integrations: t.field({
    ...access('integrations:read'), type: [IntegrationRef], description: 'Integrations of the active organization, by name',
    resolve: (_r, _a, ctx) => listIntegrations(ctx.deps.db, ctx.caller.organizationId!),
  }),
  integrationActions: t.field({
    ...access('integrations:read'), type: [ToolRef], args: { integrationId: t.arg.id({ required: true }) },
    description: "The actions (tools) of the integration's plugin, as agents and workflow tool nodes name them",
    resolve: (_r, args, ctx) => integrationActions(ctx.deps, ctx.caller.organizationId!, integrationId(args.integrationId)),
  }),
}));

builder.mutationFields((t) => ({
  createIntegration: t.field({
    ...access('integrations:manage'), type: IntegrationRef, args: { input: t.arg({ type: CreateIntegrationInput, required: true }) },
    description: 'API key: saved (and tried at once when the plugin has a test URL). OAuth 2.0: saved DISCONNECTED; then connectIntegration',
    resolve: (_r, { input }, ctx) => createIntegration(ctx.deps, ctx.caller, input),
  }),
  connectIntegration: t.field({
    ...access('integrations:manage'), type: IntegrationConnectRef, args: { input: t.arg({ type: ConnectIntegrationInput, required: true }) },
    description: 'Starts the OAuth 2.0 flow: send the browser to authorizeUrl',
    resolve: (_r, { input }, ctx) => connectIntegration(ctx.deps, ctx.caller, integrationId(String(input.integrationId))),
  }),
  testIntegration: t.field({
    ...access('integrations:manage'), type: IntegrationTestRef, args: { id: t.arg.id({ required: true }) },
    description: "Tries the credentials against the plugin's test URL; the status records the outcome",
    resolve: (_r, { id }, ctx) => testIntegration(ctx.deps, ctx.caller, integrationId(id)),
  }),
  disconnectIntegration: t.field({
    ...access('integrations:manage'), type: IntegrationRef, args: { id: t.arg.id({ required: true }) },
    description: 'Forgets the tokens or key; an OAuth 2.0 integration can be connected again',
    resolve: (_r, { id }, ctx) => disconnectIntegration(ctx.deps, ctx.caller, integrationId(id)),
  }),
  deleteIntegration: t.field({
    ...access('integrations:manage'), type: 'ID', args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => toGlobalId('Integration', await deleteIntegration(ctx.deps, ctx.caller, integrationId(id))),
  }),
}));
