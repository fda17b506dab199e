import { describe, expect, it } from 'vitest';
import { findModel, MODELS } from './catalog.ts';
import { costNanoUsd, nanoToUsdString, usdStringToNano } from './pricing.ts';

describe('the catalog', () => {
  it('has unique ids and prices that are whole nano-dollars per token (so costs are exact)', () => {
    expect(new Set(MODELS.map((m) => m.id)).size).toBe(MODELS.length);
    for (const m of MODELS) {
      for (const price of [m.inputPerMTok, m.outputPerMTok, m.cachedInputPerMTok]) {
        expect(Number.isInteger(Math.round(price * 1e6) / 1e3), `${m.id} ${price}`).toBe(true);
        expect(price).toBeGreaterThanOrEqual(0);
      }
      expect(m.contextWindow).toBeGreaterThan(0);
    }
  });

  it('resolves OpenAI-compatible models by prefix and nothing else unknown', () => {
    expect(findModel('compat:llama3.2')).toMatchObject({ provider: 'openai_compatible', providerModel: 'llama3.2', inputPerMTok: 0 });
    expect(findModel('compat:')).toBeUndefined();
    expect(findModel('gpt-99')).toBeUndefined();
  });
});

describe('cost arithmetic', () => {
  const sonnet = findModel('claude-sonnet-5-5')!;

  it('bills uncached input, cached input and output each at its own price, exactly', () => {
    // 1,000,000 uncached at $2, 500,000 cached at $0.20, 200,000 output at $10.
    const nano = costNanoUsd(sonnet, { inputTokens: 1_500_000, cachedInputTokens: 500_000, outputTokens: 200_000 });
    expect(nano).toBe(2e9 + 0.1e9 + 2e9);
    expect(nanoToUsdString(nano)).toBe('4.100000000');
  });

  it('is exact for one token of the cheapest price (no float drift)', () => {
    const flash = findModel('gemini-3.8-flash')!;
    expect(costNanoUsd(flash, { inputTokens: 1, cachedInputTokens: 1, outputTokens: 0 })).toBe(75);
    const sum = Array.from({ length: 1000 }, () => costNanoUsd(flash, { inputTokens: 3, cachedInputTokens: 0, outputTokens: 7 })).reduce((a, b) => a + b, 0);
    expect(sum).toBe(1000 * (3 * 750 + 7 * 3750));
  });

  it('applies announced price changes from their day on', () => {
    const flash = findModel('gemini-3.8-flash')!;
    const usage = { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 0 };
    expect(costNanoUsd(flash, usage, new Date('2026-12-31T23:59:59Z'))).toBe(0.75e9);
    expect(costNanoUsd(flash, usage, new Date('2027-01-01T00:00:00Z'))).toBe(1.5e9);
  });

  it('round-trips through the numeric(20,9) string Postgres stores', () => {
    for (const nano of [0, 1, 75, 123_456_789, 6_150_000_000, 1e15 + 7]) expect(usdStringToNano(nanoToUsdString(nano))).toBe(nano);
    expect(usdStringToNano('0.5')).toBe(500_000_000);
    expect(usdStringToNano('12')).toBe(12e9);
  });
});
