/**
 * `npm run bench`: numbers for the targets in DESIGN.md, printed for the issue note.
 *  - authenticated, database-backed GraphQL read vs a bare yoga `{ hello }` (target >= 0.5x)
 *  - RSS of an idle `--role all` process, Postgres excluded (target < 300 MB)
 *  - LLM adapter overhead over the bare SDKs (bench/llm-overhead.ts)
 *  - workflow engine overhead per node vs a bare pg-boss job chain (bench/engine.ts, target <= 1.3x)
 *  - plugin call overhead, cold and warm, and calls/s with 50 in flight (bench/plugin-calls.ts)
 * Uses TEST_DATABASE_URL when set, else an embedded PostgreSQL. Load generator: autocannon,
 * 10 connections, on the same two cores as the server.
 */
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { createSchema, createYoga } from 'graphql-yoga';
import { startApp } from '../src/app.ts';
import { loadConfig } from '../src/config/env.ts';
import { createTestDatabase, startTestPostgres } from '../test/support/test-database.ts';
import { createLogger } from '../src/lib/logger.ts';
import { testEnv } from '../test/helpers.ts';
import { benchEngine, formatEngineBench } from './engine.ts';
import { benchLlmOverhead, formatLlmOverhead } from './llm-overhead.ts';
import { benchPluginCalls, formatPluginCalls } from './plugin-calls.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

interface Load { rps: number; p50: number; p99: number; errors: number }

async function load(url: string, body: string, headers: Record<string, string> = {}): Promise<Load> {
  const run = (duration: number) => autocannon({ url, method: 'POST', body, connections: 10, duration, headers: { 'content-type': 'application/json', ...headers } });
  await run(2); // warm up JIT, pools and caches
  const r = await run(DURATION);
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function bareYoga(): Promise<{ url: string; close(): void }> {
  const yoga = createYoga({ schema: createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } }), logging: false });
  const server = http.createServer(yoga);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, close: () => server.close() };
}

async function idleRss(databaseUrl: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=all'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, ...testEnv(databaseUrl, { LOG_LEVEL: 'error' }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('running at')) resolve(); }));
  await new Promise((r) => setTimeout(r, 5000)); // let start-up garbage be collected
  const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(child.pid)]).toString().trim());
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return Math.round(kb / 1024);
}

const pg = await startTestPostgres(process.env.TEST_DATABASE_URL || undefined);
const database = await createTestDatabase(pg.adminUrl, pg.template);
try {
  const bare = await bareYoga();
  const baseline = await load(bare.url, JSON.stringify({ query: '{ hello }' }));
  bare.close();

  const config = loadConfig(testEnv(database.url, { LOGIN_RATE_LIMIT: '1000' }), () => undefined);
  const app = await startApp(config, 'api', createLogger('error'));
  const register = await fetch(`${app.url}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { register(input: { email: "bench@example.com", password: "correct horse battery", name: "Bench", organizationName: "Bench" }) { accessToken organization { id } } }' }),
  }).then((r) => r.json()) as { data: { register: { accessToken: string; organization: { id: string } } } };
  const { accessToken, organization } = register.data.register;
  const authed = await load(`${app.url}/graphql`, JSON.stringify({ query: '{ viewer { id email } organization { id name role } }' }),
    { authorization: `Bearer ${accessToken}`, 'x-organization-id': organization.id });
  await app.stop();

  const rss = await idleRss(database.url);
  const rows = [
    ['bare yoga { hello }', baseline],
    ['AgentFlow authenticated read (JWT + session + membership + org row)', authed],
  ] as const;
  console.log(`\nGraphQL reads, 10 connections, ${DURATION} s, load generator on the same cores`);
  for (const [name, r] of rows) console.log(`  ${name.padEnd(70)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`);
  console.log(`  ratio authenticated / bare: ${(authed.rps / baseline.rps).toFixed(2)}x (target >= 0.5x)`);
  console.log(`\nIdle RSS of one --role all process (Postgres excluded): ${rss} MB (target < 300 MB)\n`);
  console.log(formatEngineBench(await benchEngine(database.url)));
} finally {
  await database.drop();
  await pg.stop();
}

console.log(formatLlmOverhead(await benchLlmOverhead()));
console.log(formatPluginCalls(await benchPluginCalls()));
