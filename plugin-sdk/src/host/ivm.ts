import { createRequire } from 'node:module';

/**
 * The slice of isolated-vm this host uses, typed here rather than imported: the package is an
 * optional dependency under two aliases (`isolated-vm-5` builds on Node 20/22, `isolated-vm-7`
 * on Node 24+), and only one of them is installed on a given machine.
 */
export interface IvmReference {
  apply(receiver: undefined, args: unknown[], options?: Record<string, unknown>): Promise<unknown>;
  release(): void;
}

export interface IvmContext {
  readonly global: { setSync(key: string, value: unknown): void };
  eval(code: string, options?: Record<string, unknown>): Promise<unknown>;
  release(): void;
}

export interface IvmScript {
  run(context: IvmContext, options?: Record<string, unknown>): Promise<unknown>;
  release(): void;
}

export interface IvmExternalCopy { release(): void }

export interface IvmIsolate {
  readonly cpuTime: bigint;
  readonly isDisposed: boolean;
  compileScript(code: string, options?: { filename?: string; cachedData?: IvmExternalCopy; produceCachedData?: boolean }): Promise<IvmScript & { cachedData?: IvmExternalCopy; cachedDataRejected?: boolean }>;
  createContext(): Promise<IvmContext>;
  /** Like v8.getHeapStatistics(), plus memory outside the heap that counts against memoryLimit. */
  getHeapStatistics(): Promise<{ total_heap_size: number; used_heap_size: number; externally_allocated_size: number }>;
  dispose(): void;
}

export interface IsolatedVm {
  Isolate: new (options: { memoryLimit: number; onCatastrophicError?: (message: string) => void }) => IvmIsolate;
  Callback: new (fn: (...args: never[]) => unknown, options?: { ignored?: true }) => unknown;
}

const CANDIDATES = ['isolated-vm-7', 'isolated-vm-5'] as const;
let loaded: IsolatedVm | undefined;

/**
 * Loads whichever isolated-vm build this machine has. Processes that host isolates must run with
 * `--no-node-snapshot` (isolated-vm's README: Node >= 20 crashes without it).
 */
export function loadIsolatedVm(): IsolatedVm {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  for (const name of CANDIDATES) {
    try {
      loaded = require(name) as IsolatedVm;
      return loaded;
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    'The plugin sandbox needs isolated-vm, and neither build loads here. Install the optional dependency ' +
      'for your Node version (isolated-vm-5 for Node 20/22, which compiles with node-gyp; isolated-vm-7 for Node 24+): ' +
      `\`npm install --include=optional\`. Details: ${failures.join('; ')}`,
  );
}
