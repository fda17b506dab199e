import type { PluginKind, PluginManifest } from '@agentflow/plugin-sdk';
import type { Executor } from '../../db/database.ts';

/** A plugin or template an organization has installed, at its pinned version. */
export interface InstalledPlugin {
  installationId: string;
  listingId: string;
  name: string;
  kind: PluginKind;
  versionId: string;
  version: string;
  manifest: PluginManifest;
  sha256: string;
}

function installations(db: Executor, organizationId: string) {
  return db.selectFrom('plugin_installations as i')
    .innerJoin('plugin_listings as l', 'l.id', 'i.listing_id')
    .innerJoin('plugin_versions as v', 'v.id', 'i.version_id')
    .select(['i.id as installationId', 'l.id as listingId', 'l.name', 'l.kind', 'v.id as versionId', 'v.version', 'v.manifest', 'v.sha256'])
    .where('i.organization_id', '=', organizationId);
}

const toInstalled = (row: { installationId: string; listingId: string; name: string; kind: PluginKind; versionId: string; version: string; manifest: unknown; sha256: string }): InstalledPlugin =>
  ({ ...row, manifest: row.manifest as PluginManifest });

/** Every installation of the organization, by name. */
export async function installedPlugins(db: Executor, organizationId: string): Promise<InstalledPlugin[]> {
  const rows = await installations(db, organizationId).orderBy('l.name').execute();
  return rows.map(toInstalled);
}

export async function installedPlugin(db: Executor, organizationId: string, name: string): Promise<InstalledPlugin | undefined> {
  const row = await installations(db, organizationId).where('l.name', '=', name).executeTakeFirst();
  return row && toInstalled(row);
}

/** The bundled code of a version (kept out of the listings above: it can be large). */
export async function pluginBundle(db: Executor, versionId: string): Promise<string> {
  const row = await db.selectFrom('plugin_versions').select('bundle').where('id', '=', versionId).executeTakeFirstOrThrow();
  return row.bundle;
}
