import type { PluginKind, PluginManifest } from '@agentflow/plugin-sdk';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isUuid } from '../../lib/keys.ts';

/** A marketplace listing: global, published by an organization or (publisher null) by AgentFlow. */
export interface Listing {
  id: string;
  name: string;
  publisherOrganizationId: string | null;
  publisherName: string;
  kind: PluginKind;
  visibility: 'public' | 'private';
  title: string;
  description: string;
  categories: string[];
  priceCents: number;
  featured: boolean;
  signingPublicKey: string | null;
  latestVersion: string | null;
  installCount: number;
  ratingCount: number;
  ratingSum: number;
  createdAt: Date;
  updatedAt: Date;
}

/** An immutable published version, without its bundle (read only when a tool runs). */
export interface ListingVersion {
  id: string;
  listingId: string;
  listingName: string;
  version: string;
  manifest: PluginManifest;
  sha256: string;
  signed: boolean;
  changelog: string;
  sizeBytes: number;
  createdAt: Date;
}

/** What first-party listings show as their publisher. */
export const FIRST_PARTY_PUBLISHER = 'AgentFlow';

export function listingsQuery(db: Executor) {
  return db.selectFrom('plugin_listings as l')
    .leftJoin('organizations as o', 'o.id', 'l.publisher_organization_id')
    .select([
      'l.id', 'l.name', 'l.publisher_organization_id', 'o.name as publisher_name', 'l.kind', 'l.visibility', 'l.title', 'l.description',
      'l.categories', 'l.price_cents', 'l.featured', 'l.signing_public_key', 'l.latest_version', 'l.install_count', 'l.rating_count',
      'l.rating_sum', 'l.created_at', 'l.updated_at',
    ]);
}

type ListingRow = Awaited<ReturnType<ReturnType<typeof listingsQuery>['executeTakeFirstOrThrow']>>;
export const toListing = (r: ListingRow): Listing => ({
  id: r.id, name: r.name, publisherOrganizationId: r.publisher_organization_id, publisherName: r.publisher_name ?? FIRST_PARTY_PUBLISHER,
  kind: r.kind, visibility: r.visibility, title: r.title, description: r.description, categories: r.categories, priceCents: r.price_cents,
  featured: r.featured, signingPublicKey: r.signing_public_key, latestVersion: r.latest_version, installCount: r.install_count,
  ratingCount: r.rating_count, ratingSum: r.rating_sum, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Public listings, and the private ones (custom tools) of the given organization. */
export const visibleTo = (organizationId: string) => sql<boolean>`(l.visibility = 'public' OR l.publisher_organization_id = ${organizationId})`;

export async function findVisibleListing(db: Executor, organizationId: string, id: string): Promise<Listing | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await listingsQuery(db).where('l.id', '=', id).where(visibleTo(organizationId)).executeTakeFirst();
  return row && toListing(row);
}

export async function findVisibleListingByName(db: Executor, organizationId: string, name: string): Promise<Listing | undefined> {
  // A private name is the organization's own; a public one is global (the two never share a name).
  const row = await listingsQuery(db).where('l.name', '=', name).where(visibleTo(organizationId)).executeTakeFirst();
  return row && toListing(row);
}

/** The listing a publish of `name` would add to, locked for the publishing transaction. */
export async function lockListingForPublish(trx: Executor, name: string, visibility: 'public' | 'private', organizationId: string | null): Promise<Listing | undefined> {
  let q = listingsQuery(trx).where('l.name', '=', name).where('l.visibility', '=', visibility);
  if (visibility === 'private') q = q.where('l.publisher_organization_id', '=', organizationId);
  const row = await q.forUpdate('l').executeTakeFirst();
  return row && toListing(row);
}

function versionsQuery(db: Executor) {
  return db.selectFrom('plugin_versions as v').innerJoin('plugin_listings as l', 'l.id', 'v.listing_id')
    .select(['v.id', 'v.listing_id', 'l.name as listing_name', 'v.version', 'v.manifest', 'v.sha256', 'v.signature', 'v.changelog', 'v.size_bytes', 'v.created_at']);
}
type VersionRow = Awaited<ReturnType<ReturnType<typeof versionsQuery>['executeTakeFirstOrThrow']>>;
const toVersion = (r: VersionRow): ListingVersion => ({
  id: r.id, listingId: r.listing_id, listingName: r.listing_name, version: r.version, manifest: r.manifest as PluginManifest, sha256: r.sha256,
  signed: r.signature !== null, changelog: r.changelog, sizeBytes: r.size_bytes, createdAt: r.created_at,
});

export async function findVersionById(db: Executor, id: string): Promise<ListingVersion | undefined> {
  const row = await versionsQuery(db).where('v.id', '=', id).executeTakeFirst();
  return row && toVersion(row);
}

export async function findVersion(db: Executor, listingId: string, version: string): Promise<ListingVersion | undefined> {
  const row = await versionsQuery(db).where('v.listing_id', '=', listingId).where('v.version', '=', version).executeTakeFirst();
  return row && toVersion(row);
}

/** Newest first: versions only ever go up, so publishing order is semver order. */
export async function listVersions(db: Executor, listingId: string): Promise<ListingVersion[]> {
  const rows = await versionsQuery(db).where('v.listing_id', '=', listingId).orderBy('v.created_at', 'desc').orderBy('v.id', 'desc').execute();
  return rows.map(toVersion);
}

export async function insertVersion(trx: Executor, values: {
  listingId: string; manifest: PluginManifest; bundle: string; sha256: string; signature: unknown; sizeBytes: number; publishedBy: string | null;
}): Promise<ListingVersion> {
  const row = await trx.insertInto('plugin_versions').values({
    listing_id: values.listingId, version: values.manifest.version, manifest: JSON.stringify(values.manifest), bundle: values.bundle,
    sha256: values.sha256, signature: values.signature ? JSON.stringify(values.signature) : null, changelog: values.manifest.changelog ?? '',
    size_bytes: values.sizeBytes, published_by: values.publishedBy,
  }).returning('id').executeTakeFirstOrThrow();
  return (await findVersionById(trx, row.id))!;
}
