import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { fromGlobalId, toGlobalId } from '../../graphql/ids.ts';
import { AgentRef, WorkflowRef } from '../../graphql/refs.ts';
import { lowercaseEnum } from '../../graphql/scalars.ts';
import { roleCan } from '../auth/permissions.ts';
import { ToolRef } from '../providers/provider.schema.ts';
import {
  addedPermissions, approvePluginUpgrade, installPlugin, listInstallations, requireVisibleListing, uninstallPlugin, upgradePlugin, type Installation,
} from './installation.service.ts';
import { findVersion, findVersionById, findVisibleListingByName, listVersions, type Listing, type ListingVersion } from './listing.repository.ts';
import { isInstallable, listCategories, searchListings } from './listing.service.ts';
import { publishPlugin } from './publish.service.ts';
import { hasReviewed, listReviews, reviewPlugin, type Review } from './review.service.ts';
import { installTemplate, type TemplateInstallation } from './template.service.ts';

const PluginKindEnum = lowercaseEnum('PluginKind', ['plugin', 'agent_template', 'workflow_template'] as const);
export const PluginListingRef = builder.objectRef<Listing>('PluginListing');
export const PluginInstallationRef = builder.objectRef<Installation>('PluginInstallation');

/** The active organization's installations, read once per request (listing pages ask per listing). */
const installationsByListing = new WeakMap<Context, Promise<Map<string, Installation>>>();
function installationFor(ctx: Context, listingId: string): Promise<Installation | undefined> {
  let all = installationsByListing.get(ctx);
  if (!all) {
    all = listInstallations(ctx.deps.db, ctx.caller.organizationId!).then((list) => new Map(list.map((i) => [i.listingId, i])));
    installationsByListing.set(ctx, all);
  }
  return all.then((map) => map.get(listingId));
}
const version = (ctx: Context, id: string | null) => (id ? findVersionById(ctx.deps.db, id).then((v) => v ?? null) : null);

const PermissionsRef = builder.objectRef<ListingVersion['manifest']['permissions']>('PluginPermissions').implement({
  fields: (t) => ({
    network: t.exposeStringList('network', { description: 'Hosts the plugin may call (`*.example.com` covers subdomains)' }),
    secrets: t.exposeStringList('secrets', { description: 'Secrets it may put into requests, by name' }),
  }),
});

