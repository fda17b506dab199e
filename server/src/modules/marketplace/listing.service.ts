import type { PluginKind } from '@agentflow/plugin-sdk';
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { badInput } from '../../lib/errors.ts';
import { isUuid } from '../../lib/keys.ts';
import { listingsQuery, toListing, visibleTo, type Listing } from './listing.repository.ts';

export interface ListingFilter { search?: string | null; kind?: PluginKind | null; category?: string | null; featured?: boolean | null }
export interface ListingPage { after?: string; before?: string; limit: number; inverted: boolean }

export const PAID_NOT_INSTALLABLE = 'Paid listings cannot be installed yet: checkout arrives with billing';
export const isInstallable = (listing: Pick<Listing, 'priceCents'>): boolean => listing.priceCents === 0;

/** The cursor row's (name, id): the tie-breakers of the listing order. */
const tieBreakersOf = (id: string) => sql`(SELECT c.name, c.id FROM plugin_listings c WHERE c.id = ${id})`;

/**
 * Visible listings, best match first: full-text rank (title and name weigh more than the
 * description), then installs, then name. Without a search every rank is 0, so the most installed
 * come first. Keyset pagination on (rank, installs, name, id), with the cursor row's own rank
 * computed by the same expression, so no float crosses the wire.
 */
export async function searchListings(db: Executor, organizationId: string, filter: ListingFilter, page: ListingPage): Promise<Listing[]> {
  for (const cursor of [page.after, page.before]) if (cursor && !isUuid(cursor)) throw badInput('Invalid cursor');
  const text = filter.search?.trim().slice(0, 200);
  const query = text ? sql`websearch_to_tsquery('english', ${text})` : undefined;
  const rankOf = (alias: string): RawBuilder<number> => (query ? sql<number>`ts_rank(${sql.ref(`${alias}.search`)}, ${query})` : sql<number>`0::real`);

  let q = listingsQuery(db).where(visibleTo(organizationId));
  if (query) q = q.where(sql<boolean>`l.search @@ ${query}`);
  if (filter.kind) q = q.where('l.kind', '=', filter.kind);
  if (filter.category) q = q.where(sql<boolean>`${filter.category} = ANY(l.categories)`);
  if (typeof filter.featured === 'boolean') q = q.where('l.featured', '=', filter.featured);

  const head = (id: string) => sql`(SELECT ${rankOf('c')}, c.install_count FROM plugin_listings c WHERE c.id = ${id})`;
  const beyond = (id: string, dir: 'after' | 'before') => {
    const [down, up] = dir === 'after' ? [sql.raw('<'), sql.raw('>')] : [sql.raw('>'), sql.raw('<')];
    return sql<boolean>`((${rankOf('l')}, l.install_count) ${down} ${head(id)} OR ((${rankOf('l')}, l.install_count) = ${head(id)} AND (l.name, l.id) ${up} ${tieBreakersOf(id)}))`;
  };
  if (page.after) q = q.where(beyond(page.after, 'after'));
  if (page.before) q = q.where(beyond(page.before, 'before'));

  const [desc, asc] = page.inverted ? ['asc', 'desc'] as const : ['desc', 'asc'] as const;
  const rows = await q.orderBy(rankOf('l'), desc).orderBy('l.install_count', desc).orderBy('l.name', asc).orderBy('l.id', asc).limit(page.limit).execute();
  return rows.map(toListing);
}

/** Every category of the listings the organization can see, alphabetically. */
export async function listCategories(db: Executor, organizationId: string): Promise<string[]> {
  const rows = await db.selectFrom('plugin_listings as l').select(sql<string>`unnest(l.categories)`.as('category'))
    .where(visibleTo(organizationId)).distinct().orderBy('category').execute();
  return rows.map((r) => r.category);
}
