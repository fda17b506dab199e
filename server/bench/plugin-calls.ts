/**
 * Plugin call overhead: cold (code never seen: new isolate, compile, fresh context) and warm
 * (warm isolate, fresh context) latency, and calls per second with 50 calls in flight, through
 * the server's sandbox pool (IPC hop to a sandbox process included) and through the in-process
 * isolate host (the floor). Each call carries ~10 KB of JSON in and out, like the isolated-vm
 * reference in STACK.md. Targets (DESIGN.md): warm p50 <= 1 ms, cold p50 <= 3.5 ms, hop included.
 * Runs alone with `npx tsx bench/plugin-calls.ts`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createIsolateHost, type SandboxBridges, type SandboxCall, type SandboxRunner } from '@agentflow/plugin-sdk/host';
import { createSandboxPool } from '../src/sandbox/pool.ts';

const COLD_CALLS = Number(process.env.BENCH_PLUGIN_COLD ?? 300);
const WARM_CALLS = Number(process.env.BENCH_PLUGIN_WARM ?? 3000);
const CONCURRENT_CALLS = Number(process.env.BENCH_PLUGIN_CONCURRENT ?? 5000);
const CONCURRENCY = 50;

const BUNDLE = `var AgentFlowPlugin = (() => {
  const tag = { name: 'tag', description: 'Tags items', inputSchema: { type: 'object' },
    run: (input, ctx) => ({ count: input.items.length, items: input.items.map((item) => ({ ...item, tagged: true })) }) };
  return { default: { tools: [tag] } };
})();`;
const INPUT = { items: Array.from({ length: 80 }, (_, i) => ({ id: `item-${i}`, title: `Item number ${i}`, score: i * 1.5, tags: ['a', 'b'] })) };
const INPUT_SCHEMA = { type: 'object', properties: { items: { type: 'array' } }, required: ['items'] };
const bridges: SandboxBridges = { fetch: () => Promise.reject(new Error('no network in the benchmark')) };

export interface Latency { p50: number; p99: number }
export interface RunnerBench { cold: Latency; warm: Latency; callsPerSecond: number }

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const summary = (samples: number[]): Latency => {
  const sorted = samples.toSorted((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
};

async function timed(runner: SandboxRunner, call: SandboxCall): Promise<number> {
  const start = performance.now();
  const result = await runner.call(call, bridges);
  const ms = performance.now() - start;
  if (!result.ok) throw new Error(`benchmark call failed: ${result.code} ${result.error}`);
  return ms;
}

async function benchRunner(runner: SandboxRunner): Promise<RunnerBench> {
  const warmCall: SandboxCall = { codeKey: 'bench-warm', bundle: BUNDLE, tool: 'tag', input: INPUT, inputSchema: INPUT_SCHEMA };
  for (let i = 0; i < 200; i++) await timed(runner, warmCall);
  const warm: number[] = [];
  for (let i = 0; i < WARM_CALLS; i++) warm.push(await timed(runner, warmCall));

  // A new codeKey each time: the isolate is made and the bundle compiled for this call.
  const cold: number[] = [];
  const run = Date.now();
  for (let i = 0; i < COLD_CALLS; i++) cold.push(await timed(runner, { ...warmCall, codeKey: `bench-cold-${run}-${i}` }));

  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < CONCURRENT_CALLS) await timed(runner, warmCall);
  }));
  const callsPerSecond = Math.round(CONCURRENT_CALLS / ((performance.now() - start) / 1000));
  return { cold: summary(cold), warm: summary(warm), callsPerSecond };
}

async function benchInProcess(): Promise<RunnerBench> {
  const host = createIsolateHost();
  try {
    return await benchRunner(host);
  } finally {
    await host.close();
  }
}

/** isolated-vm needs --no-node-snapshot, which `npm run bench` (plain tsx) lacks: then it runs in a child that has it. */
function benchInProcessChild(): Promise<RunnerBench> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', fileURLToPath(import.meta.url), '--in-process-json'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as RunnerBench) : reject(new Error(`in-process plugin bench exited with ${code}`))));
  });
}

export async function benchPluginCalls(): Promise<{ pool: RunnerBench; inProcess: RunnerBench; poolSize: number }> {
  const poolSize = 2;
  // Production settings: 8 warm isolates and 8 calls at once per process (the rest queue in the pool).
  const pool = createSandboxPool({ size: poolSize });
  let poolResult: RunnerBench;
  try {
    await pool.ready();
    poolResult = await benchRunner(pool);
  } finally {
    await pool.close();
  }
  const inProcess = process.execArgv.includes('--no-node-snapshot') ? await benchInProcess() : await benchInProcessChild();
  return { pool: poolResult, inProcess, poolSize };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const line = (name: string, b: RunnerBench) =>
  `  ${name.padEnd(46)} warm p50 ${ms(b.warm.p50)} p99 ${ms(b.warm.p99)}   cold p50 ${ms(b.cold.p50)} p99 ${ms(b.cold.p99)}   ${b.callsPerSecond} calls/s (${CONCURRENCY} in flight)`;

export function formatPluginCalls(r: Awaited<ReturnType<typeof benchPluginCalls>>): string {
  return [
    `\nPlugin calls, ~10 KB JSON in and out, input validated (warm ${WARM_CALLS} sequential, cold ${COLD_CALLS} sequential with a new codeKey each)`,
    line(`sandbox pool (${r.poolSize} processes, IPC hop included)`, r.pool),
    line('in-process isolate host (no process hop)', r.inProcess),
    '  targets: warm p50 <= 1 ms, cold p50 <= 3.5 ms (process hop included)',
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--in-process-json')) process.stdout.write(JSON.stringify(await benchInProcess()));
  else process.stdout.write(`${formatPluginCalls(await benchPluginCalls())}\n`);
}
