import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { ROOT_DIR } from '../../config/env.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../lib/logger.ts';
import { checkDocument, publishVersion } from './publish.service.ts';
import { compareSemver, isStrictSemver } from './semver.ts';

/** Where the first-party plugin packages live (each packs into its `dist/`). */
export const FIRST_PARTY_DIR = path.join(ROOT_DIR, 'plugins');

/** First-party listings shown as featured. */
export const FEATURED = ['slack', 'gmail', 'http', 'support-ticket-triage'] as const;

export interface SyncResult { published: string[]; unchanged: string[]; failed: { file: string; error: string }[] }

/** `plugins/<name>/dist/*.agentflow.json`: what `agentflow-plugin pack` writes for each first-party plugin. */
async function packedFiles(pluginsDir: string): Promise<string[]> {
  let packages: string[];
  try {
    packages = await readdir(pluginsDir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const pkg of packages.sort()) {
    const dist = path.join(pluginsDir, pkg, 'dist');
    const names = await readdir(dist).catch(() => [] as string[]);
    files.push(...names.filter((n) => n.endsWith('.agentflow.json')).sort().map((n) => path.join(dist, n)));
  }
  return files;
}

/**
 * Publishes AgentFlow's own plugins and templates (publisher null) from the packed files in the
 * repository, at start-up. Each file is verified like any upload and published in its own
 * transaction when its version is new; a file already published (same name, version and sha256)
 * costs one lookup. A bad file is logged and skipped: it never stops the server.
 */
export async function syncFirstPartyCatalog(db: Db, logger: Logger, pluginsDir = FIRST_PARTY_DIR, featured: readonly string[] = FEATURED): Promise<SyncResult> {
  try {
    return await sync(db, logger, pluginsDir, featured);
  } catch (err) {
    logger.error('first-party catalog sync failed', { error: err instanceof Error ? err.message : String(err) });
    return { published: [], unchanged: [], failed: [{ file: pluginsDir, error: err instanceof Error ? err.message : String(err) }] };
  }
}

async function sync(db: Db, logger: Logger, pluginsDir: string, featured: readonly string[]): Promise<SyncResult> {
  const result: SyncResult = { published: [], unchanged: [], failed: [] };
  const files = await packedFiles(pluginsDir);
  const known = new Map((await db.selectFrom('plugin_versions as v').innerJoin('plugin_listings as l', 'l.id', 'v.listing_id')
    .select(['l.name', 'v.version', 'v.sha256']).where('l.publisher_organization_id', 'is', null).where('l.visibility', '=', 'public').execute())
    .map((r) => [`${r.name}@${r.version}`, r.sha256]));

  const documents: { relative: string; document: Packed }[] = [];
  for (const file of files) {
    const relative = path.relative(pluginsDir, file);
    try {
      documents.push({ relative, document: JSON.parse(await readFile(file, 'utf8')) as Packed });
    } catch (err) {
      fail(result, logger, relative, err);
    }
  }
  // Older versions first, whatever the file names (1.10.0 sorts before 1.9.0 as text).
  documents.sort((x, y) => byNameAndVersion(x.document, y.document));

  for (const { relative, document } of documents) {
    const key = `${String(document.manifest?.name)}@${String(document.manifest?.version)}`;
    try {
      const knownSha = known.get(key);
      if (knownSha !== undefined) {
        if (knownSha !== document.sha256) throw new Error(`${key} is already published with different contents: versions are immutable, bump the version`);
        result.unchanged.push(key);
        continue;
      }
      const doc = checkDocument(document, 'public');
      try {
        await db.transaction().execute((trx) => publishVersion(trx, null, doc, { visibility: 'public', publisherOrganizationId: null, priceCents: null }));
      } catch (err) {
        // Another process starting at the same time may have published it first.
        if (await firstPartySha(db, doc.manifest.name, doc.manifest.version) !== doc.sha256) throw err;
        result.unchanged.push(key);
        continue;
      }
      result.published.push(key);
    } catch (err) {
      fail(result, logger, relative, err);
    }
  }
  await markFeatured(db, featured);
  if (result.published.length) logger.info('published first-party plugins', { published: result.published });
  return result;
}

type Packed = { manifest?: { name?: unknown; version?: unknown }; sha256?: unknown };

function byNameAndVersion(x: Packed, y: Packed): number {
  const [a, b] = [String(x.manifest?.name), String(y.manifest?.name)];
  if (a !== b) return a < b ? -1 : 1;
  const [v, w] = [String(x.manifest?.version), String(y.manifest?.version)];
  return isStrictSemver(v) && isStrictSemver(w) ? compareSemver(v, w) : 0;
}

function fail(result: SyncResult, logger: Logger, file: string, err: unknown): void {
  const error = err instanceof Error ? err.message : String(err);
  result.failed.push({ file, error });
  logger.error('first-party plugin not published', { file, error });
}

async function firstPartySha(db: Db, name: string, version: string): Promise<string | undefined> {
  const row = await db.selectFrom('plugin_versions as v').innerJoin('plugin_listings as l', 'l.id', 'v.listing_id').select('v.sha256')
    .where('l.name', '=', name).where('v.version', '=', version).where('l.publisher_organization_id', 'is', null).where('l.visibility', '=', 'public').executeTakeFirst();
  return row?.sha256;
}

/** The featured flag follows the fixed list (and only first-party listings carry it from here). */
async function markFeatured(db: Db, featured: readonly string[]): Promise<void> {
  const listed = sql<boolean>`name = ANY(${[...featured]}::text[])`;
  await db.updateTable('plugin_listings').set({ featured: listed })
    .where('publisher_organization_id', 'is', null).where('visibility', '=', 'public').where(sql<boolean>`featured IS DISTINCT FROM ${listed}`).execute();
}
