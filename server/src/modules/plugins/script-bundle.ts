import { createHash } from 'node:crypto';

/**
 * Turns a builder's script (custom tools, workflow `code` nodes), which defines
 * `async function run(input, ctx)`, into the bundle shape the sandbox runs: a script assigning
 * `AgentFlowPlugin`. The script is only ever evaluated inside the sandbox; the wrapper adds no
 * capability, so code that breaks out of it syntactically gains nothing.
 */
export function scriptBundle(toolName: string, code: string): string {
  return [HEAD, code, ...tail(toolName)].join('\n');
}

const HEAD = 'var AgentFlowPlugin = (function () {';
const tail = (toolName: string) => [
  ';',
  "if (typeof run !== 'function') throw new Error('The code must define a function named run(input, ctx)');",
  `return { default: { tools: [{ name: ${JSON.stringify(toolName)}, description: '', inputSchema: {}, run: run }] } };`,
  '})();',
];

/** The builder's script back out of a bundle made by `scriptBundle` (for editing a saved tool). */
export function scriptSource(bundle: string, toolName: string): string | null {
  const head = `${HEAD}\n`;
  const end = `\n${tail(toolName).join('\n')}`;
  return bundle.startsWith(head) && bundle.endsWith(end) ? bundle.slice(head.length, bundle.length - end.length) : null;
}

/** Warm isolates are keyed by code: the same script shares one, any edit gets a fresh one. */
export const scriptCodeKey = (bundle: string): string => `script:${createHash('sha256').update(bundle).digest('hex')}`;
