import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { findVisibleListing, listingsQuery, toListing } from '../marketplace/listing.repository.ts';
import { PluginListingRef, PluginVersionRef } from '../marketplace/marketplace.schema.ts';
import { pluginBundle } from '../plugins/installed-plugins.ts';
import { scriptSource } from '../plugins/script-bundle.ts';
import { saveCustomTool, testCustomTool, type ToolTestResult } from './custom-tool.service.ts';

const PluginLogRef = builder.objectRef<ToolTestResult['logs'][number]>('PluginLog').implement({
  description: 'A line a plugin call logged (ctx.log or console)',
  fields: (t) => ({
    level: t.string({ resolve: (l) => l.level }),
    message: t.exposeString('message'),
    data: t.field({ type: 'JSON', nullable: true, resolve: (l) => l.data ?? null }),
    at: t.field({ type: 'DateTime', resolve: (l) => new Date(l.at) }),
  }),
});

const ToolTestResultRef = builder.objectRef<ToolTestResult>('ToolTestResult').implement({
  description: 'One call of a draft tool in the sandbox',
  fields: (t) => ({
    ok: t.boolean({ resolve: (r) => r.ok }),
    output: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.output }),
    error: t.exposeString('error', { nullable: true }),
    errorCode: t.string({ nullable: true, description: 'INVALID_INPUT, TIMEOUT, MEMORY_LIMIT, THROWN, …', resolve: (r) => r.errorCode }),
    logs: t.field({ type: [PluginLogRef], resolve: (r) => r.logs }),
    durationMs: t.float({ resolve: (r) => r.durationMs }),
  }),
});

const SaveCustomToolInput = builder.inputType('SaveCustomToolInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'lowercase, digits and _; the tool id becomes custom-<name>.<name> (with - for _ in the plugin name)' }),
    description: t.string({ required: true, description: 'What the model reads to decide when to call it' }),
    inputSchema: t.field({ type: 'JSON', required: true, description: 'JSON Schema of the input (an object)' }),
    code: t.string({ required: true, description: 'JavaScript defining async function run(input, ctx)' }),
    network: t.stringList({ description: 'Hosts ctx.fetch may reach (https)' }),
  }),
});

const TestCustomToolInput = builder.inputType('TestCustomToolInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: true }),
    inputSchema: t.field({ type: 'JSON', required: true }),
    code: t.string({ required: true }),
    network: t.stringList(),
    input: t.field({ type: 'JSON', required: true, description: 'Sample input, validated against inputSchema' }),
  }),
});

builder.queryField('customTools', (t) => t.field({
  ...access('plugins:read'), type: [PluginListingRef], description: "The organization's custom tools (its private plugins)",
  resolve: async (_r, _a, ctx) => {
    const rows = await listingsQuery(ctx.deps.db).where('l.visibility', '=', 'private')
      .where('l.publisher_organization_id', '=', ctx.caller.organizationId!).orderBy('l.name').execute();
    return rows.map(toListing);
  },
}));

builder.mutationFields((t) => ({
  testCustomTool: t.field({
    ...access('customTools:manage'), type: ToolTestResultRef, args: { input: t.arg({ type: TestCustomToolInput, required: true }) },
    description: 'Runs a draft tool against sample input in the sandbox; nothing is saved',
    resolve: (_r, { input }, ctx) => testCustomTool(ctx.deps, ctx.caller, { ...input, network: input.network ?? [] }),
  }),
  saveCustomTool: t.field({
    ...access('customTools:manage'), type: PluginListingRef, args: { input: t.arg({ type: SaveCustomToolInput, required: true }) },
    description: "Saves the tool as the organization's private plugin (the next patch version) and installs it",
    resolve: async (_r, { input }, ctx) => {
      const id = await saveCustomTool(ctx.deps, ctx.caller, { ...input, network: input.network ?? [] });
      return (await findVisibleListing(ctx.deps.db, ctx.caller.organizationId!, id))!;
    },
  }),
}));

builder.objectField(PluginVersionRef, 'customToolCode', (t) => t.string({
  nullable: true,
  description: "A custom tool's JavaScript, for editing it: only for the organization's own custom tools (null otherwise)",
  resolve: async (version, _a, ctx) => {
    const listing = await ctx.deps.db.selectFrom('plugin_listings').select(['visibility', 'publisher_organization_id'])
      .where('id', '=', version.listingId).executeTakeFirst();
    if (listing?.visibility !== 'private' || listing.publisher_organization_id !== ctx.caller.organizationId) return null;
    return scriptSource(await pluginBundle(ctx.deps.db, version.id), version.manifest.tools[0]?.name ?? '');
  },
}));
