import type { Slot } from './context-slot.ts';
import { GUEST_RUNTIME } from './guest-runtime.ts';
import type { IsolatedVm, IvmIsolate, IvmScript } from './ivm.ts';

/** An isolate with the guest runtime and one plugin bundle compiled in it. */
export interface WarmIsolate {
  readonly key: string;
  readonly bundle: string;
  readonly isolate: IvmIsolate;
  readonly runtime: IvmScript;
  readonly script: IvmScript;
  /**
   * The fresh context the next call will use, being prepared while the isolate waits in the
   * pool; undefined when the isolate turned out not to be reusable (it is then disposed).
   */
  next?: Promise<Slot | undefined>;
  /**
   * A context prepared while the current call runs (queued on the isolate's thread behind the
   * call), so back-to-back calls do not wait for a context to be made.
   */
  spare?: Promise<Slot | undefined>;
  /** Its heap when it last went idle (0 until measured). */
  heapBytes: number;
}

export interface WarmIsolatesOptions {
  /** Idle isolates kept. */
  max: number;
  /** Heap of all idle isolates together. */
  maxHeapBytes: number;
  onCatastrophicError: (message: string) => void;
}

/**
 * Idle isolates, per code and memory limit. A call takes one for itself (two calls never share an
 * isolate, so a loop or a memory bomb in one cannot stall or kill the other) and gives it back
 * when it ended cleanly; each call still gets a fresh context. At most `max` idle isolates, and
 * at most `maxHeapBytes` of their heaps together, are kept; the least recently used go first.
 */
export class WarmIsolates {
  /** Insertion order of the Map doubles as the LRU order of keys. */
  private readonly idle = new Map<string, WarmIsolate[]>();
  private idleCount = 0;
  created = 0;
  disposed = 0;

  constructor(
    private readonly ivm: IsolatedVm,
    private readonly options: WarmIsolatesOptions,
  ) {}

  get size(): number {
    return this.idleCount;
  }

  /** Heap of the idle isolates, as last measured (a handful of them: summing is cheap). */
  get heapBytes(): number {
    let total = 0;
    for (const list of this.idle.values()) for (const warm of list) total += warm.heapBytes;
    return total;
  }

  take(key: string, bundle: string): WarmIsolate | undefined {
    const list = this.idle.get(key) ?? [];
    for (let warm = list.pop(); warm; warm = list.pop()) {
      this.idleCount--;
      if (!list.length) this.idle.delete(key);
      // The same key with other code (a caller reusing a codeKey) must not run stale code.
      if (!warm.isolate.isDisposed && warm.bundle === bundle) return warm;
      this.dispose(warm);
    }
    return undefined;
  }

  /** Compiles the runtime and the bundle into a new isolate; a bundle that does not parse throws. */
  async create(key: string, bundle: string, memoryMb: number): Promise<WarmIsolate> {
    const isolate = new this.ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError: this.options.onCatastrophicError });
    this.created++;
    try {
      const runtime = await isolate.compileScript(GUEST_RUNTIME, { filename: 'agentflow:runtime' });
      // `void 0` last: the script's completion value is copied out, and it must not be the guest's.
      const script = await isolate.compileScript(`${bundle}\n;void 0;`, { filename: 'plugin-bundle.js' });
      return { key, bundle, isolate, runtime, script, heapBytes: 0 };
    } catch (error) {
      this.disposeIsolate(isolate);
      throw error;
    }
  }

  give(warm: WarmIsolate): void {
    if (warm.isolate.isDisposed) return;
    const list = this.idle.get(warm.key) ?? [];
    this.idle.delete(warm.key);
    this.idle.set(warm.key, list); // most recently used last
    list.push(warm);
    this.idleCount++;
    this.trim();
  }

  /** Records an idle isolate's heap, measured once its call's context is gone, and keeps to the budget. */
  measured(warm: WarmIsolate, heapBytes: number): void {
    warm.heapBytes = heapBytes;
    this.trim();
  }

  private trim(): void {
    while (this.idleCount > this.options.max || (this.idleCount > 0 && this.heapBytes > this.options.maxHeapBytes)) {
      const [oldestKey, oldest] = this.idle.entries().next().value!;
      const victim = oldest.shift()!;
      this.idleCount--;
      if (!oldest.length) this.idle.delete(oldestKey);
      this.dispose(victim);
    }
  }

  /** Disposes an isolate, taking it out of the idle ones if it is there (its next context failed, say). */
  dispose(warm: WarmIsolate): void {
    const list = this.idle.get(warm.key);
    const at = list ? list.indexOf(warm) : -1;
    if (list && at >= 0) {
      list.splice(at, 1);
      this.idleCount--;
      if (!list.length) this.idle.delete(warm.key);
    }
    this.disposeIsolate(warm.isolate);
  }

  disposeAll(): void {
    for (const list of this.idle.values()) for (const warm of list) this.disposeIsolate(warm.isolate);
    this.idle.clear();
    this.idleCount = 0;
  }

  private disposeIsolate(isolate: IvmIsolate): void {
    if (isolate.isDisposed) return;
    try {
      isolate.dispose();
    } catch {
      // already gone (e.g. disposed by isolated-vm itself after a memory limit)
    }
    this.disposed++;
  }
}
