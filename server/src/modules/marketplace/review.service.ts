import { sql } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { AppError, conflict, ErrorCode, isUniqueViolation } from '../../lib/errors.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { parseInput } from '../auth/validation.ts';
import { installationOf, requireVisibleListing } from './installation.service.ts';

export interface Review {
  id: string;
  listingId: string;
  organizationId: string;
  rating: number;
  body: string;
  authorName: string;
  organizationName: string;
  createdAt: Date;
}

/** Reviews shown on a listing: the newest, up to this many. */
export const REVIEWS_SHOWN = 100;
const DELETED_AUTHOR = 'A former member';

const reviewSchema = z.object({
  rating: z.number().int('Rating must be a whole number from 1 to 5').min(1, 'Rating must be from 1 to 5').max(5, 'Rating must be from 1 to 5'),
  body: z.string().trim().max(5000, 'The review must be at most 5000 characters').default(''),
});

function reviewsQuery(db: Executor) {
  return db.selectFrom('plugin_reviews as r')
    .innerJoin('organizations as o', 'o.id', 'r.organization_id')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.listing_id', 'r.organization_id', 'r.rating', 'r.body', 'u.name as author_name', 'o.name as organization_name', 'r.created_at']);
}
type Row = Awaited<ReturnType<ReturnType<typeof reviewsQuery>['executeTakeFirstOrThrow']>>;
const toReview = (r: Row): Review => ({
  id: r.id, listingId: r.listing_id, organizationId: r.organization_id, rating: r.rating, body: r.body,
  authorName: r.author_name ?? DELETED_AUTHOR, organizationName: r.organization_name, createdAt: r.created_at,
});

export async function listReviews(db: Executor, listingId: string): Promise<Review[]> {
  const rows = await reviewsQuery(db).where('r.listing_id', '=', listingId).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(REVIEWS_SHOWN).execute();
  return rows.map(toReview);
}

export async function hasReviewed(db: Executor, organizationId: string, listingId: string): Promise<boolean> {
  return (await db.selectFrom('plugin_reviews').select('id').where('organization_id', '=', organizationId).where('listing_id', '=', listingId).executeTakeFirst()) !== undefined;
}

/**
 * One review per organization, by a person of an organization that has it installed, and not of
 * its own listing. A second review is CONFLICT: reviews are a record of what installers said,
 * not an editable note (editing may come later; the rating totals would follow it).
 */
export async function reviewPlugin(deps: Deps, caller: Caller, input: { listingId: string; rating: number; body?: string | null }): Promise<Review> {
  const data = parseInput(reviewSchema, { rating: input.rating, body: input.body ?? undefined });
  const orgId = caller.organizationId!;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const listing = await requireVisibleListing(trx, orgId, input.listingId);
      if (listing.publisherOrganizationId === orgId) throw new AppError(ErrorCode.FORBIDDEN, 'An organization cannot review its own listing');
      if (!(await installationOf(trx, orgId, listing.id))) throw new AppError(ErrorCode.FORBIDDEN, `Only organizations that installed ${listing.name} can review it`);
      if (await hasReviewed(trx, orgId, listing.id)) throw conflict(`Your organization has already reviewed ${listing.name}`);
      const row = await trx.insertInto('plugin_reviews').values({ listing_id: listing.id, organization_id: orgId, user_id: caller.user?.id ?? null, rating: data.rating, body: data.body })
        .returning('id').executeTakeFirstOrThrow();
      await trx.updateTable('plugin_listings').set({ rating_count: sql`rating_count + 1`, rating_sum: sql`rating_sum + ${data.rating}` }).where('id', '=', listing.id).execute();
      await writeAudit(trx, caller, { organizationId: orgId, action: 'plugin.review', targetType: 'PluginListing', targetId: listing.id, details: { name: listing.name, rating: data.rating } });
      return toReview(await reviewsQuery(trx).where('r.id', '=', row.id).executeTakeFirstOrThrow());
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('Your organization has already reviewed this listing');
    throw err;
  }
}
