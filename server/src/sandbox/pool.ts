import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveLimits, type SandboxBridges, type SandboxCall, type SandboxLimits, type SandboxResult, type SandboxRunner } from '@agentflow/plugin-sdk/host';
import type { FromSandbox, ToSandbox } from './protocol.ts';

export interface SandboxPoolOptions {
  /** Sandbox processes (each hosts many isolates; 1-2 suit a 2-core machine). */
  size: number;
  /** Limits for calls that do not set their own. */
  defaults?: Partial<SandboxLimits>;
  /** Idle isolates each process keeps warm (default 8). */
  maxWarmIsolates?: number;
  /**
   * Calls one process runs at once (default 8); the rest wait in the pool, first in first out.
   * Each running call has an isolate of its own (up to its memoryMb, and V8 may reach 2-3x), so
   * this is what bounds a process's memory.
   */
  maxCallsPerProcess?: number;
  /** V8 heap of each sandbox process itself; isolates have their own limits outside it (default 256). */
  maxOldSpaceMb?: number;
  /** How long a call waits for a process to start before it fails with UNAVAILABLE (default 20 s). */
  startTimeoutMs?: number;
}

export interface SandboxProcessInfo { pid: number | undefined; ready: boolean; inFlight: number }

export interface SandboxPool extends SandboxRunner {
  /** Resolves once every process has started (calls do not need to wait for it). */
  ready(): Promise<void>;
  processes(): SandboxProcessInfo[];
  /** Calls waiting for a free slot (or for a process to start). */
  queued(): number;
}

/** Extra wall time the parent allows past a call's own limit before it declares the process hung. */
const HUNG_GRACE_MS = 2000;
const MAX_KNOWN_BUNDLES = 256;

interface InFlight {
  /** What is sent to the process: the caller's call, with the wall clock it has left once it waited. */
  call: SandboxCall;
  bridges: SandboxBridges;
  started: number;
  /** Its wall-clock limit, as the caller set it. */
  wallMs: number;
  /** When its wall clock started, if it had to wait for a slot (unset: sent at once, or no process has started yet). */
  clockStart?: number;
  /** Time it waited for a slot, once sent. */
  waitedMs: number;
  timer: NodeJS.Timeout;
  resolve(result: SandboxResult): void;
}

interface Worker {
  child: ChildProcess;
  ready: boolean;
  inFlight: Map<number, InFlight>;
  /** codeKeys whose bundle this process has (the bundle string, to be sure it is the same code). */
  known: Map<string, string>;
  startedAt: number;
}

const here = import.meta.url;
const entry = fileURLToPath(new URL(`./sandbox-process${here.endsWith('.ts') ? '.ts' : '.js'}`, here));

/** Node flags of a sandbox process: isolated-vm needs --no-node-snapshot; sources in TypeScript need tsx. */
function execArgvFor(maxOldSpaceMb: number): string[] {
  const argv = ['--no-node-snapshot', `--max-old-space-size=${maxOldSpaceMb}`];
  if (entry.endsWith('.ts')) argv.push('--import', pathToFileURL(createRequire(here).resolve('tsx')).href);
  return argv;
}

/**
 * Only what Node needs: an isolate that escaped would find no database URL, app secret or
 * provider key in this process's environment.
 */
function sandboxEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'TZ', 'LANG', 'NODE_ENV', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP']) if (process.env[key]) env[key] = process.env[key];
  return env;
}

const failure = (code: 'CRASHED' | 'UNAVAILABLE' | 'TIMEOUT', error: string, started: number): SandboxResult =>
  ({ ok: false, code, error, logs: [], durationMs: performance.now() - started });

/**
 * Plugin calls in a small pool of sandbox processes (child_process.fork of sandbox-process.ts),
 * apart from the API and the workflow workers, as isolated-vm's documentation advises: an isolate
 * that takes its process down fails only the calls in that process (CRASHED), and the process is
 * replaced. Calls go to the least busy process, preferring one that has the code warm; `ctx.fetch`
 * runs here in the parent, through the caller's bridge.
 *
 * A process runs at most `maxCallsPerProcess` calls at once; the others wait here, first in first
 * out. Time spent waiting for a slot counts against the call's wall clock (`wallMs` bounds the
 * call as its caller sees it): the process is given what is left, and a call still waiting when
 * its wall clock runs out fails with TIMEOUT without having run. Waiting for a process to start
 * (the pool's first calls, or a replacement after a crash) does not count; `startTimeoutMs`
 * bounds that.
 *
 * @example
 * const sandbox = createSandboxPool({ size: 2 });
 * const result = await sandbox.call({ codeKey, bundle, tool: 'send_message', input }, { fetch: createFetchBridge({ ... }) });
 */
