import { describe, expect, it } from 'vitest';
import { compareSemver, isStrictSemver } from './semver.ts';

describe('compareSemver', () => {
  it('orders versions as the semver spec does (its own example chain)', () => {
    const chain = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0'];
    for (let i = 0; i < chain.length - 1; i++) {
      expect(compareSemver(chain[i]!, chain[i + 1]!), `${chain[i]} < ${chain[i + 1]}`).toBeLessThan(0);
      expect(compareSemver(chain[i + 1]!, chain[i]!)).toBeGreaterThan(0);
    }
  });

  it('ignores build metadata and compares large numbers exactly', () => {
    expect(compareSemver('1.2.0+build.1', '1.2.0+build.2')).toBe(0);
    expect(compareSemver('1.2.0', '1.2.0')).toBe(0);
    expect(compareSemver('9007199254740993.0.0', '9007199254740992.0.0')).toBe(1);
  });

  it('knows a strict version from a loose one', () => {
    expect(isStrictSemver('1.2.3-rc.1+sha.5')).toBe(true);
    for (const v of ['1.2', 'v1.2.3', '01.2.3', '1.2.3-01', '1.2.3-']) expect(isStrictSemver(v), v).toBe(false);
  });
});
