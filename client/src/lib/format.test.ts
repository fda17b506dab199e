import { describe, expect, it } from 'vitest';
import { formatDuration, formatTokenCount, formatUsd } from './format';

describe('formatUsd', () => {
  it('shows zero as whole cents', () => {
    expect(formatUsd(0)).toBe('$0.00');
  });

  it('keeps three significant digits for amounts under a cent', () => {
    expect(formatUsd(0.000123)).toBe('$0.000123');
    expect(formatUsd(0.000123456)).toBe('$0.000123');
    expect(formatUsd(0.0000015)).toBe('$0.0000015');
    expect(formatUsd(0.0123)).toBe('$0.0123');
  });

  it('pads to cents but drops trailing zeros past them', () => {
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(0.1)).toBe('$0.10');
    expect(formatUsd(0.012)).toBe('$0.012');
    expect(formatUsd(0.0001)).toBe('$0.0001');
  });

  it('rounds dollars to cents with thousands separators', () => {
    expect(formatUsd(1)).toBe('$1.00');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
  });

  it('does not pretend a non-zero amount is free', () => {
    expect(formatUsd(0.0000000042)).toBe('<$0.000001');
  });

  it('handles negative and invalid amounts', () => {
    expect(formatUsd(-0.25)).toBe('-$0.25');
    expect(formatUsd(Number.NaN)).toBe('—');
  });
});

describe('formatTokenCount', () => {
  it('abbreviates context windows', () => {
    expect(formatTokenCount(200_000)).toBe('200K');
    expect(formatTokenCount(32_768)).toBe('32K');
    expect(formatTokenCount(1_048_576)).toBe('1M');
    expect(formatTokenCount(1_500_000)).toBe('1.5M');
    expect(formatTokenCount(512)).toBe('512');
  });
});

describe('formatDuration', () => {
  it('uses milliseconds below a second', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
  });
});
