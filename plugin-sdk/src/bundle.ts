import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';

/** A plugin package's package.json, as far as the SDK reads it. */
export interface PluginPackageJson {
  name?: string;
  version?: string;
  description?: string;
  agentflow?: {
    /** The module whose default export is `definePlugin(...)`; `src/index.ts` when absent. */
    entry?: string;
    kind?: string;
    title?: string;
    description?: string;
    categories?: string[];
    engines?: { agentflow?: string };
    permissions?: { network?: string[]; secrets?: string[] };
    changelog?: string;
  };
}

/**
 * Bundling failed: the messages point at the author's files.
 *
 * @example
 * await bundlePlugin(dir).catch((error) => console.error(error.message));
 * // Could not bundle src/index.ts:
 * //   src/index.ts:1:30: "fs" is a Node.js built-in module, and plugins run in the AgentFlow sandbox, ...
 */
export class BundleError extends Error {
  override name = 'BundleError';
}

/**
 * Reads `<dir>/package.json`.
 *
 * @example
 * const pkg = await readPluginPackage('./my-plugin');
 * pkg.agentflow?.permissions?.network; // ['api.github.com']
 */
export async function readPluginPackage(dir: string): Promise<PluginPackageJson> {
  const file = join(resolve(dir), 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new BundleError(`No package.json in ${resolve(dir)} (create a plugin with "agentflow-plugin init <dir>")`);
  }
  try {
    return JSON.parse(text) as PluginPackageJson;
  } catch (error) {
    throw new BundleError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

const builtins = new Set(builtinModules);
const RESOLVING = Symbol('resolving');

/**
 * The sandbox has no Node.js: importing `fs` or `node:*` would bundle to a script that throws
 * on load, so it fails here, at the import, instead. A bare name like `buffer` is only refused
 * when no npm package of that name (a browser polyfill) is installed.
 */
const noNodeBuiltins: Plugin = {
  name: 'agentflow-no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING) return undefined;
      const refuse = {
        errors: [{
          text: `"${args.path}" is a Node.js built-in module, and plugins run in the AgentFlow sandbox, which has no Node.js APIs (use ctx.fetch for HTTP)`,
        }],
      };
      if (args.path.startsWith('node:')) return refuse;
      if (!builtins.has(args.path.split('/')[0]!)) return undefined;
      const found = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
      return found.errors.length ? refuse : { path: found.path, namespace: found.namespace, sideEffects: found.sideEffects };
    });
  },
};

/**
 * Bundles a plugin package into the one script the sandbox runs: an IIFE that assigns
 * `var AgentFlowPlugin = { default: <definePlugin(...)> }`, with every import inlined.
 * The entry is package.json `agentflow.entry`, else `src/index.ts`.
 *
 * @example
 * const bundle = await bundlePlugin('./my-plugin');
 * // "var AgentFlowPlugin = (() => { ... })();"
 */
export async function bundlePlugin(dir: string): Promise<string> {
  const root = resolve(dir);
  const pkg = await readPluginPackage(root);
  const entry = pkg.agentflow?.entry ?? 'src/index.ts';
  if (!existsSync(join(root, entry))) {
    throw new BundleError(`The plugin's entry ${entry} does not exist in ${root} (set "agentflow.entry" in package.json)`);
  }
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'AgentFlowPlugin',
      platform: 'neutral',
      target: 'es2022',
      minify: false,
      charset: 'utf8',
      // Neutral resolves no package fields by default; most npm packages still only have these.
      mainFields: ['module', 'main'],
      // Libraries branch on it; the sandbox has no `process` to read it from.
      define: { 'process.env.NODE_ENV': '"production"' },
      plugins: [noNodeBuiltins],
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!messages?.length) throw error;
    throw new BundleError(`Could not bundle ${entry}:\n${messages.map(formatMessage).join('\n')}`);
  }
}

function formatMessage(m: Message): string {
  const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
  return `  ${where}${m.text}`;
}
