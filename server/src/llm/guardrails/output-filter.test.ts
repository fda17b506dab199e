import { describe, expect, it } from 'vitest';
import { createOutputFilter, HOLD, REDACTED, redactCredentials } from './output-filter.ts';

const R = REDACTED;

// Realistic-looking (fake) credentials.
const OPENAI = 'sk-proj-Abc123DEF456ghi789JKL012mno345PQR678stuVWX901yz_-Q';
const OPENAI_LEGACY = 'sk-T3BlbkFJabcdefGHIJKL0123456789mnopqrSTUVWX4567';
const ANTHROPIC = 'sk-ant-api03-AbCdEf1234567890XyZaBcDeFgHiJkLmNoPqRsTuVwXyZ_0123-abcdEFGH';
const GOOGLE = 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';
const AWS = 'AKIAIOSFODNN7EXAMPLE';
const AWS_TEMP = 'ASIAY34FZKBOKMUTVV7A';
const GITHUB = `ghp_${'a1B2'.repeat(9)}`;
const GITHUB_OAUTH = `gho_${'Z9y8'.repeat(9)}`;
const GITHUB_PAT = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const SLACK = 'xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
const STRIPE = 'sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWx';
const STRIPE_RESTRICTED = 'rk_live_51HxYzAbCdEfGhIjKlMnOpQrStUv';
const STRIPE_TEST = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const AGENTFLOW = `afk_AbCdEf123456_${'Ab9_-'.repeat(8)}xyz`;
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpI', 'cQ2kZ8yZ9+YpL3q4w5YbAgMBAAECggEAB3', '-----END RSA PRIVATE KEY-----'].join('\n');
const ORG_SECRET = 'correct-horse-battery-staple';

describe('redactCredentials', () => {
  it.each([
    ['OpenAI project key', OPENAI, 'openai_key'],
    ['OpenAI legacy key', OPENAI_LEGACY, 'openai_key'],
    ['Anthropic key', ANTHROPIC, 'anthropic_key'],
    ['Google API key', GOOGLE, 'google_api_key'],
    ['AWS access key id', AWS, 'aws_access_key_id'],
    ['AWS temporary key id', AWS_TEMP, 'aws_access_key_id'],
    ['GitHub token', GITHUB, 'github_token'],
    ['GitHub OAuth token', GITHUB_OAUTH, 'github_token'],
    ['GitHub fine-grained token', GITHUB_PAT, 'github_token'],
    ['Slack token', SLACK, 'slack_token'],
    ['Stripe secret key', STRIPE, 'stripe_key'],
    ['Stripe restricted key', STRIPE_RESTRICTED, 'stripe_key'],
    ['Stripe test key', STRIPE_TEST, 'stripe_key'],
    ['AgentFlow API key', AGENTFLOW, 'agentflow_api_key'],
    ['JWT', JWT, 'jwt'],
    ['PEM private key', PEM, 'private_key'],
  ])('redacts a %s', (_name, secret, kind) => {
    expect(redactCredentials(`Here: ${secret}\nDone.`, [])).toEqual({ text: `Here: ${R}\nDone.`, found: [kind] });
    expect(redactCredentials(`export KEY="${secret}";`, []).text).toBe(`export KEY="${R}";`);
    expect(redactCredentials(secret, []).text).toBe(R);
  });

  it('redacts the organization secrets, ignoring ones shorter than 8 characters', () => {
    const result = redactCredentials(`password: ${ORG_SECRET}, pin 1234, word abc`, [ORG_SECRET, '1234', 'abc']);
    expect(result).toEqual({ text: `password: ${R}, pin 1234, word abc`, found: ['org_secret'] });
  });

  it('redacts an unterminated PEM block to the end', () => {
    expect(redactCredentials('key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nand more', []).text).toBe(`key:\n${R}`);
  });

  it('redacts several credentials and merges overlapping ones', () => {
    const text = `a ${AWS} b ${JWT} c ${ORG_SECRET}`;
    expect(redactCredentials(text, [ORG_SECRET]).text).toBe(`a ${R} b ${R} c ${R}`);
    // An org secret that overlaps a token: one redaction covering both.
    expect(redactCredentials(`x ${GITHUB}tail`, [`${GITHUB.slice(10)}tail`]).text).toBe(`x ${R}`);
  });

  it.each([
    'Plain prose with no secrets, just words. It costs $5 and takes 2 minutes.',
    'risk-averse task-runner disk-usage-monitor-for-production-servers',
    'We used sk-learn-pipeline-v2-with-gridsearch and the ask-the-expert-forum-2024 thread.',
    'const token = process.env.OPENAI_API_KEY; // never hard-code sk- keys',
    'Headers start with eyJ when base64url-encoded JSON: eyJ.a is not a token.',
    'function akiaMask(s) { return s.replace(/AKIA[0-9A-Z]{16}/g, "***"); }',
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    'AKIAIOSFODNN7EXAMPLEEXTRA is too long to be an access key id',
    'Unicode: ünïcödé ✓ 你好 — sk-ant is mentioned but not present',
  ])('passes ordinary text unchanged: %s', (text) => {
    expect(redactCredentials(text, [ORG_SECRET])).toEqual({ text, found: [] });
  });

  it('does not take a key out of the middle of a word', () => {
    const text = `mask${OPENAI} XAKIAIOSFODNN7EXAMPLE`;
    expect(redactCredentials(text, []).text).toBe(text);
  });
});

