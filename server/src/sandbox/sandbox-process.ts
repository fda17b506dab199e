/**
 * A sandbox process: hosts plugin isolates for the pool (pool.ts) and nothing else. It is started
 * with `--no-node-snapshot` (isolated-vm needs it) and a small environment; it makes no network
 * calls itself: `ctx.fetch` requests go to the parent, which runs the fetch bridge. If an isolate
 * ever takes this process down, the parent fails its calls with CRASHED and starts another.
 */
import type { FetchResponse } from '@agentflow/plugin-sdk';
import { createIsolateHost, type IsolateHost, type SandboxCall } from '@agentflow/plugin-sdk/host';
import type { FromSandbox, ToSandbox } from './protocol.ts';

const MAX_CACHED_BUNDLE_CHARS = 64 * 1024 * 1024;

if (!process.send) throw new Error('sandbox-process.ts runs as a child of the sandbox pool (child_process.fork)');
const send = (message: FromSandbox): void => {
  process.send!(message);
};

let host: IsolateHost | undefined;
/** Bundles by codeKey, so a warm call does not carry its bundle over IPC each time (LRU by size). */
const bundles = new Map<string, string>();
let bundleChars = 0;
const fetches = new Map<number, { resolve(response: FetchResponse): void; reject(error: Error): void }>();
let nextFetchId = 0;

function remember(codeKey: string, bundle: string): void {
  const old = bundles.get(codeKey);
  if (old !== undefined) bundleChars -= old.length;
  bundles.delete(codeKey);
  bundles.set(codeKey, bundle);
  bundleChars += bundle.length;
  while (bundleChars > MAX_CACHED_BUNDLE_CHARS && bundles.size > 1) {
    const [oldestKey, oldest] = bundles.entries().next().value!;
    bundles.delete(oldestKey);
    bundleChars -= oldest.length;
  }
}

async function run(id: number, call: ToSandbox & { type: 'call' }): Promise<void> {
  const { bundle: sent, ...rest } = call.call;
  const bundle = sent ?? bundles.get(rest.codeKey);
  if (bundle === undefined) return send({ type: 'need-bundle', id });
  if (sent !== undefined) remember(rest.codeKey, sent);
  else remember(rest.codeKey, bundle); // most recently used
  const result = await host!.call({ ...rest, bundle } as SandboxCall, {
    fetch: (request) => new Promise<FetchResponse>((resolve, reject) => {
      const fetchId = ++nextFetchId;
      fetches.set(fetchId, { resolve, reject });
      send({ type: 'fetch', id, fetchId, request });
    }),
  });
  send({ type: 'result', id, result });
}

process.on('message', (message: ToSandbox) => {
  switch (message.type) {
    case 'init':
      try {
        host = createIsolateHost({
          ...(message.maxWarmIsolates ? { maxWarmIsolates: message.maxWarmIsolates } : {}),
          ...(message.defaults ? { defaults: message.defaults } : {}),
        });
        send({ type: 'ready' });
      } catch (error) {
        send({ type: 'fatal', error: (error as Error).message });
        process.disconnect();
      }
      return;
    case 'call':
      run(message.id, message).catch((error: unknown) => send({
        type: 'result', id: message.id,
        result: { ok: false, code: 'CRASHED', error: `The sandbox process failed to run the call: ${(error as Error).message}`, logs: [], durationMs: 0 },
      }));
      return;
    case 'fetched': {
      const pending = fetches.get(message.fetchId);
      fetches.delete(message.fetchId);
      if (message.ok) pending?.resolve(message.response);
      else pending?.reject(new Error(message.error));
      return;
    }
  }
});

// The parent is gone (or closed the pool): nothing left to serve.
process.on('disconnect', () => {
  void host?.close();
  process.exit(0);
});
