import { access, requireActiveOrganization } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { OrganizationRef } from '../../graphql/refs.ts';
import { lowercaseEnum } from '../../graphql/scalars.ts';
import { MODELS, PRICES_AS_OF, pricedAt, type CatalogModel } from '../../llm/catalog.ts';
import { availableProviders } from '../../llm/credentials.ts';
import { organizationTools, toolDepsOf } from '../plugins/plugin-tools.ts';
import type { Tool } from '../../llm/tools/types.ts';
import { providerKeyStatuses, removeProviderKey, setProviderKey, type ProviderKeyStatus } from './provider-key.service.ts';

export const LlmProviderEnum = lowercaseEnum('LlmProvider', ['anthropic', 'openai', 'gemini', 'openai_compatible', 'simulated'] as const);
const ModelTierEnum = lowercaseEnum('ModelTier', ['fast', 'strong'] as const);
const KeySourceEnum = lowercaseEnum('ProviderKeySource', ['organization', 'environment', 'none'] as const);

const ModelRef = builder.objectRef<CatalogModel & { available: boolean }>('Model').implement({
  description: 'A model of the dated catalog, with its context size and prices',
  fields: (t) => ({
    id: t.exposeString('id'),
    provider: t.expose('provider', { type: LlmProviderEnum }),
    displayName: t.exposeString('displayName'),
    contextWindow: t.exposeInt('contextWindow', { description: 'Tokens' }),
    inputPricePerMTokUsd: t.exposeFloat('inputPerMTok'),
    outputPricePerMTokUsd: t.exposeFloat('outputPerMTok'),
    cachedInputPricePerMTokUsd: t.exposeFloat('cachedInputPerMTok'),
    tier: t.expose('tier', { type: ModelTierEnum }),
    available: t.exposeBoolean('available', { description: 'A key for its provider is configured (by the organization or the server)' }),
    pricesAsOf: t.string({ resolve: () => PRICES_AS_OF }),
  }),
});

/** A tool as agents and workflow nodes name it; shared by the plugin and integration schemas. */
export const ToolRef = builder.objectRef<Omit<Tool, 'run'>>('ToolDefinition').implement({
  fields: (t) => ({
    id: t.string({ description: 'What agents and tool nodes name: a built-in name, or <plugin>.<tool>', resolve: (tool) => tool.name }),
    name: t.exposeString('name', { description: 'The same as id (kept for older clients)' }),
    title: t.string({ nullable: true, resolve: (tool) => tool.title ?? null }),
    plugin: t.string({ nullable: true, description: 'The plugin providing it; null for built-ins', resolve: (tool) => tool.plugin ?? null }),
    description: t.exposeString('description'),
    inputSchema: t.field({ type: 'JSON', resolve: (tool) => tool.inputSchema }),
    outputSchema: t.field({ type: 'JSON', nullable: true, resolve: (tool) => tool.outputSchema ?? null }),
  }),
});

const ProviderKeyRef = builder.objectRef<ProviderKeyStatus>('ProviderKey').implement({
  description: "Where a provider's key comes from; the key itself is never returned",
  fields: (t) => ({
    provider: t.expose('provider', { type: LlmProviderEnum }),
    source: t.expose('source', { type: KeySourceEnum }),
    keyHint: t.exposeString('keyHint', { nullable: true, description: 'The last characters of an organization key' }),
    baseUrl: t.exposeString('baseUrl', { nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

const SetProviderKeyInput = builder.inputType('SetProviderKeyInput', {
  fields: (t) => ({
    provider: t.field({ type: LlmProviderEnum, required: true }),
    apiKey: t.string(),
    baseUrl: t.string({ description: 'For OpenAI-compatible servers (Ollama, vLLM, LM Studio) or a proxy' }),
  }),
});

builder.queryFields((t) => ({
  models: t.field({
    ...access('agents:read'), type: [ModelRef],
    resolve: async (_r, _a, ctx) => {
      const available = await availableProviders({ db: ctx.deps.db, llm: ctx.deps.config.llm }, ctx.caller.organizationId!);
      return MODELS.map((m) => ({ ...pricedAt(m), available: available.has(m.provider) }));
    },
  }),
  tools: t.field({
    ...access('agents:read'), type: [ToolRef], description: "Tools agents can enable: the built-in ones and the organization's installed plugins' tools",
    resolve: async (_r, _a, ctx) => [...(await organizationTools(toolDepsOf(ctx.deps), ctx.caller.organizationId!)).values()],
  }),
}));

builder.objectField(OrganizationRef, 'providerKeys', (t) => t.field({
  ...access('providerKeys:manage'),
  type: [ProviderKeyRef],
  resolve: (o, _a, ctx) => {
    requireActiveOrganization(ctx, o.id, 'model provider keys');
    return providerKeyStatuses(ctx.deps, o.id);
  },
}));

builder.mutationFields((t) => ({
  setProviderKey: t.field({
    ...access('providerKeys:manage', { peopleOnly: true }), type: ProviderKeyRef, args: { input: t.arg({ type: SetProviderKeyInput, required: true }) },
    description: "Stores the organization's own key, encrypted; calls to that provider use it instead of the server's",
    resolve: (_r, { input }, ctx) => setProviderKey(ctx.deps, ctx.caller, input),
  }),
  removeProviderKey: t.field({
    ...access('providerKeys:manage', { peopleOnly: true }), type: ProviderKeyRef, args: { provider: t.arg({ type: LlmProviderEnum, required: true }) },
    resolve: (_r, { provider }, ctx) => removeProviderKey(ctx.deps, ctx.caller, provider),
  }),
}));
