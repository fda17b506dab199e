import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The project root (the folder holding `migrations/`, `client/` and `.data/`). */
export const ROOT_DIR = path.resolve(import.meta.dirname, '../../..');

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const seconds = z.coerce.number().int().positive();

/** Every environment variable AgentFlow reads. `.env.example` documents each one. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default(path.join(ROOT_DIR, '.data')),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Comma-separated (generated secrets are base64url, so a comma never occurs inside one).
  APP_SECRET_PREVIOUS: z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every((s) => s.length >= 32), 'each secret must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: seconds.default(900),
  REFRESH_TOKEN_TTL_SECONDS: seconds.default(30 * 24 * 3600),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default('AgentFlow <no-reply@agentflow.local>'),
  CORS_ORIGINS: z.string().default(''),
  TRUST_PROXY: bool.default(false),
  GRAPHQL_INTROSPECTION: bool.optional(),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().positive().default(15),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().positive().default(2000),
  GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(5000),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().positive().default(20),
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  LOGIN_RATE_WINDOW_SECONDS: seconds.default(900),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  GEMINI_API_KEY: z.string().optional(),
  GEMINI_BASE_URL: z.url().optional(),
  OPENAI_COMPATIBLE_BASE_URL: z.url().optional(),
  OPENAI_COMPATIBLE_API_KEY: z.string().optional(),
  ALLOW_PRIVATE_PROVIDER_URLS: bool.optional(),
  LLM_TIMEOUT_SECONDS: seconds.default(120),
  RUN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  QUEUE_MONITOR_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  SANDBOX_PROCESSES: z.coerce.number().int().min(1).max(32).default(2),
  PLUGIN_FETCH_ALLOW_PRIVATE: bool.optional(),
  LLM_CACHE_TTL_SECONDS: seconds.default(24 * 3600),
});

export type Env = z.infer<typeof envSchema>;
export type Role = 'api' | 'worker' | 'all';

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  host: string;
  port: number;
  /** The URL users reach the app at; links in e-mails point here. */
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  databasePoolSize: number;
  appSecret: string;
  /**
   * Former APP_SECRETs: values sealed with them still open (and `npm run rotate-secrets`
   * re-seals them with APP_SECRET). Access tokens are signed with APP_SECRET only.
   */
  appSecretPrevious: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshReuseGraceSeconds: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Origins allowed to call the API from a browser besides the app's own. */
  allowedOrigins: string[];
  /** Take the client IP from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  graphql: { introspection: boolean; maxDepth: number; maxAliases: number; maxTokens: number; maxCost: number; maxDirectives: number };
  loginRateLimit: { limit: number; windowSeconds: number };
  logLevel: Env['LOG_LEVEL'];
  llm: LlmConfig;
  /** Run events and task payloads older than this are pruned; run summaries stay. */
  runRetentionDays: number;
  /**
   * How often a worker's queue supervisor looks for jobs whose worker died (missed heartbeats,
   * expired) and hands them back for a retry: a crashed node resumes within about this plus 10 s.
   */
  queueMonitorIntervalSeconds: number;
  plugins: {
    /** Sandbox processes hosting plugin isolates. */
    sandboxProcesses: number;
    /** Whether plugin `fetch` may reach private, loopback and metadata addresses (and plain http). */
    allowPrivateNetwork: boolean;
  };
}

/** Provider keys from the environment; organizations may bring their own instead. */
export interface LlmConfig {
  keys: Partial<Record<'anthropic' | 'openai' | 'gemini' | 'openai_compatible', { apiKey: string; baseUrl?: string }>>;
  /** Wall-clock limit of one model call, stream included. */
  timeoutMs: number;
  /**
   * Whether organizations may point a provider at a private or loopback address (a local Ollama).
   * Off in production: the server would otherwise call internal services on a tenant's behalf.
   */
  allowPrivateBaseUrls: boolean;
  cacheTtlSeconds: number;
}

export class ConfigError extends Error {}

/** Loads the project's `.env` into process.env if there is one; variables already set win. */
export function loadDotEnv(file = path.join(ROOT_DIR, '.env')): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

const APP_SECRET_REQUIRED = 'APP_SECRET: required when NODE_ENV=production (at least 32 characters)';

/**
 * Reads and validates the environment once. Every bad variable is reported, one per line,
 * each line naming the variable, so a misconfigured start stops with a readable message.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, warn: (m: string) => void = console.warn): Config {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    // Checked after parsing too (developmentSecret); here so it is reported with the others.
    if (raw.NODE_ENV === 'production' && raw.APP_SECRET === undefined) lines.push(APP_SECRET_REQUIRED);
    throw new ConfigError(lines.map((line) => `Invalid configuration: ${line}`).join('\n'));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(/\/$/, '');
  return Object.freeze({
    env: e.NODE_ENV,
    isProduction,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(ROOT_DIR, e.DATA_DIR),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    appSecret: e.APP_SECRET ?? developmentSecret(isProduction, path.resolve(ROOT_DIR, e.DATA_DIR), warn),
    appSecretPrevious: e.APP_SECRET_PREVIOUS ?? [],
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE_SECONDS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    allowedOrigins: [new URL(publicUrl).origin, ...e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)],
    trustProxy: e.TRUST_PROXY,
    graphql: {
      introspection: e.GRAPHQL_INTROSPECTION ?? !isProduction,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
    },
    loginRateLimit: { limit: e.LOGIN_RATE_LIMIT, windowSeconds: e.LOGIN_RATE_WINDOW_SECONDS },
    logLevel: e.LOG_LEVEL,
    runRetentionDays: e.RUN_RETENTION_DAYS,
    queueMonitorIntervalSeconds: e.QUEUE_MONITOR_INTERVAL_SECONDS,
    plugins: {
      sandboxProcesses: e.SANDBOX_PROCESSES,
      // Plugins reach the internet only: private, loopback and metadata addresses stay closed
      // even in development unless this is set (e.g. to try a plugin against a local server).
      allowPrivateNetwork: e.PLUGIN_FETCH_ALLOW_PRIVATE ?? false,
    },
    llm: {
      keys: Object.fromEntries(Object.entries({
        anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseUrl: e.ANTHROPIC_BASE_URL },
        openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
        gemini: { apiKey: e.GEMINI_API_KEY, baseUrl: e.GEMINI_BASE_URL },
        // Local servers (Ollama, vLLM, LM Studio) usually need no key: the base URL enables it.
        openai_compatible: { apiKey: e.OPENAI_COMPATIBLE_API_KEY ?? (e.OPENAI_COMPATIBLE_BASE_URL ? 'not-needed' : undefined), baseUrl: e.OPENAI_COMPATIBLE_BASE_URL },
      }).filter(([, v]) => v.apiKey).map(([k, v]) => [k, { apiKey: v.apiKey!, ...(v.baseUrl ? { baseUrl: v.baseUrl } : {}) }])),
      timeoutMs: e.LLM_TIMEOUT_SECONDS * 1000,
      allowPrivateBaseUrls: e.ALLOW_PRIVATE_PROVIDER_URLS ?? !isProduction,
      cacheTtlSeconds: e.LLM_CACHE_TTL_SECONDS,
    },
  });
}

/** Outside production a missing APP_SECRET is generated once and kept under the data dir. */
function developmentSecret(isProduction: boolean, dataDir: string, warn: (m: string) => void): string {
  if (isProduction) throw new ConfigError(`Invalid configuration: ${APP_SECRET_REQUIRED}`);
  const file = path.join(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  warn(`APP_SECRET is not set: generated one for development and kept it in ${file}. Set APP_SECRET in production.`);
  return secret;
}
