import type { PackedPlugin, PluginManifest } from '@agentflow/plugin-sdk';
import { canonicalJson, verifyPacked } from '@agentflow/plugin-sdk/verify';
import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { AppError, badInput, ErrorCode } from '../../lib/errors.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { insertVersion, lockListingForPublish, type Listing, type ListingVersion } from './listing.repository.ts';
import { compareSemver } from './semver.ts';

/** Bundle plus manifest (its canonical JSON), in bytes. */
export const MAX_PLUGIN_BYTES = 1024 * 1024;
/** Prices stay well inside an integer column until billing sets its own rules. */
export const MAX_PRICE_CENTS = 1_000_000;
export const PRIVATE_PREFIX = 'custom-';

const kindLabel = { plugin: 'a plugin', agent_template: 'an agent template', workflow_template: 'a workflow template' } as const;
const fingerprint = (publicKey: string) => `SHA256:${createHash('sha256').update(publicKey).digest('base64').slice(0, 16)}`;

export interface PublishOptions {
  visibility: 'public' | 'private';
  /** The publishing organization; null for first-party listings (the catalog sync). */
  publisherOrganizationId: string | null;
  /** Null: the listing keeps its price (0 for a new listing). */
  priceCents: number | null;
}

/**
 * Everything that can be checked without the database: the packed document itself (format,
 * manifest schema, sha256, signature), then the server's own rules (size, names, templates).
 */
export function checkDocument(document: unknown, visibility: 'public' | 'private'): PackedPlugin & { sizeBytes: number } {
  const verified = verifyPacked(document);
  if (!verified.ok) throw badInput(`The packed plugin is invalid: ${verified.error}`, { field: 'document' });
  const doc = verified.packed;
  const manifestBytes = Buffer.byteLength(canonicalJson(doc.manifest));
  const bundleBytes = Buffer.byteLength(doc.bundle);
  const sizeBytes = manifestBytes + bundleBytes;
  if (sizeBytes > MAX_PLUGIN_BYTES) {
    throw badInput(`The packed plugin is too large: ${sizeBytes} bytes (bundle ${bundleBytes} + manifest ${manifestBytes}); the limit is ${MAX_PLUGIN_BYTES} bytes (1 MB)`, { field: 'document', sizeBytes, bundleBytes, manifestBytes, limit: MAX_PLUGIN_BYTES });
  }
  const { name } = doc.manifest;
  if (visibility === 'public' && name.startsWith(PRIVATE_PREFIX)) {
    throw badInput(`"${name}": names starting with ${PRIVATE_PREFIX} are reserved for organizations' custom tools`, { field: 'document.manifest.name' });
  }
  if (visibility === 'private' && !name.startsWith(PRIVATE_PREFIX)) throw badInput(`Private listings are named ${PRIVATE_PREFIX}<name>`);
  checkTemplateReferences(doc.manifest);
  return { ...doc, sizeBytes };
}

/** A workflow template's agent nodes name its own agents (`template:<key>`), never anything else. */
function checkTemplateReferences(manifest: PluginManifest): void {
  const template = manifest.workflowTemplate;
  if (!template) return;
  const keys = new Set(Object.keys(template.agents ?? {}));
  const { nodes, edges } = template.definition as { nodes?: unknown; edges?: unknown };
  if (!Array.isArray(nodes) || !Array.isArray(edges)) throw badInput("The workflow template's definition needs its nodes and edges (arrays)", { field: 'document.manifest.workflowTemplate.definition' });
  for (const node of nodes as { id?: unknown; type?: unknown; config?: { agentId?: unknown } }[]) {
    if (node.type !== 'agent') continue;
    const ref = node.config?.agentId;
    const key = typeof ref === 'string' && ref.startsWith('template:') ? ref.slice('template:'.length) : undefined;
    if (key === undefined || !keys.has(key)) {
      throw badInput(`The workflow template's agent node ${String(node.id)} must name one of its agents as template:<key> (${[...keys].join(', ') || 'it defines none'}), not ${JSON.stringify(ref)}`, { field: 'document.manifest.workflowTemplate' });
    }
  }
}

