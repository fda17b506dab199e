import type { Json } from '../types.ts';
import { prepareSlot, releaseSlot, type Slot } from './context-slot.ts';
import { loadIsolatedVm } from './ivm.ts';
import { resolveLimits } from './limits.ts';
import { validateAgainst } from './schema-validator.ts';
import { isSecretTag } from './secret-tag.ts';
import type { LogEntry, SandboxBridges, SandboxCall, SandboxErrorCode, SandboxLimits, SandboxResult, SandboxRunner } from './types.ts';
import { WarmIsolates, type WarmIsolate } from './warm-isolates.ts';

export { describeBundle } from './describe-bundle.ts';

export interface IsolateHostOptions {
  /** Idle isolates kept for reuse, across all plugins (default 8; each holds its code and one fresh context). */
  maxWarmIsolates?: number;
  /**
   * An isolate whose heap is larger than this when its call ends is disposed rather than kept
   * warm (default 16 MB): V8 keeps the heap a call grew, garbage or not, until it needs the room,
   * so a warm isolate after a 40 MB call would hold 40 MB while it waits. (An isolate serving
   * ordinary calls swings between about 2 and 13 MB before V8 collects: measured with 10 KB calls.)
   */
  maxIdleIsolateHeapMb?: number;
  /** Heap of all idle isolates together; the least recently used go first (default 64 MB). */
  maxWarmHeapMb?: number;
  /** Limits for calls that do not set their own (on top of `DEFAULT_LIMITS`). */
  defaults?: Partial<SandboxLimits>;
  /** Log entries kept per call; later ones are counted and dropped (default 100). */
  maxLogEntries?: number;
  /**
   * isolated-vm lost control of an isolate and its memory: its README says to end the process.
   * The default writes the message to stderr and aborts (a sandbox process is then replaced).
   */
  onCatastrophicError?: (message: string) => void;
}

export interface IsolateHostStats {
  idleIsolates: number;
  /** Heap of the idle isolates (V8's total_heap_size plus external memory), as measured when each went idle. */
  idleHeapBytes: number;
  activeCalls: number;
  isolatesCreated: number;
  isolatesDisposed: number;
}

export interface IsolateHost extends SandboxRunner {
  stats(): IsolateHostStats;
}

/** Codes the guest runtime may report about itself; anything else it says is ignored. */
const GUEST_CODES = new Set<SandboxErrorCode>(['THROWN', 'INVALID_OUTPUT', 'OUTPUT_TOO_LARGE', 'TOOL_NOT_FOUND', 'BAD_BUNDLE']);
/** After these the isolate is not trusted again. */
const FATAL_CODES = new Set<SandboxErrorCode>(['TIMEOUT', 'CPU_LIMIT', 'MEMORY_LIMIT', 'BRIDGE_LIMIT', 'BAD_BUNDLE', 'UNAVAILABLE', 'CRASHED']);
const MAX_MESSAGE_CHARS = 4000;
/** The runtime's meta answer and log lines are small by construction (it cuts what it sends); more is refused unparsed. */
const MAX_META_CHARS = 64 * 1024;
const MAX_LOG_LINE_CHARS = 256 * 1024;
const MB = 1024 * 1024;
/** How long a finished call's isolate may take to fall idle before it is thrown away. */
const QUIESCE_MS = 500;

class CallFailure extends Error {
  constructor(readonly code: SandboxErrorCode, message: string) {
    super(message);
  }
}

const truncate = (text: string, max = MAX_MESSAGE_CHARS) => (text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text);
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** Errors copied out of an isolate keep their class name; say it ("SyntaxError: ..."). */
const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

function defaultCatastrophe(message: string): void {
  process.stderr.write(`isolated-vm: catastrophic error, ending the process: ${message}\n`);
  process.abort();
}

