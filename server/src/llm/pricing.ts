import type { CatalogModel } from './catalog.ts';
import type { Usage } from './types.ts';

/**
 * Costs are computed in whole nano-dollars (1e-9 USD) so the arithmetic is exact: a price of
 * $X per million tokens is X * 1000 nano-dollars per token, an integer for every catalog price.
 */
const nanoPerToken = (usdPerMTok: number): number => Math.round(usdPerMTok * 1000);

export function costNanoUsd(model: CatalogModel, usage: Usage): number {
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens);
  return uncached * nanoPerToken(model.inputPerMTok)
    + usage.cachedInputTokens * nanoPerToken(model.cachedInputPerMTok)
    + usage.outputTokens * nanoPerToken(model.outputPerMTok);
}

/** Nano-dollars as a decimal USD string with nine places, for Postgres `numeric` and display. */
export function nanoToUsdString(nano: number): string {
  const sign = nano < 0 ? '-' : '';
  const abs = Math.abs(nano);
  return `${sign}${Math.floor(abs / 1e9)}.${String(abs % 1e9).padStart(9, '0')}`;
}

export const nanoToUsd = (nano: number): number => nano / 1e9;
export const usdToNano = (usd: number): number => Math.round(usd * 1e9);

/** Rough token count of text (4 characters a token), for pre-call budget estimates only. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** A Postgres numeric(…, 9) USD string back to nano-dollars, exactly. */
export function usdStringToNano(usd: string): number {
  const [whole = '0', fraction = ''] = usd.replace('-', '').split('.');
  const nano = Number(whole) * 1e9 + Number(fraction.padEnd(9, '0').slice(0, 9));
  return usd.startsWith('-') ? -nano : nano;
}
