import { fileURLToPath } from 'node:url';
import { createTestHost, type TestHost } from '@agentflow/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from './calculator.ts';

// Every case runs in the sandbox, as the server runs it: the parser must work in a bare V8 isolate.
let host: TestHost;
beforeAll(async () => {
  host = await createTestHost({ dir: fileURLToPath(new URL('../..', import.meta.url)) });
});
afterAll(async () => {
  await host?.close();
});

const calculate = (expression: string) => host.call('calculator', { expression });

describe('calculator', () => {
  it.each([
    ['2+2', 4],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['12 * (3 + 4)', 84],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['2 ^ 10', 1024],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 3', 8],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['-(-3)', 3],
    ['+5', 5],
    ['3 * -2', -6],
    ['.5 + 1.25', 1.75],
    ['1e3 + 2.5E-1', 1000.25],
    ['0.1 + 0.2', 0.3],
    ['0.1 * 3', 0.3],
    ['1 / 3', 1 / 3],
    ['-0', 0],
    ['pi', Math.PI],
    ['PI * 2', Math.PI * 2],
    ['e', Math.E],
    ['sqrt(16)', 4],
    ['sqrt(2) ^ 2', 2],
    ['abs(-3.5)', 3.5],
    ['round(2.5)', 3],
    ['round(3.14159, 2)', 3.14],
    ['floor(-1.5)', -2],
    ['ceil(1.2)', 2],
    ['min(3, 1, 2)', 1],
    ['max(3, 1, 2, 10 / 2)', 5],
    ['log(1000)', 3],
    ['log(8, 2)', 3],
    ['ln(e ^ 2)', 2],
    ['sin(0) + cos(0)', 1],
    ['tan(pi / 4)', 1],
    ['sqrt(abs(-16)) + max(1, min(5, 2))', 6],
    ['6 × 7 − 2 ÷ 2', 41],
    [`${'('.repeat(100)}1${')'.repeat(100)}`, 1],
  ])('%s = %d', async (expression, result) => {
    await expect(calculate(expression)).resolves.toMatchObject({ ok: true, output: { expression, result } });
  });

  it('trims the expression it reports', async () => {
    await expect(calculate('  6*7 ')).resolves.toMatchObject({ ok: true, output: { expression: '6*7', result: 42 } });
  });

  it.each([
    ['1 / 0', /Division by zero at position 3/],
    ['5 % (2 - 2)', /Division by zero/],
    ['foo + 1', /Unknown identifier 'foo' at position 1/],
    ['2 * x', /Unknown identifier 'x' at position 5.*sqrt/],
    ['2 +', /Syntax error at position 4: expected a number, name or '\(' but found the end of the expression/],
    ['(1 + 2', /Syntax error at position 7: expected '\)'/],
    ['1 + 2)', /Syntax error at position 6: unexpected '\)' \(unbalanced parentheses\)/],
    ['2 3', /Syntax error at position 3: unexpected number 3/],
    ['2pi', /Syntax error at position 2/],
    ['1.2.3', /Syntax error at position 4/],
    ['4 $ 4', /unexpected character '\$'/],
    ['sqrt 4', /expected '\(' after sqrt/],
    ['sqrt(1, 2)', /sqrt expects 1 argument, got 2/],
    ['round(1, 2, 3)', /round expects 1 or 2 arguments/],
    ['min()', /Syntax error/],
    ['round(1.5, 0.5)', /digits must be a whole number/],
    ['sqrt(-1)', /sqrt is not defined for negative numbers/],
    ['ln(0)', /ln is only defined for positive numbers/],
    ['log(-1)', /log is only defined for positive numbers/],
    ['log(8, 1)', /the base must be positive and not 1/],
    ['10 ^ 400', /not a finite number/],
    ['1e400', /not a finite number/],
    ['   ', /empty/],
    [`${'('.repeat(101)}1${')'.repeat(101)}`, /nested too deeply \(more than 100 levels\)/],
    [`${'-'.repeat(101)}1`, /nested too deeply/],
    [`2${'^2'.repeat(101)}`, /nested too deeply/],
  ])('rejects %s with a clear error', async (expression, message) => {
    const result = await calculate(expression);
    expect(result).toMatchObject({ ok: false, code: 'THROWN' });
    expect(result.ok === false && result.error).toMatch(message);
  });

  it('never evaluates JavaScript', async () => {
    for (const [expression, message] of [
      ['constructor', /Unknown identifier 'constructor'/],
      ['process', /Unknown identifier 'process'/],
      ['process.exit(1)', /Syntax error at position 8/],
      ['require("fs")', /unexpected character '"'/],
      ['alert`1`', /unexpected character '`'/],
      ['__proto__', /Unknown identifier/],
      ['tostring(1)', /Unknown identifier 'tostring'/],
    ] as const) {
      const result = await calculate(expression);
      expect(result.ok === false && result.error, expression).toMatch(message);
    }
  });

  it('refuses input outside its schema before running', async () => {
    await expect(host.call('calculator', { expression: '' })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    await expect(host.call('calculator', { expression: '1+'.repeat(250) + '1' })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    await expect(host.call('calculator', { expression: '1', extra: true })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('evaluate checks the length itself too (for callers outside the sandbox)', () => {
    expect(() => evaluate('1+'.repeat(250) + '1')).toThrow(/longer than 500 characters/);
    expect(() => evaluate('')).toThrow(/empty/);
  });
});