function guestFailureMessage(code: SandboxErrorCode, tool: string, detail: string, limits: SandboxLimits): string {
  switch (code) {
    case 'INVALID_OUTPUT': return `Tool ${tool} returned output that is not valid: ${detail}`;
    case 'OUTPUT_TOO_LARGE': return `Tool ${tool} returned more than ${limits.maxOutputBytes} bytes of output`;
    case 'TOOL_NOT_FOUND': return `Tool ${tool} was not found: ${detail}`;
    case 'BAD_BUNDLE': return `The bundle of tool ${tool} is not a plugin: ${detail}`;
    default: return `Tool ${tool} threw ${detail}`;
  }
}

/**
 * Runs plugin calls in isolated-vm isolates inside this process. Used by `agentflow-plugin test`
 * and inside each of the server's sandbox processes.
 *
 * Each call gets an isolate of its own (a warm one for the same code when there is one: two calls
 * never share an isolate, so one cannot stall or take down another) and a fresh context: nothing
 * a call leaves in globals is seen by the next. A warm isolate prepares the next call's context
 * while it waits in the pool. The guest sees ECMAScript built-ins, `console`, `atob`/`btoa` and
 * the `ctx` of `run(input, ctx)` (`fetch`, `log`, `secret`); no `require`, `process`, timers or
 * host objects. Limits: memory (isolated-vm's `memoryLimit`), CPU (isolated-vm's `timeout` on each
 * entry, plus the isolate's CPU clock for work inside promise chains), wall clock (our own
 * watchdog: isolated-vm's timeout does not cover promises), `ctx.fetch` calls, the size of each
 * request and of all of a call's requests, and output size. Whatever the guest sends out is copied
 * into this process's heap, so the runtime refuses oversized requests before they cross and cuts
 * error messages; this host measures again before it parses. After a timeout, a limit or a broken
 * bundle the isolate is disposed, never reused; one whose heap grew past `maxIdleIsolateHeapMb` is
 * disposed too, and idle isolates share a heap budget (`maxWarmHeapMb`).
 *
 * @example
 * const host = createIsolateHost();
 * const result = await host.call(
 *   { codeKey: packed.sha256, bundle: packed.bundle, tool: 'add', input: { a: 1, b: 2 } },
 *   { fetch: async () => { throw new Error('no network in this test'); } },
 * );
 * if (result.ok) console.log(result.output);
 * await host.close();
 */
