import { defineTool } from '@agentflow/plugin-sdk';

/**
 * The `calculator` tool: arithmetic the model should not do in its head. A small recursive-descent
 * parser evaluates the expression; it is never handed to eval or Function. (Ported from the
 * server's former built-in; failures are plain Errors, which the sandbox reports as the call's error.)
 *
 * Grammar (lowest precedence first):
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/' | '%') unary)*
 *   unary      := ('-' | '+') unary | power
 *   power      := primary ('^' unary)?          right-associative; -2^2 = -(2^2)
 *   primary    := number | constant | name '(' expression (',' expression)* ')' | '(' expression ')'
 */

export const MAX_EXPRESSION_LENGTH = 500;
export const MAX_NESTING = 100;

type Token =
  | { type: 'number'; value: number; pos: number }
  | { type: 'name'; name: string; pos: number }
  | { type: 'op'; op: string; pos: number }
  | { type: 'end'; pos: number };

// Maps, not object literals: a name like "constructor" must not find Object.prototype's members.
const CONSTANTS: ReadonlyMap<string, number> = new Map([['pi', Math.PI], ['e', Math.E]]);

interface Fn { min: number; max: number; apply: (args: readonly number[]) => number }
const unary = (f: (x: number) => number): Fn => ({ min: 1, max: 1, apply: (a) => f(a[0] ?? Number.NaN) });
const positive = (name: string, f: (x: number) => number) =>
  unary((x) => {
    if (x <= 0) throw new Error(`${name} is only defined for positive numbers`);
    return f(x);
  });

const FUNCTIONS: ReadonlyMap<string, Fn> = new Map(Object.entries({
  sqrt: unary((x) => {
    if (x < 0) throw new Error('sqrt is not defined for negative numbers');
    return Math.sqrt(x);
  }),
  abs: unary(Math.abs),
  // round(x) or round(x, digits) with 0–15 decimal digits.
  round: {
    min: 1,
    max: 2,
    apply: ([x = Number.NaN, digits = 0]) => {
      if (!Number.isInteger(digits) || digits < 0 || digits > 15) throw new Error('round: digits must be a whole number from 0 to 15');
      const scale = 10 ** digits;
      return Math.round(x * scale) / scale;
    },
  },
  floor: unary(Math.floor),
  ceil: unary(Math.ceil),
  min: { min: 1, max: Infinity, apply: (a) => Math.min(...a) },
  max: { min: 1, max: Infinity, apply: (a) => Math.max(...a) },
  // log(x) is base 10; log(x, base) any base.
  log: {
    min: 1,
    max: 2,
    apply: ([x = Number.NaN, base = 10]) => {
      if (x <= 0) throw new Error('log is only defined for positive numbers');
      if (base <= 0 || base === 1) throw new Error('log: the base must be positive and not 1');
      return base === 10 ? Math.log10(x) : Math.log(x) / Math.log(base);
    },
  },
  ln: positive('ln', Math.log),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
} satisfies Record<string, Fn>));

const KNOWN = `constants ${[...CONSTANTS.keys()].join(', ')}; functions ${[...FUNCTIONS.keys()].join(', ')}`;

