import { permissionsGrew } from '@agentflow/plugin-sdk/manifest';
import { CORE_PLUGIN } from '../plugins/plugin-tools.ts';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { AppError, badInput, conflict, ErrorCode, isUniqueViolation, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/keys.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { findVersion, findVersionById, findVisibleListing, type Listing, type ListingVersion } from './listing.repository.ts';
import { isInstallable, PAID_NOT_INSTALLABLE } from './listing.service.ts';
import { compareSemver } from './semver.ts';

export interface Installation {
  id: string;
  organizationId: string;
  listingId: string;
  versionId: string;
  pendingVersionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type Row = { id: string; organization_id: string; listing_id: string; version_id: string; pending_version_id: string | null; created_at: Date; updated_at: Date };
const toInstallation = (r: Row): Installation => ({
  id: r.id, organizationId: r.organization_id, listingId: r.listing_id, versionId: r.version_id, pendingVersionId: r.pending_version_id, createdAt: r.created_at, updatedAt: r.updated_at,
});
const COLUMNS = ['id', 'organization_id', 'listing_id', 'version_id', 'pending_version_id', 'created_at', 'updated_at'] as const;

export async function findInstallation(db: Executor, organizationId: string, id: string): Promise<Installation | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('plugin_installations').select(COLUMNS).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return row && toInstallation(row);
}

/** The organization's installation of a listing, if any. */
export async function installationOf(db: Executor, organizationId: string, listingId: string): Promise<Installation | undefined> {
  const row = await db.selectFrom('plugin_installations').select(COLUMNS).where('organization_id', '=', organizationId).where('listing_id', '=', listingId).executeTakeFirst();
  return row && toInstallation(row);
}

export async function listInstallations(db: Executor, organizationId: string): Promise<Installation[]> {
  const rows = await db.selectFrom('plugin_installations').select(COLUMNS).where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toInstallation);
}

async function lockInstallation(trx: Executor, organizationId: string, id: string): Promise<Installation> {
  if (!isUuid(id)) throw notFound('Installation');
  const row = await trx.selectFrom('plugin_installations').select(COLUMNS).where('organization_id', '=', organizationId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound('Installation');
  return toInstallation(row);
}

/** A listing the organization can see, or NOT_FOUND (another organization's private one included). */
export async function requireVisibleListing(db: Executor, organizationId: string, id: string): Promise<Listing> {
  const listing = await findVisibleListing(db, organizationId, id);
  if (!listing) throw notFound('Listing');
  return listing;
}

/** The given version of a listing, or its latest. */
export async function resolveVersion(db: Executor, listing: Listing, version?: string | null): Promise<ListingVersion> {
  const wanted = version?.trim() || listing.latestVersion;
  const found = wanted ? await findVersion(db, listing.id, wanted) : undefined;
  if (!found) throw notFound(version ? `Version ${version} of ${listing.name}` : `A published version of ${listing.name}`);
  return found;
}

export function assertInstallable(listing: Listing): void {
  if (!isInstallable(listing)) throw new AppError(ErrorCode.FORBIDDEN, PAID_NOT_INSTALLABLE, { details: { priceCents: listing.priceCents } });
}

/**
 * What `next` may do that `current` could not (hosts, secrets, OAuth scopes), in words such as
 * "network host api.slack.com": what an admin consents to before an upgrade applies.
 */
export const addedPermissions = (current: ListingVersion, next: ListingVersion): string[] => permissionsGrew(current.manifest, next.manifest);

/**
 * Pins the organization's installation of a listing to a version, creating it (and counting the
 * install) when there is none. Exported for templates and custom tools, which install their own
 * listing without the consent step.
 */
export async function pinInstallation(trx: Executor, caller: Caller, listing: Listing, version: ListingVersion): Promise<{ installation: Installation; created: boolean }> {
  const orgId = caller.organizationId!;
  const existing = await trx.selectFrom('plugin_installations').select(COLUMNS).where('organization_id', '=', orgId).where('listing_id', '=', listing.id).forUpdate().executeTakeFirst();
  if (existing) {
    const row = await trx.updateTable('plugin_installations').set({ version_id: version.id, pending_version_id: null, updated_at: new Date() })
      .where('id', '=', existing.id).returning(COLUMNS).executeTakeFirstOrThrow();
    return { installation: toInstallation(row), created: false };
  }
  const row = await trx.insertInto('plugin_installations').values({ organization_id: orgId, listing_id: listing.id, version_id: version.id, installed_by: caller.user?.id ?? null })
    .returning(COLUMNS).executeTakeFirstOrThrow();
  await trx.updateTable('plugin_listings').set({ install_count: sql`install_count + 1` }).where('id', '=', listing.id).execute();
  return { installation: toInstallation(row), created: true };
}

export async function installPlugin(deps: Deps, caller: Caller, input: { listingId: string; version?: string | null }): Promise<Installation> {
  const orgId = caller.organizationId!;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const listing = await requireVisibleListing(trx, orgId, input.listingId);
      if (listing.kind !== 'plugin') throw badInput(`${listing.name} is a template: install it with installTemplate, which creates its agents and workflow`);
      if (listing.name === CORE_PLUGIN && listing.publisherOrganizationId === null) throw conflict('Core tools are built in: every organization has them at their latest version');
      assertInstallable(listing);
      const version = await resolveVersion(trx, listing, input.version);
      if (await installationOf(trx, orgId, listing.id)) throw conflict(`${listing.name} is already installed: use upgradePlugin to change its version`);
      const { installation } = await pinInstallation(trx, caller, listing, version);
      await writeAudit(trx, caller, { organizationId: orgId, action: 'plugin.install', targetType: 'PluginInstallation', targetId: installation.id, details: { name: listing.name, version: version.version } });
      return installation;
    });
  } catch (err) {
    // Two installs at once: the unique (organization, listing) index lets one through.
    if (isUniqueViolation(err)) throw conflict('This plugin is already installed: use upgradePlugin to change its version');
    throw err;
  }
}

