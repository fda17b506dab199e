import { MODELS, type CatalogModel } from './catalog.ts';
import type { ProviderId } from './types.ts';

/** Prompts up to this many characters (system prompt included) count as short. */
export const SHORT_PROMPT_CHARS = 2000;

export interface RouteDecision { model: CatalogModel; reason: string }

/**
 * Chooses a model for `auto`: short prompts that need no tools go to the cheapest fast model
 * with a key, everything else to the first strong one (catalog order is preference order).
 * Without any provider key, the simulated model answers, and the reason says so.
 */
export function routeModel(input: { promptChars: number; needsTools: boolean }, available: Set<ProviderId>): RouteDecision {
  const simple = !input.needsTools && input.promptChars <= SHORT_PROMPT_CHARS;
  const why = simple ? `short prompt (${input.promptChars} chars) without tools` : input.needsTools ? 'tools enabled' : `long prompt (${input.promptChars} chars)`;
  const candidates = MODELS.filter((m) => m.provider !== 'simulated' && available.has(m.provider));
  const pick = simple
    ? candidates.filter((m) => m.tier === 'fast').sort((a, b) => a.inputPerMTok + a.outputPerMTok - (b.inputPerMTok + b.outputPerMTok))[0]
    : candidates.find((m) => m.tier === 'strong');
  if (pick) return { model: pick, reason: `${why}: ${simple ? 'cheapest fast' : 'strong'} model ${pick.id}` };
  const fallback = candidates[0];
  if (fallback) return { model: fallback, reason: `${why}: no ${simple ? 'fast' : 'strong'} model has a key, using ${fallback.id}` };
  return { model: MODELS.find((m) => m.provider === 'simulated')!, reason: `${why}: no provider key configured, using the simulated model` };
}