export const PluginVersionRef = builder.objectRef<ListingVersion>('PluginVersion').implement({
  fields: (t) => ({
    id: t.id({ resolve: (v) => toGlobalId('PluginVersion', v.id) }),
    version: t.exposeString('version'),
    changelog: t.exposeString('changelog'),
    sha256: t.exposeString('sha256', { description: 'Of the canonical manifest JSON, a newline and the bundle' }),
    sizeBytes: t.exposeInt('sizeBytes'),
    signed: t.exposeBoolean('signed'),
    permissions: t.field({ type: PermissionsRef, resolve: (v) => v.manifest.permissions }),
    tools: t.field({
      type: [ToolRef],
      resolve: (v) => (v.manifest.tools ?? []).map((tool) => ({
        name: `${v.listingName}.${tool.name}`, plugin: v.listingName, description: tool.description, inputSchema: tool.inputSchema,
        ...(tool.title ? { title: tool.title } : {}), ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
      })),
    }),
    integration: t.field({ type: 'JSON', nullable: true, description: "The manifest's integration (title and auth), as data", resolve: (v) => v.manifest.integration ?? null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const PluginReviewRef = builder.objectRef<Review>('PluginReview').implement({
  fields: (t) => ({
    id: t.id({ resolve: (r) => toGlobalId('PluginReview', r.id) }),
    rating: t.exposeInt('rating'),
    body: t.exposeString('body'),
    authorName: t.exposeString('authorName'),
    organizationName: t.exposeString('organizationName'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.node(PluginListingRef, {
  id: { resolve: (l) => l.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: PluginKindEnum }),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    categories: t.exposeStringList('categories'),
    priceCents: t.exposeInt('priceCents'),
    installable: t.boolean({ description: 'Paid listings cannot be installed yet (checkout comes with billing)', resolve: isInstallable }),
    featured: t.exposeBoolean('featured'),
    firstParty: t.boolean({ resolve: (l) => l.publisherOrganizationId === null }),
    private: t.boolean({ description: "A custom tool: visible to its organization only", resolve: (l) => l.visibility === 'private' }),
    publisherName: t.exposeString('publisherName'),
    latestVersion: t.field({ type: PluginVersionRef, nullable: true, resolve: (l, _a, ctx) => (l.latestVersion ? findVersion(ctx.deps.db, l.id, l.latestVersion).then((v) => v ?? null) : null) }),
    versions: t.field({ type: [PluginVersionRef], description: 'Newest first', resolve: (l, _a, ctx) => listVersions(ctx.deps.db, l.id) }),
    installCount: t.exposeInt('installCount', { description: 'Organizations that have it installed' }),
    ratingAverage: t.float({ nullable: true, resolve: (l) => (l.ratingCount ? l.ratingSum / l.ratingCount : null) }),
    ratingCount: t.exposeInt('ratingCount'),
    reviews: t.field({ type: [PluginReviewRef], description: 'Newest first (the latest 100)', resolve: (l, _a, ctx) => listReviews(ctx.deps.db, l.id) }),
    installation: t.field({
      type: PluginInstallationRef, nullable: true, description: "The active organization's installation, if any",
      resolve: async (l, _a, ctx) => (await installationFor(ctx, l.id)) ?? null,
    }),
    canReview: t.boolean({
      description: 'Whether the active organization may review it (installed, not reviewed yet, not its own listing)',
      resolve: async (l, _a, ctx) => {
        const orgId = ctx.caller.organizationId!;
        if (!ctx.caller.user || !roleCan(ctx.caller.role, 'plugins:review') || l.publisherOrganizationId === orgId) return false;
        return (await installationFor(ctx, l.id)) !== undefined && !(await hasReviewed(ctx.deps.db, orgId, l.id));
      },
    }),
  }),
});

builder.node(PluginInstallationRef, {
  id: { resolve: (i) => i.id },
  fields: (t) => ({
    listing: t.field({ type: PluginListingRef, resolve: (i, _a, ctx) => requireVisibleListing(ctx.deps.db, i.organizationId, i.listingId) }),
    version: t.field({ type: PluginVersionRef, description: 'The version it runs (pinned)', resolve: async (i, _a, ctx) => (await findVersionById(ctx.deps.db, i.versionId))! }),
    pendingVersion: t.field({
      type: PluginVersionRef, nullable: true, description: "An upgrade that asks for more permissions, waiting for an admin's consent",
      resolve: (i, _a, ctx) => version(ctx, i.pendingVersionId),
    }),
    addedPermissions: t.stringList({
      description: 'What the pending version may do beyond the pinned one (e.g. "network host api.slack.com"); empty without one',
      resolve: async (i, _a, ctx) => {
        if (!i.pendingVersionId) return [];
        const [pinned, pending] = await Promise.all([findVersionById(ctx.deps.db, i.versionId), findVersionById(ctx.deps.db, i.pendingVersionId)]);
        return addedPermissions(pinned!, pending!);
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const TemplateInstallationRef = builder.objectRef<TemplateInstallation>('TemplateInstallation').implement({
  fields: (t) => ({
    installation: t.expose('installation', { type: PluginInstallationRef }),
    agents: t.expose('agents', { type: [AgentRef] }),
    workflow: t.expose('workflow', { type: WorkflowRef, nullable: true }),
  }),
});

const PublishPluginInput = builder.inputType('PublishPluginInput', {
  fields: (t) => ({
    document: t.field({ type: 'JSON', required: true, description: 'The packed plugin (format agentflow-plugin@1), as `agentflow-plugin pack` writes it' }),
    priceCents: t.int({ description: 'Price in cents; 0 is free. Omitted: unchanged (0 for a new listing)' }),
  }),
});
const InstallPluginInput = builder.inputType('InstallPluginInput', {
  fields: (t) => ({ listingId: t.id({ required: true }), version: t.string({ description: 'Default: the latest' }) }),
});
const UpgradePluginInput = builder.inputType('UpgradePluginInput', {
  fields: (t) => ({ installationId: t.id({ required: true }), version: t.string({ description: 'Default: the latest' }) }),
});
const ReviewPluginInput = builder.inputType('ReviewPluginInput', {
  fields: (t) => ({ listingId: t.id({ required: true }), rating: t.int({ required: true, description: '1 to 5' }), body: t.string({ description: 'At most 5000 characters' }) }),
});
const InstallTemplateInput = builder.inputType('InstallTemplateInput', {
  fields: (t) => ({ listingId: t.id({ required: true }), model: t.string({ description: "Used instead of the template agents' model (e.g. simulated)" }) }),
});

const listingId = (id: string) => fromGlobalId(id, 'PluginListing');
const installationId = (id: string) => fromGlobalId(id, 'PluginInstallation');

builder.queryFields((t) => ({
  marketplaceListings: t.connection({
    ...access('plugins:read'),
    type: PluginListingRef,
    args: {
      search: t.arg.string({ description: 'Full-text (web search syntax: "quoted phrases", -excluded, or)' }),
      kind: t.arg({ type: PluginKindEnum }),
      category: t.arg.string(),
      featured: t.arg.boolean(),
    },
    description: "Public listings and the organization's private ones: best match first, then most installed",
    resolve: (_r, args, ctx) => resolveCursorConnection({ args, toCursor: (l: Listing) => l.id, defaultSize: 24, maxSize: 100 },
      (page: ResolveCursorConnectionArgs) => searchListings(ctx.deps.db, ctx.caller.organizationId!, args, page)),
  }, { name: 'PluginListingConnection' }, { name: 'PluginListingEdge' }),
  marketplaceListing: t.field({
    ...access('plugins:read'), type: PluginListingRef, nullable: true, args: { name: t.arg.string({ required: true }) },
    description: "Another organization's private listing is null",
    resolve: async (_r, { name }, ctx) => (await findVisibleListingByName(ctx.deps.db, ctx.caller.organizationId!, name)) ?? null,
  }),
  marketplaceCategories: t.stringList({ ...access('plugins:read'), resolve: (_r, _a, ctx) => listCategories(ctx.deps.db, ctx.caller.organizationId!) }),
  pluginInstallations: t.field({
    ...access('plugins:read'), type: [PluginInstallationRef], description: 'Of the active organization, oldest first',
    resolve: (_r, _a, ctx) => listInstallations(ctx.deps.db, ctx.caller.organizationId!),
  }),
}));

builder.mutationFields((t) => ({
  publishPlugin: t.field({
    ...access('plugins:publish'), type: PluginVersionRef, args: { input: t.arg({ type: PublishPluginInput, required: true }) },
    description: "A new version; the first creates the listing, owned by the active organization",
    resolve: (_r, { input }, ctx) => publishPlugin(ctx.deps, ctx.caller, input),
  }),
  installPlugin: t.field({
    ...access('plugins:manage'), type: PluginInstallationRef, args: { input: t.arg({ type: InstallPluginInput, required: true }) },
    resolve: (_r, { input }, ctx) => installPlugin(ctx.deps, ctx.caller, { listingId: listingId(String(input.listingId)), version: input.version }),
  }),
  upgradePlugin: t.field({
    ...access('plugins:manage'), type: PluginInstallationRef, args: { input: t.arg({ type: UpgradePluginInput, required: true }) },
    description: 'A version asking for more permissions stays pending (pendingVersion) until approvePluginUpgrade',
    resolve: (_r, { input }, ctx) => upgradePlugin(ctx.deps, ctx.caller, { installationId: installationId(String(input.installationId)), version: input.version }),
  }),
  approvePluginUpgrade: t.field({
    ...access('plugins:manage'), type: PluginInstallationRef, args: { installationId: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => approvePluginUpgrade(ctx.deps, ctx.caller, installationId(args.installationId)),
  }),
  uninstallPlugin: t.field({
    ...access('plugins:manage'), type: 'ID', args: { installationId: t.arg.id({ required: true }) },
    description: "Refused while an active workflow or an agent uses its tools; returns the installation's ID",
    resolve: async (_r, args, ctx) => toGlobalId('PluginInstallation', await uninstallPlugin(ctx.deps, ctx.caller, installationId(args.installationId))),
  }),
  reviewPlugin: t.field({
    ...access('plugins:review', { peopleOnly: true }), type: PluginReviewRef, args: { input: t.arg({ type: ReviewPluginInput, required: true }) },
    description: 'One review per organization, by organizations that installed it',
    resolve: (_r, { input }, ctx) => reviewPlugin(ctx.deps, ctx.caller, { listingId: listingId(String(input.listingId)), rating: input.rating, body: input.body }),
  }),
  installTemplate: t.field({
    ...access('plugins:manage'), type: TemplateInstallationRef, args: { input: t.arg({ type: InstallTemplateInput, required: true }) },
    description: 'Creates the template\'s agents and (as a draft) its workflow in the active organization',
    resolve: (_r, { input }, ctx) => installTemplate(ctx.deps, ctx.caller, { listingId: listingId(String(input.listingId)), model: input.model }),
  }),
}));