/**
 * Moves an installation up to a newer version (the latest, or the one given). A version that asks
 * for more permissions (hosts or secrets) does not apply: it waits in `pendingVersion` until an
 * admin approves it, and the installation keeps running the version it is pinned to.
 */
export async function upgradePlugin(deps: Deps, caller: Caller, input: { installationId: string; version?: string | null }): Promise<Installation> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockInstallation(trx, orgId, input.installationId);
    const listing = await requireVisibleListing(trx, orgId, current.listingId);
    if (listing.kind !== 'plugin') throw badInput(`${listing.name} is a template: its agents and workflow were copied when installed; install it again to get a newer version`);
    // A listing that became paid cannot be upgraded into either: that is buying it.
    assertInstallable(listing);
    const pinned = (await findVersionById(trx, current.versionId))!;
    const target = await resolveVersion(trx, listing, input.version);
    if (compareSemver(target.version, pinned.version) <= 0) {
      throw conflict(target.version === pinned.version ? `${listing.name} is already at ${pinned.version}` : `${target.version} is older than the installed ${pinned.version}: upgrades only go up`);
    }
    const added = addedPermissions(pinned, target);
    const pending = added.length > 0;
    const row = await trx.updateTable('plugin_installations')
      .set(pending ? { pending_version_id: target.id, updated_at: new Date() } : { version_id: target.id, pending_version_id: null, updated_at: new Date() })
      .where('id', '=', current.id).returning(COLUMNS).executeTakeFirstOrThrow();
    await writeAudit(trx, caller, {
      organizationId: orgId, action: pending ? 'plugin.upgrade_pending' : 'plugin.upgrade', targetType: 'PluginInstallation', targetId: current.id,
      details: { name: listing.name, from: pinned.version, to: target.version, ...(pending ? { addedPermissions: added } : {}) },
    });
    return toInstallation(row);
  });
}

/** An admin's consent to the permissions a pending version asks for: the installation moves to it. */
export async function approvePluginUpgrade(deps: Deps, caller: Caller, installationId: string): Promise<Installation> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockInstallation(trx, orgId, installationId);
    if (!current.pendingVersionId) throw conflict('No upgrade of this plugin is waiting for consent');
    assertInstallable(await requireVisibleListing(trx, orgId, current.listingId));
    const [pinned, pending] = await Promise.all([findVersionById(trx, current.versionId), findVersionById(trx, current.pendingVersionId)]);
    const row = await trx.updateTable('plugin_installations').set({ version_id: current.pendingVersionId, pending_version_id: null, updated_at: new Date() })
      .where('id', '=', current.id).returning(COLUMNS).executeTakeFirstOrThrow();
    await writeAudit(trx, caller, {
      organizationId: orgId, action: 'plugin.upgrade_approve', targetType: 'PluginInstallation', targetId: current.id,
      details: { name: pending!.listingName, from: pinned!.version, to: pending!.version, grantedPermissions: addedPermissions(pinned!, pending!) },
    });
    return toInstallation(row);
  });
}

/**
 * Removes an installation. Refused (CONFLICT, naming them) while an active workflow's tool node
 * or a non-archived agent uses one of its tools: removing it would break them at run time.
 * Draft workflows may keep the tool: activating one validates its tools again, and says so.
 */
export async function uninstallPlugin(deps: Deps, caller: Caller, installationId: string): Promise<string> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockInstallation(trx, orgId, installationId);
    const version = (await findVersionById(trx, current.versionId))!;
    const toolIds = (version.manifest.tools ?? []).map((t) => `${version.listingName}.${t.name}`);
    if (toolIds.length) await assertToolsUnused(trx, orgId, version.listingName, toolIds);
    await trx.deleteFrom('plugin_installations').where('id', '=', current.id).execute();
    await trx.updateTable('plugin_listings').set({ install_count: sql`greatest(install_count - 1, 0)` }).where('id', '=', current.listingId).execute();
    await writeAudit(trx, caller, { organizationId: orgId, action: 'plugin.uninstall', targetType: 'PluginInstallation', targetId: current.id, details: { name: version.listingName, version: version.version } });
    return current.id;
  });
}

async function assertToolsUnused(trx: Executor, organizationId: string, plugin: string, toolIds: string[]): Promise<void> {
  const workflows = await trx.selectFrom('workflows').select('name').where('organization_id', '=', organizationId).where('status', '=', 'active')
    .where(sql<boolean>`EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(definition->'nodes') = 'array' THEN definition->'nodes' ELSE '[]'::jsonb END) n
      WHERE n->>'type' = 'tool' AND n->'config'->>'tool' = ANY(${toolIds}::text[]))`)
    .orderBy('name').limit(5).execute();
  const agents = await trx.selectFrom('agents').select('name').where('organization_id', '=', organizationId).where('status', '!=', 'archived')
    .where(sql<boolean>`tools && ${toolIds}::text[]`).orderBy('name').limit(5).execute();
  if (!workflows.length && !agents.length) return;
  const users = [...workflows.map((w) => `workflow "${w.name}"`), ...agents.map((a) => `agent "${a.name}"`)];
  throw new AppError(ErrorCode.CONFLICT, `${plugin} cannot be uninstalled while ${users.join(', ')} use${users.length === 1 ? 's' : ''} its tools: remove them from ${users.length === 1 ? 'it' : 'them'} first (or archive ${users.length === 1 ? 'it' : 'them'})`, {
    details: { workflows: workflows.map((w) => w.name), agents: agents.map((a) => a.name) },
  });
}
