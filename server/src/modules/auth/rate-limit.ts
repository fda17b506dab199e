import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { AppError, ErrorCode } from '../../lib/errors.ts';

export interface RateLimiter {
  /** Counts one hit on each key; throws RATE_LIMITED when any key is over its limit. */
  hit(keys: { key: string; limit: number }[], windowSeconds: number): Promise<void>;
}

/**
 * Fixed-window counters in Postgres, so every API process shares them. One round trip per
 * check: an upsert per key that returns the new count.
 */
export function createRateLimiter(db: Db): RateLimiter {
  return {
    async hit(keys, windowSeconds) {
      const windowStart = new Date(Math.floor(Date.now() / 1000 / windowSeconds) * windowSeconds * 1000);
      const rows = await db.insertInto('rate_limits')
        .values(keys.map(({ key }) => ({ key, window_start: windowStart, hits: 1 })))
        .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
        .returning(['key', 'hits'])
        .execute();
      const over = rows.some((r) => r.hits > (keys.find((k) => k.key === r.key)?.limit ?? Infinity));
      if (over) {
        const retryAfter = Math.ceil((windowStart.getTime() + windowSeconds * 1000 - Date.now()) / 1000);
        throw new AppError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${retryAfter} seconds`, { details: { retryAfterSeconds: retryAfter } });
      }
    },
  };
}

/** Drops windows that ended; run by the worker's maintenance job. */
export async function pruneRateLimits(db: Db): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', new Date(Date.now() - 24 * 3600 * 1000)).execute();
}