/** Streams `parts` through a fresh filter; returns the concatenated output and each push's output. */
function stream(parts: readonly string[], secrets: string[] = []): { text: string; outputs: string[] } {
  const filter = createOutputFilter(secrets);
  const outputs = parts.map((p) => filter.push(p));
  outputs.push(filter.flush());
  return { text: outputs.join(''), outputs };
}

/** Asserts that at every step the emitted text is a prefix of the final redacted text: nothing leaks. */
function expectNoLeak(parts: readonly string[], secrets: string[] = []): string {
  const expected = redactCredentials(parts.join(''), secrets).text;
  const { outputs } = stream(parts, secrets);
  let emitted = '';
  for (const out of outputs) {
    emitted += out;
    expect(expected.startsWith(emitted)).toBe(true);
  }
  expect(emitted).toBe(expected);
  return emitted;
}

const chars = (s: string) => [...s];
const filler = (n: number) => 'The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(n / 45)).slice(0, n);

/** mulberry32: a tiny seeded PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('createOutputFilter', () => {
  it('never emits any part of a key split into 1-character deltas', () => {
    for (const key of [OPENAI, ANTHROPIC, GOOGLE, AWS, GITHUB_PAT, SLACK, STRIPE, AGENTFLOW, JWT]) {
      const parts = chars(`${filler(300)} the key is ${key} and ${filler(400)}`);
      const out = expectNoLeak(parts);
      expect(out).toContain(`the key is ${R} and`);
    }
  });

  it('holds a key split exactly at its prefix', () => {
    const parts = [filler(300), ' s', 'k-', 'ant-', 'api03-AbCdEf1234567890', 'XyZaBcDeFgHiJkLm', ' ok ', filler(300)];
    expect(expectNoLeak(parts)).toContain(` ${R} ok `);
  });

  it("holds the organization's secret split across deltas", () => {
    const secret = 'Tr0ub4dor&3-my-very-long-org-secret-value';
    const parts = [filler(270), 'pass: Tr0u', 'b4', 'dor&3-my-very', '-long-org-secret-', 'value', '!', filler(300)];
    expect(expectNoLeak(parts, [secret])).toContain(`pass: ${R}!`);
    // A secret longer than the hold-back window is still held as it arrives.
    const long = `LONG-${'x7Y'.repeat(150)}-END`;
    const longParts = [filler(300), ...chars(long).map((c, i) => (i % 40 === 0 ? `${c}` : c)), ' tail', filler(300)];
    expect(expectNoLeak(longParts, [long])).toContain(`${R} tail`);
  });

  it('redacts a PEM block streamed line by line', () => {
    const lines = `${filler(300)}\n${PEM}\nafter the key\n${filler(300)}`.split(/(?<=\n)/);
    const out = expectNoLeak(lines);
    expect(out).toContain(`\n${R}\nafter the key`);
    expect(out).not.toContain('MIIE');
  });

  it('holds everything after an open BEGIN until END, or redacts it all at flush', () => {
    const filter = createOutputFilter([]);
    let emitted = filter.push(`${filler(400)}\n-----BEGIN OPENSSH PRIVATE KEY-----\n`);
    for (let i = 0; i < 50; i++) emitted += filter.push(`${'b3BlbnNzaC1rZXktdjEAAAAA'.repeat(3)}\n`);
    expect(emitted).not.toContain('BEGIN');
    expect(emitted).not.toContain('b3Blbn');
    emitted += filter.flush();
    expect(emitted).toBe(`${filler(400)}\n${R}`);
    expect(filter.found).toEqual(['private_key']);
  });

  it('redacts a secret at the very end, on flush', () => {
    const filter = createOutputFilter([ORG_SECRET]);
    let out = filter.push('the end: ');
    for (const c of ORG_SECRET) out += filter.push(c);
    expect(out).toBe('');
    expect(filter.flush()).toBe(`the end: ${R}`);
    expect(filter.found).toEqual(['org_secret']);
  });

  it('holds back only the last HOLD characters of ordinary text', () => {
    const filter = createOutputFilter([]);
    const text = filler(1000);
    let out = '';
    for (let i = 0; i < text.length; i += 50) out += filter.push(text.slice(i, i + 50));
    expect(out.length).toBeGreaterThanOrEqual(1000 - HOLD - 64);
    expect(out + filter.flush()).toBe(text);
  });

  it('holds an open-ended token longer than the window until it ends', () => {
    // Only the final digit and capitals make this run a key, 300 characters after its start.
    const key = `sk-${'abcdefghij'.repeat(30)}XY9`;
    const parts = [filler(300), ' ', ...chars(key), ' done', filler(300)];
    expect(expectNoLeak(parts)).toContain(` ${R} done`);
    const jwt = `eyJ${'a'.repeat(400)}.eyJ${'b'.repeat(400)}.${'c'.repeat(100)}`;
    expect(expectNoLeak([filler(300), ' ', ...chars(jwt), '. ok'])).toContain(` ${R}. ok`);
  });

  it('passes ordinary prose and code through unchanged', () => {
    const text = [
      'To call the API, read the key from the environment:\n',
      '```ts\nconst client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n',
      'const res = await client.responses.create({ model: "gpt-5", input: "hi" });\n```\n',
      'Never paste keys (they start with sk- or AKIA) into chats. Ünïcödé and emoji 🎉 are fine.\n',
    ].join('').repeat(5);
    const parts = text.match(/.{1,7}/gs) ?? [];
    expect(stream(parts).text).toBe(text);
  });

  it('remembers the character before the cut, so a word-glued "key" stays ordinary text', () => {
    // One push puts the cut exactly between "ta" and "sk-…": no key there in the whole text.
    const tail = `${OPENAI} ${filler(HOLD - OPENAI.length - 1)}`;
    const text = `${filler(100)} ta${tail}`;
    expect(tail).toHaveLength(HOLD);
    expect(stream([text]).text).toBe(text);
  });

  it('is reusable after flush', () => {
    const filter = createOutputFilter([]);
    expect(filter.push(`a ${AWS}`) + filter.flush()).toBe(`a ${R}`);
    expect(filter.push('plain') + filter.flush()).toBe('plain');
  });

  describe('matches redactCredentials for random splits', () => {
    const samples = [
      `${filler(200)} key=${OPENAI}; ${filler(100)} jwt ${JWT}. ${filler(300)}`,
      `Config:\n${PEM}\nAWS ${AWS} / ${AWS_TEMP}\n${filler(500)}${GOOGLE}`,
      `${ORG_SECRET} at the start, then ${filler(600)} and at the end ${ORG_SECRET}`,
      `tokens: ${GITHUB} ${GITHUB_PAT} ${SLACK} ${STRIPE} ${STRIPE_TEST} ${AGENTFLOW} ${ANTHROPIC} ${filler(280)}`,
      `${filler(250)}-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\n${filler(400)}`,
      `near misses: sk-short, AKIA123, eyJ.x, ghp_abc, xoxb-1, mask${OPENAI}, ${filler(300)} sk-${'q'.repeat(290)}`,
      `${'sk-'.repeat(200)}${OPENAI}${'eyJ.'.repeat(100)}${JWT}`,
      `${filler(100)}${ORG_SECRET.slice(0, 10)}${filler(300)}${ORG_SECRET}${ORG_SECRET}x${ORG_SECRET.slice(0, 20)}`,
    ];

    it.each(samples.map((s, i) => [i, s] as const))('sample %i', (i, text) => {
      const random = prng(1000 + i);
      const expected = redactCredentials(text, [ORG_SECRET]).text;
      for (let round = 0; round < 40; round++) {
        const maxPart = [1, 3, 10, 60, 400][round % 5] ?? 1;
        const parts: string[] = [];
        for (let at = 0; at < text.length; ) {
          const len = 1 + Math.floor(random() * maxPart);
          parts.push(text.slice(at, at + len));
          at += len;
        }
        expect(stream(parts, [ORG_SECRET]).text, `round ${round}`).toBe(expected);
      }
    });
  });

  it('stays fast on 200 KB of hostile input streamed in small deltas', () => {
    // Rescanning the whole buffer on every push would be quadratic; the test timeout is the guard.
    const text = `${'sk-'.repeat(10_000)}${'-a1'.repeat(20_000)}${'eyJa.'.repeat(10_000)}`;
    const parts = text.match(/.{1,3}/gs) ?? [];
    expect(stream(parts).text).toBe(redactCredentials(text, []).text);
  });
});
