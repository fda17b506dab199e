import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { ChatMessage, StopReason, ToolCall, ToolSpec, Usage } from './types.ts';

/** What a cached call replays: the model's whole answer. */
export interface CachedResponse { model: string; text: string; toolCalls: ToolCall[]; usage: Usage; stopReason: StopReason }

export interface CacheKeyParts {
  /** The model chain (the agent's model, then its fallbacks): any of them may have answered. */
  models: string[];
  system: string | undefined;
  messages: ChatMessage[];
  tools: ToolSpec[];
  temperature: number | undefined;
  maxOutputTokens: number;
}

/** JSON with object keys sorted, so equal requests hash equally whatever order fields were built in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const cacheKey = (parts: CacheKeyParts): string => createHash('sha256').update(canonical(parts)).digest('hex');

/** Entries are per organization: one tenant's prompts never answer another's. */
export async function readCache(db: Executor, organizationId: string, key: string): Promise<CachedResponse | undefined> {
  const row = await db.selectFrom('llm_cache').select('response')
    .where('organization_id', '=', organizationId).where('key', '=', key).where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row?.response as CachedResponse | undefined;
}

export async function writeCache(db: Executor, organizationId: string, key: string, response: CachedResponse, ttlSeconds: number): Promise<void> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await db.insertInto('llm_cache')
    .values({ organization_id: organizationId, key, model: response.model, response: JSON.stringify(response), expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['organization_id', 'key']).doUpdateSet({ response: JSON.stringify(response), model: response.model, created_at: sql`now()`, expires_at: expiresAt }))
    .execute();
}

/** Deletes expired entries; run by the maintenance job. */
export async function pruneCache(db: Executor): Promise<number> {
  const result = await db.deleteFrom('llm_cache').where('expires_at', '<=', new Date()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