export function createSandboxPool(options: SandboxPoolOptions): SandboxPool {
  const size = Math.max(1, Math.floor(options.size));
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const execArgv = execArgvFor(options.maxOldSpaceMb ?? 256);
  const maxCalls = Math.max(1, Math.floor(options.maxCallsPerProcess ?? 8));
  const workers: Worker[] = [];
  const queue: { id: number; entry: InFlight }[] = [];
  let nextId = 0;
  let closed = false;
  let unavailable: string | undefined;
  let quickDeaths = 0;
  let readyWaiters: { resolve(): void; reject(error: Error): void }[] = [];

  function spawn(): void {
    const child = fork(entry, [], {
      execArgv,
      env: sandboxEnv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    const worker: Worker = { child, ready: false, inFlight: new Map(), known: new Map(), startedAt: performance.now() };
    workers.push(worker);
    child.on('message', (message: FromSandbox) => onMessage(worker, message));
    child.on('error', () => child.kill('SIGKILL')); // 'exit' follows and does the cleanup
    child.once('exit', (code, signal) => onExit(worker, code, signal));
    const init: ToSandbox = { type: 'init', ...(options.maxWarmIsolates ? { maxWarmIsolates: options.maxWarmIsolates } : {}), ...(options.defaults ? { defaults: options.defaults } : {}) };
    child.send(init);
  }

  function onMessage(worker: Worker, message: FromSandbox): void {
    switch (message.type) {
      case 'ready':
        worker.ready = true;
        quickDeaths = 0;
        for (const { id, entry: waiting } of queue) if (waiting.clockStart === undefined) startClock(id, waiting);
        if (workers.every((w) => w.ready)) {
          for (const waiter of readyWaiters) waiter.resolve();
          readyWaiters = [];
        }
        drain();
        return;
      case 'fatal':
        unavailable = `The plugin sandbox cannot start: ${message.error}`;
        for (const { entry: waiting } of queue.splice(0)) settle(waiting, failure('UNAVAILABLE', unavailable, waiting.started));
        for (const waiter of readyWaiters) waiter.reject(new Error(unavailable));
        readyWaiters = [];
        return;
      case 'need-bundle': {
        const inFlight = worker.inFlight.get(message.id);
        if (inFlight) send(worker, message.id, inFlight.call, true);
        return;
      }
      case 'fetch': {
        const inFlight = worker.inFlight.get(message.id);
        const reply = (answer: { ok: true; response: never } | { ok: false; error: string }) => {
          if (worker.child.connected) worker.child.send({ type: 'fetched', id: message.id, fetchId: message.fetchId, ...answer } as ToSandbox);
        };
        if (!inFlight) return reply({ ok: false, error: 'The call has ended' });
        let pending: Promise<unknown>;
        try {
          pending = inFlight.bridges.fetch(message.request);
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(
          (response) => reply({ ok: true, response: response as never }),
          (error: unknown) => reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
        );
        return;
      }
      case 'result': {
        const inFlight = worker.inFlight.get(message.id);
        if (!inFlight) return;
        worker.inFlight.delete(message.id);
        const { result } = message;
        // The process only knew the time left after the wait: say the caller's limit.
        if (!result.ok && result.code === 'TIMEOUT' && inFlight.waitedMs > 0) result.error = timedOutAfterWait(inFlight);
        settle(inFlight, result);
        drain();
        return;
      }
    }
  }

  function onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    workers.splice(workers.indexOf(worker), 1);
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    for (const inFlight of worker.inFlight.values()) {
      settle(inFlight, closed
        ? failure('UNAVAILABLE', `The plugin sandbox was shut down while tool ${inFlight.call.tool} was running`, inFlight.started)
        : failure('CRASHED', `The sandbox process stopped (it ${how}) while tool ${inFlight.call.tool} was running; the call did not finish`, inFlight.started));
    }
    worker.inFlight.clear();
    if (closed || unavailable) return;
    // A process that dies before it is ready, again and again, is restarted less and less eagerly.
    if (!worker.ready || performance.now() - worker.startedAt < 1000) quickDeaths++;
    const delay = quickDeaths ? Math.min(5000, 100 * 2 ** (quickDeaths - 1)) : 0;
    setTimeout(() => {
      if (!closed && !unavailable) spawn();
    }, delay).unref();
  }

  function settle(inFlight: InFlight, result: SandboxResult): void {
    clearTimeout(inFlight.timer);
    inFlight.resolve(result);
  }

  function send(worker: Worker, id: number, call: SandboxCall, withBundle: boolean): void {
    const message: ToSandbox = { type: 'call', id, call: withBundle ? call : { ...call, bundle: undefined } };
    worker.child.send(message);
    worker.known.delete(call.codeKey);
    worker.known.set(call.codeKey, call.bundle);
    if (worker.known.size > MAX_KNOWN_BUNDLES) worker.known.delete(worker.known.keys().next().value!);
  }

  const timedOutAfterWait = (inFlight: InFlight) =>
    `Tool ${inFlight.call.tool} ran longer than ${inFlight.wallMs} ms (${inFlight.waitedMs} ms of it waiting for a free sandbox process) and was stopped`;

  /** The least busy ready process with a free slot; among equals, one that has this code warm. */
  function pick(codeKey: string): Worker | undefined {
    let best: Worker | undefined;
    for (const worker of workers) {
      if (!worker.ready || !worker.child.connected || worker.inFlight.size >= maxCalls) continue;
      if (!best || worker.inFlight.size < best.inFlight.size
        || (worker.inFlight.size === best.inFlight.size && worker.known.has(codeKey) && !best.known.has(codeKey))) best = worker;
    }
    return best;
  }

  function dispatch(id: number, inFlight: InFlight): boolean {
    const worker = pick(inFlight.call.codeKey);
    if (!worker) return false;
    worker.inFlight.set(id, inFlight);
    let limit = inFlight.wallMs;
    if (inFlight.clockStart !== undefined) {
      inFlight.waitedMs = Math.round(performance.now() - inFlight.clockStart);
      limit = Math.max(1, inFlight.wallMs - inFlight.waitedMs);
      if (inFlight.waitedMs > 0) inFlight.call = { ...inFlight.call, limits: { ...inFlight.call.limits, wallMs: limit } };
    }
    // The process is unresponsive if a call outlives its own wall-clock limit by this much.
    clearTimeout(inFlight.timer);
    inFlight.timer = setTimeout(() => {
      if (!worker.inFlight.has(id)) return;
      worker.inFlight.delete(id);
      settle(inFlight, failure('TIMEOUT', `Tool ${inFlight.call.tool} ran longer than ${inFlight.wallMs} ms and was stopped (its sandbox process stopped answering and was restarted)`, inFlight.started));
      worker.ready = false; // no new calls while it goes; 'exit' fails the rest and replaces it
      worker.child.kill('SIGKILL');
    }, limit + HUNG_GRACE_MS);
    send(worker, id, inFlight.call, worker.known.get(inFlight.call.codeKey) !== inFlight.call.bundle);
    return true;
  }

  /** A queued call's wall clock starts once a process could have run it. */
  function startClock(id: number, waiting: InFlight): void {
    waiting.clockStart = performance.now();
    clearTimeout(waiting.timer);
    waiting.timer = setTimeout(() => {
      const index = queue.findIndex((q) => q.id === id);
      if (index < 0) return;
      queue.splice(index, 1);
      const waited = Math.round(performance.now() - waiting.clockStart!);
      waiting.resolve(failure('TIMEOUT', `Tool ${waiting.call.tool} waited ${waited} ms for a free sandbox process (each runs at most ${maxCalls} call${maxCalls === 1 ? '' : 's'} at once) and did not start within its ${waiting.wallMs} ms`, waiting.started));
    }, waiting.wallMs);
  }

  function enqueue(id: number, waiting: InFlight): void {
    queue.push({ id, entry: waiting });
    if (workers.some((w) => w.ready)) {
      startClock(id, waiting);
      return;
    }
    waiting.timer = setTimeout(() => {
      const index = queue.findIndex((q) => q.id === id);
      if (index < 0) return;
      queue.splice(index, 1);
      waiting.resolve(failure('UNAVAILABLE', `No sandbox process started within ${startTimeoutMs} ms`, waiting.started));
    }, startTimeoutMs);
  }

  function drain(): void {
    while (queue.length) {
      const next = queue[0]!;
      if (!dispatch(next.id, next.entry)) return;
      queue.shift();
    }
  }

  for (let i = 0; i < size; i++) spawn();

  return {
    call(call, bridges) {
      const started = performance.now();
      if (closed) return Promise.resolve(failure('UNAVAILABLE', 'The plugin sandbox is shut down', started));
      if (unavailable) return Promise.resolve(failure('UNAVAILABLE', unavailable, started));
      return new Promise<SandboxResult>((resolve) => {
        const id = ++nextId;
        const wallMs = resolveLimits(options.defaults, call.limits).wallMs;
        const inFlight: InFlight = { call, bridges, started, wallMs, waitedMs: 0, resolve, timer: undefined as unknown as NodeJS.Timeout };
        if (queue.length || !dispatch(id, inFlight)) enqueue(id, inFlight);
      });
    },
    ready() {
      if (unavailable) return Promise.reject(new Error(unavailable));
      if (workers.length === size && workers.every((w) => w.ready)) return Promise.resolve();
      return new Promise((resolve, reject) => readyWaiters.push({ resolve, reject }));
    },
    processes: () => workers.map((w) => ({ pid: w.child.pid, ready: w.ready, inFlight: w.inFlight.size })),
    queued: () => queue.length,
    async close() {
      closed = true;
      for (const { entry: waiting } of queue.splice(0)) settle(waiting, failure('UNAVAILABLE', 'The plugin sandbox is shut down', waiting.started));
      await Promise.all(workers.map((worker) => new Promise<void>((resolve) => {
        if (worker.child.exitCode !== null || worker.child.signalCode !== null) return resolve();
        worker.child.once('exit', () => resolve());
        worker.child.kill('SIGKILL');
      })));
    },
  };
}