/** The publisher, kind, version and key rules against the listing as it stands. */
function checkAgainstListing(listing: Listing, doc: PackedPlugin, opts: PublishOptions): void {
  const { name, version, kind } = doc.manifest;
  if (listing.publisherOrganizationId !== opts.publisherOrganizationId) {
    throw new AppError(ErrorCode.FORBIDDEN, listing.publisherOrganizationId === null
      ? `${name} is published by AgentFlow: choose another name`
      : `${name} is published by another organization: only it can publish new versions`);
  }
  if (listing.kind !== kind) throw new AppError(ErrorCode.CONFLICT, `${name} is ${kindLabel[listing.kind]}: a new version cannot make it ${kindLabel[kind]}`);
  if (listing.latestVersion && compareSemver(version, listing.latestVersion) <= 0) {
    throw new AppError(ErrorCode.CONFLICT, `${version} is not greater than the latest version ${listing.latestVersion}`, { details: { latestVersion: listing.latestVersion } });
  }
  const pinned = listing.signingPublicKey;
  if (pinned && !doc.signature) throw new AppError(ErrorCode.FORBIDDEN, `${name} was first published signed: every later version must be signed with the same key (${fingerprint(pinned)})`);
  if (pinned && doc.signature && doc.signature.publicKey !== pinned) {
    throw new AppError(ErrorCode.FORBIDDEN, `This version is signed by ${fingerprint(doc.signature.publicKey)}, but ${name} is pinned to the key ${fingerprint(pinned)} it was first signed with`);
  }
}

/**
 * Adds a version, creating the listing on its first publish, in the caller's transaction. The
 * newest manifest sets the listing's title, description and categories; its changelog is the
 * version's. Exported for custom tools (private listings) and the first-party catalog sync.
 */
export async function publishVersion(trx: Executor, caller: Caller | null, doc: PackedPlugin & { sizeBytes: number }, opts: PublishOptions): Promise<{ listing: Listing; version: ListingVersion; created: boolean }> {
  const { manifest } = doc;
  // Serializes publishes of one name, the first (no row to lock yet) included.
  const scope = opts.visibility === 'public' ? 'public' : `private:${opts.publisherOrganizationId}`;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`plugin-listing:${scope}:${manifest.name}`}))`.execute(trx);
  let listing = await lockListingForPublish(trx, manifest.name, opts.visibility, opts.publisherOrganizationId);
  const created = !listing;
  if (listing) checkAgainstListing(listing, doc, opts);
  else {
    const row = await trx.insertInto('plugin_listings').values({
      name: manifest.name, publisher_organization_id: opts.publisherOrganizationId, kind: manifest.kind, visibility: opts.visibility,
      title: manifest.title, description: manifest.description, categories: manifest.categories ?? [],
    }).returning('id').executeTakeFirstOrThrow();
    listing = (await lockListingForPublish(trx, manifest.name, opts.visibility, opts.publisherOrganizationId))!;
    if (listing.id !== row.id) throw new Error('listing lookup after insert found another row');
  }
  const version = await insertVersion(trx, {
    listingId: listing.id, manifest, bundle: doc.bundle, sha256: doc.sha256, signature: doc.signature, sizeBytes: doc.sizeBytes, publishedBy: caller?.user?.id ?? null,
  });
  await trx.updateTable('plugin_listings').set({
    title: manifest.title, description: manifest.description, categories: manifest.categories ?? [], latest_version: manifest.version,
    // The first signed version pins its key.
    signing_public_key: listing.signingPublicKey ?? doc.signature?.publicKey ?? null,
    ...(opts.priceCents !== null ? { price_cents: opts.priceCents } : {}),
    updated_at: new Date(),
  }).where('id', '=', listing.id).execute();
  const updated = (await lockListingForPublish(trx, manifest.name, opts.visibility, opts.publisherOrganizationId))!;
  if (caller) {
    await writeAudit(trx, caller, {
      organizationId: caller.organizationId, action: 'plugin.publish', targetType: 'PluginListing', targetId: listing.id,
      details: { name: manifest.name, version: manifest.version, kind: manifest.kind, created, signed: doc.signature !== null, sizeBytes: doc.sizeBytes },
    });
  }
  return { listing: updated, version, created };
}

/** `publishPlugin`: a public listing of the caller's organization. All or nothing. */
export async function publishPlugin(deps: Deps, caller: Caller, input: { document?: unknown; priceCents?: number | null }): Promise<ListingVersion> {
  const priceCents = input.priceCents ?? null;
  if (priceCents !== null && (!Number.isInteger(priceCents) || priceCents < 0 || priceCents > MAX_PRICE_CENTS)) {
    throw badInput(`priceCents must be a whole number of cents from 0 to ${MAX_PRICE_CENTS}`, { field: 'priceCents' });
  }
  const doc = checkDocument(input.document, 'public');
  return deps.db.transaction().execute(async (trx) => (await publishVersion(trx, caller, doc, { visibility: 'public', publisherOrganizationId: caller.organizationId!, priceCents })).version);
}
