import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from './env.ts';

const SECRET = 's'.repeat(32);

let dataDir: string;
beforeEach(() => { dataDir = mkdtempSync(path.join(os.tmpdir(), 'agentflow-env-test-')); });
afterEach(() => { rmSync(dataDir, { recursive: true, force: true }); });

const secretFile = () => path.join(dataDir, 'app-secret');

/** loadConfig with a temp DATA_DIR and a warn spy, so nothing touches the real .data folder. */
function load(env: Record<string, string>) {
  const warn = vi.fn<(message: string) => void>();
  return { config: loadConfig({ DATA_DIR: dataDir, ...env }, warn), warn };
}

/** The ConfigError loadConfig throws, and the lines of its message. */
function failure(env: Record<string, string>): { error: ConfigError; lines: string[] } {
  let error: unknown;
  try {
    load(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const raw = (error as Error).message.split('\n');
  // One line per bad variable, each saying it is the configuration that is wrong.
  expect(raw.every((l) => l.startsWith('Invalid configuration: '))).toBe(true);
  return { error: error as ConfigError, lines: raw.map((l) => l.slice('Invalid configuration: '.length)) };
}

describe('defaults', () => {
  it('fills every setting from an environment with only a secret', () => {
    const { config, warn } = load({ APP_SECRET: SECRET });
    expect(config).toMatchObject({
      env: 'development',
      isProduction: false,
      host: '127.0.0.1',
      port: 4000,
      publicUrl: 'http://127.0.0.1:4000',
      databaseUrl: undefined,
      dataDir,
      databasePoolSize: 10,
      appSecret: SECRET,
      appSecretPrevious: [],
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 30 * 24 * 3600,
      refreshReuseGraceSeconds: 5,
      smtpUrl: undefined,
      allowedOrigins: ['http://127.0.0.1:4000'],
      trustProxy: false,
      graphql: { introspection: true, maxDepth: 12, maxAliases: 15, maxTokens: 2000, maxCost: 5000, maxDirectives: 20 },
      loginRateLimit: { limit: 10, windowSeconds: 900 },
      logLevel: 'info',
      llm: { keys: {}, timeoutMs: 120_000, cacheTtlSeconds: 86_400, allowPrivateBaseUrls: true },
      runRetentionDays: 30,
    });
    expect(warn).not.toHaveBeenCalled();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads provider keys and enables an OpenAI-compatible server by its base URL alone', () => {
    const { config } = load({ APP_SECRET: SECRET, OPENAI_API_KEY: 'sk-test', OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1', GEMINI_API_KEY: '' });
    expect(config.llm.keys).toEqual({
      openai: { apiKey: 'sk-test' },
      openai_compatible: { apiKey: 'not-needed', baseUrl: 'http://127.0.0.1:11434/v1' },
    });
  });

  it('treats empty strings as unset', () => {
    const { config } = load({ APP_SECRET: SECRET, PORT: '', LOG_LEVEL: '', DATABASE_URL: '' });
    expect(config.port).toBe(4000);
    expect(config.logLevel).toBe('info');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads given values and derives the public URL and allowed origins', () => {
    const { config } = load({
      APP_SECRET: SECRET, PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u:p@db:5432/app',
      CORS_ORIGINS: 'https://a.example, https://b.example ,', TRUST_PROXY: '1', LOGIN_RATE_LIMIT: '3',
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/app');
    expect(config.allowedOrigins).toEqual(['http://127.0.0.1:8080', 'https://a.example', 'https://b.example']);
    expect(config.trustProxy).toBe(true);
    expect(config.loginRateLimit.limit).toBe(3);
  });

  it('drops a trailing slash from PUBLIC_URL', () => {
    expect(load({ APP_SECRET: SECRET, PUBLIC_URL: 'https://agentflow.example/' }).config.publicUrl).toBe('https://agentflow.example');
  });
});

describe('bad values', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'not-a-url'],
    ['APP_SECRET', 'too-short'],
    ['LOG_LEVEL', 'loud'],
    ['GRAPHQL_INTROSPECTION', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['TRUST_PROXY', 'yes'],
    ['REFRESH_REUSE_GRACE_SECONDS', '-1'],
    ['LOGIN_RATE_LIMIT', '0'],
  ])('%s=%s throws a ConfigError with a line naming the variable', (name, value) => {
    const { lines } = failure({ APP_SECRET: SECRET, [name]: value });
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${name}: .+`))]);
  });

  it('explains what is wrong with a short APP_SECRET', () => {
    expect(failure({ APP_SECRET: 'short' }).error.message).toContain('APP_SECRET: must be at least 32 characters');
  });

  it('reports several bad values together, one line each', () => {
    const { lines } = failure({ APP_SECRET: SECRET, PORT: 'abc', DATABASE_URL: 'not-a-url', LOG_LEVEL: 'loud', GRAPHQL_INTROSPECTION: 'maybe' });
    const named = lines.map((l) => l.split(':')[0]).sort();
    expect(named).toEqual(['DATABASE_URL', 'GRAPHQL_INTROSPECTION', 'LOG_LEVEL', 'PORT']);
  });

  it('never echoes the value of a bad APP_SECRET', () => {
    expect(failure({ APP_SECRET: 'hunter2-private' }).error.message).not.toContain('hunter2-private');
  });
});

describe('APP_SECRET', () => {
  it('production without one throws a ConfigError naming APP_SECRET and writes nothing', () => {
    const { lines } = failure({ NODE_ENV: 'production' });
    expect(lines).toContainEqual(expect.stringMatching(/^APP_SECRET: /));
    expect(existsSync(secretFile())).toBe(false);
  });

  it('production without one and another bad value reports both', () => {
    const { lines } = failure({ NODE_ENV: 'production', PORT: 'abc' });
    const named = lines.map((l) => l.split(':')[0]).sort();
    expect(named).toEqual(['APP_SECRET', 'PORT']);
  });

  it('development without one generates a secret into DATA_DIR/app-secret, warns once, and reuses it', () => {
    const first = load({ NODE_ENV: 'development' });
    expect(first.config.appSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(secretFile(), 'utf8').trim()).toBe(first.config.appSecret);
    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
    expect(first.warn).toHaveBeenCalledTimes(1);
    expect(first.warn.mock.calls[0]![0]).toContain(secretFile());

    const second = load({ NODE_ENV: 'development' });
    expect(second.config.appSecret).toBe(first.config.appSecret);
    expect(second.warn).not.toHaveBeenCalled();
  });

  it('creates a missing DATA_DIR for the generated secret', () => {
    const nested = path.join(dataDir, 'a', 'b');
    const warn = vi.fn<(message: string) => void>();
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: nested }, warn);
    expect(readFileSync(path.join(nested, 'app-secret'), 'utf8').trim()).toBe(config.appSecret);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('a given APP_SECRET wins over a generated file', () => {
    load({ NODE_ENV: 'development' });
    const { config, warn } = load({ NODE_ENV: 'development', APP_SECRET: SECRET });
    expect(config.appSecret).toBe(SECRET);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('APP_SECRET_PREVIOUS', () => {
  it('reads former secrets, comma-separated, ignoring blanks', () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(40);
    expect(load({ APP_SECRET: SECRET, APP_SECRET_PREVIOUS: ` ${a}, ${b} ,` }).config.appSecretPrevious).toEqual([a, b]);
  });

  it('refuses a short one without echoing it', () => {
    const { lines, error } = failure({ APP_SECRET: SECRET, APP_SECRET_PREVIOUS: `${'a'.repeat(32)},hunter2-old` });
    expect(lines).toEqual(['APP_SECRET_PREVIOUS: each secret must be at least 32 characters']);
    expect(error.message).not.toContain('hunter2-old');
  });
});

describe('GraphQL introspection', () => {
  it.each([
    ['production', undefined, false],
    ['development', undefined, true],
    ['test', undefined, true],
    ['production', 'true', true],
    ['development', 'false', false],
    ['development', '0', false],
  ])('NODE_ENV=%s GRAPHQL_INTROSPECTION=%s -> %s', (nodeEnv, flag, expected) => {
    const env: Record<string, string> = { NODE_ENV: nodeEnv, APP_SECRET: SECRET, ...(flag ? { GRAPHQL_INTROSPECTION: flag } : {}) };
    const { config } = load(env);
    expect(config.graphql.introspection).toBe(expected);
    expect(config.isProduction).toBe(nodeEnv === 'production');
  });
});
