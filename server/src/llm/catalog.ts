import type { ProviderId } from './types.ts';

/**
 * The model catalog: the one place for model names, context sizes and prices. Prices are US
 * dollars per million tokens from the providers' pricing pages on PRICES_AS_OF (standard tier,
 * prompts under the long-context threshold); cached input is the price of a prompt-cache read.
 * Update the date with the numbers.
 */
export const PRICES_AS_OF = '2026-11-24';

export type ModelTier = 'fast' | 'strong';

export interface CatalogModel {
  id: string;
  provider: ProviderId;
  /** The name the provider's API expects. */
  providerModel: string;
  displayName: string;
  contextWindow: number;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok: number;
  /** Routing (`auto`) sends short tool-less prompts to `fast` models and the rest to `strong`. */
  tier: ModelTier;
  /** Models with always-on reasoning reject a non-default temperature (HTTP 400): it is not sent. */
  acceptsTemperature: boolean;
  /** Announced price changes: from that day (UTC) on, these prices apply. */
  priceChanges?: readonly PriceChange[];
}

export interface PriceChange { from: string; inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok: number }

type Entry = Omit<CatalogModel, 'providerModel' | 'acceptsTemperature'> & { providerModel?: string; acceptsTemperature?: boolean };
const entry = (m: Entry): CatalogModel => ({ providerModel: m.id, acceptsTemperature: true, ...m });

/** Catalog order is preference order for routing within a tier. */
export const MODELS: readonly CatalogModel[] = [
  entry({ id: 'claude-sonnet-5-5', provider: 'anthropic', displayName: 'Claude Sonnet 5.5', contextWindow: 1_000_000, inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 0.2, tier: 'strong', acceptsTemperature: false }),
  entry({ id: 'claude-opus-5-5', provider: 'anthropic', displayName: 'Claude Opus 5.5', contextWindow: 1_000_000, inputPerMTok: 4, outputPerMTok: 20, cachedInputPerMTok: 0.2, tier: 'strong', acceptsTemperature: false }),
  entry({ id: 'claude-haiku-4-5', provider: 'anthropic', displayName: 'Claude Haiku 4.5', contextWindow: 200_000, inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.1, tier: 'fast' }),
  entry({ id: 'gpt-6.1-sol', provider: 'openai', displayName: 'GPT-6.1 Sol', contextWindow: 1_050_000, inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 0.1, tier: 'strong', acceptsTemperature: false }),
  entry({ id: 'gpt-6.1-terra', provider: 'openai', displayName: 'GPT-6.1 Terra', contextWindow: 1_050_000, inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.05, tier: 'fast', acceptsTemperature: false }),
  entry({ id: 'gpt-6-luna', provider: 'openai', displayName: 'GPT-6 Luna', contextWindow: 1_050_000, inputPerMTok: 0.1, outputPerMTok: 0.5, cachedInputPerMTok: 0.01, tier: 'fast', acceptsTemperature: false }),
  entry({ id: 'gemini-2.5-pro', provider: 'gemini', displayName: 'Gemini 2.5 Pro', contextWindow: 1_048_576, inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.125, tier: 'strong' }),
  // Half price until 2026-12-31, as announced.
  entry({
    id: 'gemini-3.8-flash', provider: 'gemini', displayName: 'Gemini 3.8 Flash', contextWindow: 1_048_576, inputPerMTok: 0.75, outputPerMTok: 3.75, cachedInputPerMTok: 0.075, tier: 'fast',
    priceChanges: [{ from: '2027-01-01', inputPerMTok: 1.5, outputPerMTok: 7.5, cachedInputPerMTok: 0.15 }],
  }),
  entry({ id: 'simulated', provider: 'simulated', displayName: 'Simulated (scripted, free)', contextWindow: 128_000, inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, tier: 'fast' }),
];

/** The pseudo-model that lets routing choose. */
export const AUTO_MODEL = 'auto';
/** `compat:<name>` is a model served by the organization's OpenAI-compatible endpoint (Ollama, vLLM, LM Studio): no price. */
export const COMPATIBLE_PREFIX = 'compat:';

const byId = new Map(MODELS.map((m) => [m.id, m]));

/** The catalog entry for a concrete model id, or undefined if the id is unknown. */
export function findModel(id: string): CatalogModel | undefined {
  const known = byId.get(id);
  if (known) return known;
  if (id.startsWith(COMPATIBLE_PREFIX) && id.length > COMPATIBLE_PREFIX.length && id.length <= 200) {
    const name = id.slice(COMPATIBLE_PREFIX.length);
    return { id, provider: 'openai_compatible', providerModel: name, displayName: `${name} (OpenAI-compatible)`, contextWindow: 32_768, inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, tier: 'strong', acceptsTemperature: true };
  }
  return undefined;
}

/** The model with the prices in force at `at` (announced changes applied). */
export function pricedAt(model: CatalogModel, at: Date = new Date()): CatalogModel {
  const day = at.toISOString().slice(0, 10);
  const change = model.priceChanges?.filter((c) => c.from <= day).at(-1);
  return change ? { ...model, inputPerMTok: change.inputPerMTok, outputPerMTok: change.outputPerMTok, cachedInputPerMTok: change.cachedInputPerMTok } : model;
}

export function isKnownModel(id: string): boolean {
  return id === AUTO_MODEL || findModel(id) !== undefined;
}
