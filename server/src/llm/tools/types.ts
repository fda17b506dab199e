import type { JsonSchema } from '../types.ts';

/** What the host gives a tool for one call. */
export interface ToolContext {
  organizationId: string;
  /** Aborted when the conversation, run or node is stopped or times out. */
  signal: AbortSignal;
}

/**
 * The interface every tool implements: the built-in ones here and, later, plugin tools run in
 * the sandbox. `run` receives input already validated against `inputSchema` and returns JSON.
 */
export interface Tool {
  /** The tool's id: a built-in name (`calculator`) or `<plugin>.<tool>` for plugin tools. */
  name: string;
  title?: string;
  /** The plugin that provides it (absent for built-ins). */
  plugin?: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  run(input: Record<string, unknown>, ctx: ToolContext): Promise<unknown>;
}

/** The outcome the model sees: a JSON output, or an error message it can react to. */
export type ToolResult = { ok: true; output: unknown } | { ok: false; error: string };