export function createIsolateHost(options: IsolateHostOptions = {}): IsolateHost {
  const ivm = loadIsolatedVm();
  const maxLogEntries = options.maxLogEntries ?? 100;
  const hostLimits = resolveLimits(options.defaults);
  const warm = new WarmIsolates(ivm, {
    max: options.maxWarmIsolates ?? 8,
    maxHeapBytes: (options.maxWarmHeapMb ?? 64) * MB,
    onCatastrophicError: options.onCatastrophicError ?? defaultCatastrophe,
  });
  const maxIdleHeapBytes = (options.maxIdleIsolateHeapMb ?? 16) * MB;
  const active = new Set<(code: SandboxErrorCode, message: string) => void>();
  let closed = false;

  async function call(request: SandboxCall, bridges: SandboxBridges): Promise<SandboxResult> {
    const started = performance.now();
    const logs: LogEntry[] = [];
    const tool = String(request.tool);
    const limits = resolveLimits(options.defaults, request.limits);
    const failed = (code: SandboxErrorCode, error: string): SandboxResult => ({ ok: false, code, error: truncate(error), logs, durationMs: performance.now() - started });
    if (closed) return failed('UNAVAILABLE', 'The sandbox host is closed');

    const input = validateAgainst(request.inputSchema, request.input ?? null, 'input');
    if (!input.ok) return failed('INVALID_INPUT', `Tool ${tool} got input that does not match its input schema: ${input.error}`);
    if (request.secretTag !== undefined && !isSecretTag(request.secretTag)) return failed('INVALID_INPUT', `Tool ${tool} was called with a malformed secretTag (32 to 128 lowercase hex characters; use createSecretTag())`);

    let isolate: WarmIsolate | undefined;
    let slot: Slot | undefined;
    let failure: CallFailure | undefined;
    let outcome: SandboxErrorCode | undefined;
    let finished = false;
    let fetchCalls = 0;
    let fetchBytes = 0;
    let fetchesInFlight = 0;
    let logsReceived = 0;
    let cpuStart = 0n;
    let rejectAborted!: (error: CallFailure) => void;
    const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
    aborted.catch(() => undefined);

    /** Ends the call now: the isolate is disposed, which stops whatever the guest is running. */
    const abort = (code: SandboxErrorCode, message: string) => {
      if (failure || finished) return;
      failure = new CallFailure(code, message);
      if (isolate) warm.dispose(isolate);
      rejectAborted(failure);
    };
    const guard = <T>(step: Promise<T>): Promise<T> => Promise.race([step, aborted]);
    const cpuUsedMs = () => (isolate && !isolate.isolate.isDisposed ? Number(isolate.isolate.cpuTime - cpuStart) / 1e6 : 0);
    const cpuLeftMs = () => Math.max(1, Math.ceil(limits.cpuMs - cpuUsedMs()));
    const messages = {
      TIMEOUT: `Tool ${tool} ran longer than ${limits.wallMs} ms and was stopped`,
      CPU_LIMIT: `Tool ${tool} used more than ${limits.cpuMs} ms of CPU time and was stopped`,
      MEMORY_LIMIT: `Tool ${tool} used more than ${limits.memoryMb} MB of memory and was stopped`,
    };
    active.add(abort);

    const wallTimer = setTimeout(() => abort('TIMEOUT', messages.TIMEOUT), limits.wallMs);
    let cpuTimer: NodeJS.Timeout | undefined;
    const watchCpu = () => {
      const used = cpuUsedMs();
      if (used >= limits.cpuMs) abort('CPU_LIMIT', messages.CPU_LIMIT);
      // CPU time never runs ahead of wall time: the budget cannot run out sooner than `left` ms from now.
      else cpuTimer = setTimeout(watchCpu, Math.max(5, limits.cpuMs - used));
    };

    /** What an isolated-vm rejection means. */
    const classify = (error: unknown, during: 'load' | 'run'): CallFailure => {
      if (failure) return failure;
      if (error instanceof CallFailure) return error;
      const message = errorMessage(error);
      if (/memory limit/i.test(message) || (isolate?.isolate.isDisposed ?? false)) return new CallFailure('MEMORY_LIMIT', messages.MEMORY_LIMIT);
      if (/execution timed out/i.test(message)) return new CallFailure('CPU_LIMIT', messages.CPU_LIMIT);
      return during === 'load'
        ? new CallFailure('BAD_BUNDLE', `The bundle of tool ${tool} does not load: ${describeError(error)}`)
        : new CallFailure('THROWN', `Tool ${tool} failed: ${describeError(error)}`);
    };

    const onLog = (json: string) => {
      if (finished || failure) return;
      logsReceived++;
      if (logs.length >= maxLogEntries || typeof json !== 'string' || json.length > MAX_LOG_LINE_CHARS) return;
      try {
        const [level, message, data] = JSON.parse(json) as [LogEntry['level'], string, Json];
        logs.push({ level, message: truncate(String(message)), ...(data === null ? {} : { data }), at: new Date().toISOString() });
      } catch {
        // the runtime always sends JSON; a broken line is dropped rather than failing the call
      }
    };

    const settle = (id: number, answer: { ok: true; response: unknown } | { ok: false; error: string }) => {
      fetchesInFlight--;
      if (finished || failure || !slot) return;
      slot.dispatch.apply(undefined, ['settle', id, JSON.stringify(answer)], { arguments: { copy: true }, timeout: cpuLeftMs() })
        .catch((error: unknown) => {
          const reason = classify(error, 'run');
          abort(reason.code, reason.message);
        });
    };

    /** `json` is the request, or only its size when the runtime refused to send it (over a limit). */
    const onFetch = (id: number, json: string | number) => {
      if (finished || failure) return;
      if (++fetchCalls > limits.maxBridgeCalls) {
        abort('BRIDGE_LIMIT', `Tool ${tool} made more than ${limits.maxBridgeCalls} ctx.fetch calls`);
        return;
      }
      // Measured again here (bytes, not the runtime's characters), before anything parses it.
      const bytes = typeof json === 'string' ? Buffer.byteLength(json) : Number(json);
      fetchBytes += bytes;
      if (!(bytes <= limits.maxFetchRequestBytes)) {
        abort('BRIDGE_LIMIT', `Tool ${tool} sent a ctx.fetch request larger than ${limits.maxFetchRequestBytes} bytes (as JSON)`);
        return;
      }
      if (typeof json !== 'string' || fetchBytes > limits.maxFetchTotalBytes) {
        abort('BRIDGE_LIMIT', `Tool ${tool} sent more than ${limits.maxFetchTotalBytes} bytes in its ctx.fetch requests`);
        return;
      }
      fetchesInFlight++;
      let pending: Promise<unknown>;
      try {
        pending = bridges.fetch(JSON.parse(json) as Parameters<SandboxBridges['fetch']>[0]);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (response) => settle(id, { ok: true, response }),
        (error: unknown) => settle(id, { ok: false, error: truncate(errorMessage(error), 2000) }),
      );
    };

    try {
      const key = `${limits.memoryMb}:${request.codeKey}`;
      // A warm isolate, once its prepared context is ready; one that turned out unusable is skipped.
      while (!slot) {
        const candidate = warm.take(key, request.bundle);
        if (!candidate) break;
        isolate = candidate;
        slot = await guard(candidate.next ?? Promise.resolve(undefined));
      }
      if (slot) {
        cpuStart = isolate!.isolate.cpuTime;
      } else {
        const creating = warm.create(key, request.bundle, limits.memoryMb);
        try {
          isolate = await guard(creating);
        } catch (error) {
          creating.then((late) => warm.dispose(late), () => undefined); // the wall clock ran out while compiling
          throw classify(error, 'load');
        }
        cpuStart = isolate.isolate.cpuTime;
        try {
          slot = await guard(prepareSlot(ivm, isolate, cpuLeftMs()));
        } catch (error) {
          throw classify(error, 'load');
        }
      }
      cpuTimer = setTimeout(watchCpu, Math.max(5, limits.cpuMs - cpuUsedMs()));
      slot.sink.owner = { onLog, onFetch };
      for (const line of slot.sink.early.splice(0)) onLog(line); // logged by the bundle as it loaded

      let answer: [string, string?];
      try {
        const running = slot.dispatch.apply(undefined, ['call', tool, JSON.stringify(input.value), limits.maxOutputBytes, maxLogEntries, request.secretTag ?? null, limits.maxFetchRequestBytes, limits.maxFetchTotalBytes], {
          arguments: { copy: true }, result: { promise: true, copy: true }, timeout: cpuLeftMs(),
        });
        const current = isolate!;
        current.spare = prepareSlot(ivm, current, hostLimits.cpuMs).catch(() => undefined);
        answer = await guard(running) as [string, string?];
      } catch (error) {
        throw classify(error, 'run');
      }
      if (cpuUsedMs() > limits.cpuMs) throw new CallFailure('CPU_LIMIT', messages.CPU_LIMIT);

      if (!Array.isArray(answer) || typeof answer[0] !== 'string' || answer[0].length > MAX_META_CHARS) throw new CallFailure('THROWN', `Tool ${tool} failed: the sandbox runtime gave a malformed answer`);
      const meta = JSON.parse(answer[0]) as { ok: boolean; code?: SandboxErrorCode; error?: string; logs: number; dropped: number };
      // Log lines are one-way messages; wait (briefly) for any still on their way.
      for (let spins = 0; logsReceived < Math.min(meta.logs, maxLogEntries + 1) && spins < 50; spins++) await new Promise(setImmediate);
      if (meta.dropped > 0 || logsReceived > logs.length) {
        logs.push({ level: 'warn', message: `${meta.dropped + logsReceived - logs.length} more log entries were dropped (at most ${maxLogEntries} per call)`, at: new Date().toISOString() });
      }
      if (!meta.ok) {
        const code = meta.code && GUEST_CODES.has(meta.code) ? meta.code : 'THROWN';
        throw new CallFailure(code, guestFailureMessage(code, tool, String(meta.error), limits));
      }
      const outputJson = answer[1] ?? 'null';
      const bytes = Buffer.byteLength(outputJson);
      if (bytes > limits.maxOutputBytes) throw new CallFailure('OUTPUT_TOO_LARGE', `Tool ${tool} returned ${bytes} bytes of output, more than the ${limits.maxOutputBytes} allowed`);
      const output = validateAgainst(request.outputSchema, JSON.parse(outputJson) as Json, 'output', true);
      if (!output.ok) throw new CallFailure('INVALID_OUTPUT', `Tool ${tool} returned output that does not match its output schema: ${output.error}`);
      return { ok: true, output: output.value, logs, durationMs: performance.now() - started };
    } catch (error) {
      const reason = failure ?? (error instanceof CallFailure ? error : classify(error, 'run'));
      outcome = reason.code;
      return failed(reason.code, reason.message);
    } finally {
      finished = true;
      clearTimeout(wallTimer);
      clearTimeout(cpuTimer);
      active.delete(abort);
      if (slot) slot.sink.finished = true;
      const reusable = !failure && !(outcome && FATAL_CODES.has(outcome)) && fetchesInFlight === 0;
      if (isolate) recycle(isolate, slot, reusable);
    }
  }

  /**
   * Puts a finished call's isolate back in the pool with the next call's context on the way, if
   * it is clean: no fetch left pending (its answer would run old code later) and no work left
   * running (a promise chain still looping after the result) within QUIESCE_MS.
   */
  function recycle(isolate: WarmIsolate, slot: Slot | undefined, reusable: boolean): void {
    if (!reusable || !slot || closed || isolate.isolate.isDisposed) {
      warm.dispose(isolate);
      return;
    }
    isolate.next = (async () => {
      try {
        let timer: NodeJS.Timeout | undefined;
        const idle = await Promise.race([
          slot.dispatch.apply(undefined, ['ping'], { timeout: QUIESCE_MS }).then(() => true, () => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(resolve, QUIESCE_MS, false))),
        ]);
        clearTimeout(timer);
        if (!idle || slot.sink.dirty || closed) throw new Error('not reusable');
        releaseSlot(slot);
        // V8 keeps the heap a call grew (garbage included) until it needs the room: one that grew is not kept.
        const heap = await isolate.isolate.getHeapStatistics();
        const heapBytes = heap.total_heap_size + heap.externally_allocated_size;
        if (heapBytes > maxIdleHeapBytes) throw new Error('too large to keep');
        warm.measured(isolate, heapBytes);
        if (isolate.isolate.isDisposed) throw new Error('evicted'); // over the warm heap budget
        let watchdog: NodeJS.Timeout | undefined;
        const spare = isolate.spare;
        isolate.spare = undefined;
        const next = await Promise.race([
          spare?.then((ready) => ready ?? prepareSlot(ivm, isolate, hostLimits.cpuMs)) ?? prepareSlot(ivm, isolate, hostLimits.cpuMs),
          new Promise<never>((_, reject) => (watchdog = setTimeout(reject, hostLimits.wallMs, new Error('slow to load')))),
        ]);
        clearTimeout(watchdog);
        return next;
      } catch {
        warm.dispose(isolate);
        return undefined;
      }
    })();
    warm.give(isolate);
  }

  return {
    call,
    async close() {
      closed = true;
      for (const abort of active) abort('UNAVAILABLE', 'The sandbox host is shutting down');
      warm.disposeAll();
    },
    stats: () => ({ idleIsolates: warm.size, idleHeapBytes: warm.heapBytes, activeCalls: active.size, isolatesCreated: warm.created, isolatesDisposed: warm.disposed }),
  };
}
