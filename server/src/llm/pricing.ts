import { pricedAt, type CatalogModel } from './catalog.ts';
import type { Usage } from './types.ts';

/**
 * Costs are computed in whole nano-dollars (1e-9 USD) so the arithmetic is exact: a price of
 * $X per million tokens is X * 1000 nano-dollars per token, an integer for every catalog price.
 */
const nanoPerToken = (usdPerMTok: number): number => Math.round(usdPerMTok * 1000);

export function costNanoUsd(catalogModel: CatalogModel, usage: Usage, at: Date = new Date()): number {
  const model = pricedAt(catalogModel, at);
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

/**
 * A generous token count of text, for pre-call budget checks only: four ASCII characters a token
 * (English prose averages more), but one token for every other character (CJK text and symbols
 * can cost that much), so the estimate errs high.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 128) ascii++;
  return Math.ceil(ascii / 4) + (text.length - ascii);
}

/** Providers add a hidden system prompt of a few hundred tokens when tools are offered. */
export const TOOL_USE_OVERHEAD_TOKENS = 500;

/** A Postgres numeric(…, 9) USD string back to nano-dollars, exactly. */
export function usdStringToNano(usd: string): number {
  const [whole = '0', fraction = ''] = usd.replace('-', '').split('.');
  const nano = Number(whole) * 1e9 + Number(fraction.padEnd(9, '0').slice(0, 9));
  return usd.startsWith('-') ? -nano : nano;
}
