import { loadIsolatedVm } from './ivm.ts';
import { resolveLimits } from './limits.ts';

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * The bundle's default export as data (functions left out), for `pack` to build the manifest
 * from: `{ tools: [{ name, description, inputSchema, ... }], integration?, ... }`. The bundle runs
 * in a throwaway isolate under the default limits; a bundle that throws or loops is an error.
 *
 * @example
 * const { tools } = await describeBundle(bundle) as { tools: ToolManifest[] };
 */
export async function describeBundle(bundle: string): Promise<unknown> {
  const ivm = loadIsolatedVm();
  const limits = resolveLimits();
  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  let timer: NodeJS.Timeout | undefined;
  try {
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`The bundle did not finish loading within ${limits.wallMs} ms`));
        isolate.dispose();
      }, limits.wallMs);
    });
    const json = await Promise.race([watchdog, (async () => {
      const context = await isolate.createContext();
      await context.eval(`${bundle}\n;void 0;`, { timeout: limits.cpuMs, filename: 'plugin-bundle.js' });
      return context.eval(
        `JSON.stringify(typeof AgentFlowPlugin === 'object' && AgentFlowPlugin !== null ? AgentFlowPlugin.default : undefined, (key, value) => typeof value === 'function' ? undefined : value)`,
        { timeout: limits.cpuMs, copy: true },
      );
    })()]);
    if (typeof json !== 'string') throw new Error('The bundle does not assign AgentFlowPlugin.default (build it with agentflow-plugin pack)');
    return JSON.parse(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const explained = /memory limit/i.test(message) ? `The bundle used more than ${limits.memoryMb} MB of memory while loading`
      : /execution timed out/i.test(message) ? `The bundle used more than ${limits.cpuMs} ms of CPU time while loading`
      : message.startsWith('The bundle') ? message : `The bundle does not load: ${describeError(error)}`;
    throw new Error(explained, { cause: error });
  } finally {
    clearTimeout(timer);
    if (!isolate.isDisposed) isolate.dispose();
  }
}