/** Evaluates an arithmetic expression; every failure is an Error with a clear message. */
export function evaluate(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) throw new Error(`The expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  if (expression.trim() === '') throw new Error('The expression is empty');
  return clean(finite(new Parser(tokenize(expression)).parse()));
}

/**
 * 0.1 + 0.2 is 0.30000000000000004 in binary floating point. When rounding to 15 significant
 * digits makes the number much shorter, the tail was noise and the rounded value is the answer;
 * otherwise (pi, 1/3) every digit is kept. Also turns -0 into 0.
 */
function clean(value: number): number {
  const rounded = Number.parseFloat(value.toPrecision(15));
  return (String(rounded).length + 2 < String(value).length ? rounded : value) + 0;
}

// Unicode operators people (and models) paste: − × ÷.
const OPERATOR_ALIASES: ReadonlyMap<string, string> = new Map([['\u2212', '-'], ['\u00d7', '*'], ['\u00f7', '/']]);

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src.charAt(i);
    const pos = i + 1; // positions in messages are 1-based, like a text editor's column
    if (/\s/.test(ch)) {
      i++;
    } else if (/[0-9.]/.test(ch)) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
      if (!m) throw new Error(`Syntax error at position ${pos}: unexpected '.'`);
      tokens.push({ type: 'number', value: Number(m[0]), pos });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) ?? [ch];
      tokens.push({ type: 'name', name: m[0].toLowerCase(), pos });
      i += m[0].length;
    } else if (src.startsWith('**', i)) {
      tokens.push({ type: 'op', op: '^', pos });
      i += 2;
    } else if ('+-*/%^(),'.includes(ch) || OPERATOR_ALIASES.has(ch)) {
      tokens.push({ type: 'op', op: OPERATOR_ALIASES.get(ch) ?? ch, pos });
      i++;
    } else {
      throw new Error(`Syntax error at position ${pos}: unexpected character '${ch}'`);
    }
  }
  tokens.push({ type: 'end', pos: src.length + 1 });
  return tokens;
}

const describeToken = (t: Token) =>
  t.type === 'end' ? 'the end of the expression' : t.type === 'number' ? `number ${t.value}` : t.type === 'name' ? `'${t.name}'` : `'${t.op}'`;

class Parser {
  private index = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  parse(): number {
    const value = this.expression();
    const next = this.peek();
    if (next.type !== 'end') {
      throw new Error(`Syntax error at position ${next.pos}: unexpected ${describeToken(next)}${next.type === 'op' && next.op === ')' ? ' (unbalanced parentheses)' : ''}`);
    }
    return value;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { type: 'end', pos: 0 };
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.op === op;
  }

  /** Consumes the next token if it is one of `ops`. */
  private take(...ops: string[]): { op: string; pos: number } | undefined {
    const t = this.peek();
    if (t.type !== 'op' || !ops.includes(t.op)) return undefined;
    this.index++;
    return t;
  }

  private expect(op: string): void {
    const t = this.peek();
    if (!this.take(op)) throw new Error(`Syntax error at position ${t.pos}: expected '${op}' but found ${describeToken(t)}`);
  }

  /** Guards the recursion: each parenthesis, call, sign or power goes one level deeper. */
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_NESTING) throw new Error(`The expression is nested too deeply (more than ${MAX_NESTING} levels)`);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private expression(): number {
    let value = this.term();
    for (let t = this.take('+', '-'); t; t = this.take('+', '-')) {
      const right = this.term();
      value = finite(t.op === '+' ? value + right : value - right);
    }
    return value;
  }

  private term(): number {
    let value = this.unary();
    for (let t = this.take('*', '/', '%'); t; t = this.take('*', '/', '%')) {
      const right = this.unary();
      if (t.op === '*') value = finite(value * right);
      else if (right === 0) throw new Error(`Division by zero at position ${t.pos}`);
      else value = finite(t.op === '/' ? value / right : value % right);
    }
    return value;
  }

  private unary(): number {
    const sign = this.take('-', '+');
    if (!sign) return this.power();
    const value = this.nested(() => this.unary());
    return sign.op === '-' ? -value : value;
  }

  private power(): number {
    const base = this.primary();
    if (!this.take('^')) return base;
    const exponent = this.nested(() => this.unary());
    return finite(base ** exponent);
  }

  private primary(): number {
    const t = this.peek();
    if (t.type === 'number') {
      this.index++;
      return finite(t.value);
    }
    if (this.take('(')) {
      const value = this.nested(() => this.expression());
      this.expect(')');
      return value;
    }
    if (t.type === 'name') {
      this.index++;
      const fn = FUNCTIONS.get(t.name);
      if (fn && this.isOp('(')) return this.call(t.name, fn);
      const constant = CONSTANTS.get(t.name);
      if (constant !== undefined) return constant;
      if (fn) throw new Error(`Syntax error at position ${this.peek().pos}: expected '(' after ${t.name}`);
      throw new Error(`Unknown identifier '${t.name}' at position ${t.pos} (known: ${KNOWN})`);
    }
    throw new Error(`Syntax error at position ${t.pos}: expected a number, name or '(' but found ${describeToken(t)}`);
  }

  private call(name: string, fn: Fn): number {
    this.index++; // '('
    const args = this.nested(() => {
      const list = [this.expression()];
      while (this.take(',')) list.push(this.expression());
      return list;
    });
    this.expect(')');
    if (args.length < fn.min || args.length > fn.max) {
      const expected = fn.max === Infinity ? `at least ${fn.min}` : fn.min === fn.max ? `${fn.min}` : `${fn.min} or ${fn.max}`;
      throw new Error(`${name} expects ${expected} argument${expected === '1' ? '' : 's'}, got ${args.length}`);
    }
    return finite(fn.apply(args));
  }
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new Error('The result is not a finite number (too large, or undefined)');
  return value;
}

export const calculator = defineTool({
  name: 'calculator',
  title: 'Calculator',
  description:
    'Evaluates an arithmetic expression exactly. Supports + - * / % ^ (power), parentheses, decimals, the constants pi and e, ' +
    'and the functions sqrt, abs, round(x[, digits]), floor, ceil, min, max, log (base 10, or log(x, base)), ln, sin, cos, tan (radians).',
  inputSchema: {
    type: 'object',
    properties: {
      expression: { type: 'string', description: 'The expression, e.g. "12 * (3 + 4) / 2" or "sqrt(2) ^ 2"', minLength: 1, maxLength: MAX_EXPRESSION_LENGTH },
    },
    required: ['expression'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      expression: { type: 'string', description: 'The expression as evaluated (trimmed)' },
      result: { type: 'number', description: 'Its value' },
    },
    required: ['expression', 'result'],
    additionalProperties: false,
  },
  run(input) {
    const expression = input.expression.trim();
    return { expression, result: evaluate(expression) };
  },
});
