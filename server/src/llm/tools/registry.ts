import { createHash } from 'node:crypto';
import { AppError } from '../../lib/errors.ts';
import type { ToolSpec } from '../types.ts';
import type { Tool, ToolContext, ToolResult } from './types.ts';

/** A tool's output, as JSON, may not exceed this: it goes back into the model's context. */
export const MAX_OUTPUT_BYTES = 32 * 1024;

/**
 * The name a model sees for a tool id. Providers only accept `[a-zA-Z0-9_-]` in tool names, and
 * plugin tool ids are `<plugin>.<tool>`: plugin names have no `_` and tool names no `__`, so
 * `slack.post_message` <-> `slack__post_message` is unambiguous both ways.
 */
export function modelToolName(id: string): string {
  const name = id.replace('.', '__');
  if (name.length <= MAX_MODEL_TOOL_NAME) return name;
  // Providers refuse names over 64 characters: keep a readable prefix and make it unique.
  return `${name.slice(0, MAX_MODEL_TOOL_NAME - 11)}_${createHash('sha256').update(id).digest('hex').slice(0, 10)}`;
}
const MAX_MODEL_TOOL_NAME = 64;

/** The tool id for a model's name among `ids` (the tools offered in that request). */
export function toolIdOfModelName(name: string, ids: Iterable<string> = []): string {
  for (const id of ids) if (modelToolName(id) === name) return id;
  return name.replace('__', '.');
}

/** A tool as the provider-neutral spec a ChatRequest carries (no `run`), under its model name. */
export function toolSpec({ name, description, inputSchema }: Tool): ToolSpec {
  return { name: modelToolName(name), description, inputSchema };
}

/**
 * Runs one tool call for the model. Never throws: invalid arguments, a failing or cancelled tool
 * and oversized output all become `{ ok: false, error }` with a message the model can act on.
 */
export async function runTool(tool: Tool, rawArgs: unknown, ctx: ToolContext): Promise<ToolResult> {
  if (ctx.signal.aborted) return { ok: false, error: `Tool ${tool.name} was cancelled` };
  // The input is checked against the tool's schema where the tool runs (the sandbox, with the
  // same ajv dialect as the manifest); here only its shape.
  if (!isRecord(rawArgs)) return { ok: false, error: `Invalid input for tool ${tool.name}: the input must be a JSON object` };

  let output: unknown;
  try {
    output = await untilAborted(tool.run(rawArgs, ctx), ctx.signal);
  } catch (err) {
    if (ctx.signal.aborted) return { ok: false, error: `Tool ${tool.name} was cancelled` };
    return { ok: false, error: err instanceof AppError ? err.message : `Tool ${tool.name} failed: ${messageOf(err)}` };
  }

  let json: string | undefined;
  try {
    json = JSON.stringify(output ?? null);
  } catch (err) {
    return { ok: false, error: `Tool ${tool.name} returned output that is not JSON: ${messageOf(err)}` };
  }
  if (json === undefined) return { ok: false, error: `Tool ${tool.name} returned output that is not JSON` };
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_OUTPUT_BYTES) {
    return { ok: false, error: `Tool ${tool.name} returned too much output (${Math.ceil(bytes / 1024)} KB; the limit is ${MAX_OUTPUT_BYTES / 1024} KB)` };
  }
  // The round trip hands back plain JSON (no Dates, Maps or class instances), as the model will see it.
  return { ok: true, output: JSON.parse(json) as unknown };
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the tool may keep running, but we stop waiting). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
