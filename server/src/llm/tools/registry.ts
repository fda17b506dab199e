import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
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
export const modelToolName = (id: string): string => id.replace('.', '__');
export const toolIdOfModelName = (name: string): string => name.replace('__', '.');

/** A tool as the provider-neutral spec a ChatRequest carries (no `run`), under its model name. */
export function toolSpec({ name, description, inputSchema }: Tool): ToolSpec {
  return { name: modelToolName(name), description, inputSchema };
}

// strict: a schema with an unknown keyword or an inconsistency fails to compile instead of
// silently validating less than it says. allErrors: the model gets every problem at once.
const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new WeakMap<Tool, ValidateFunction>();

function validatorFor(tool: Tool): ValidateFunction {
  let validate = validators.get(tool);
  if (!validate) {
    validate = ajv.compile(tool.inputSchema);
    validators.set(tool, validate);
  }
  return validate;
}

/**
 * Runs one tool call for the model. Never throws: invalid arguments, a failing or cancelled tool
 * and oversized output all become `{ ok: false, error }` with a message the model can act on.
 */
export async function runTool(tool: Tool, rawArgs: unknown, ctx: ToolContext): Promise<ToolResult> {
  if (ctx.signal.aborted) return { ok: false, error: `Tool ${tool.name} was cancelled` };
  let validate: ValidateFunction;
  try {
    validate = validatorFor(tool);
  } catch (err) {
    return { ok: false, error: `Tool ${tool.name} has an invalid input schema: ${messageOf(err)}` };
  }
  if (!validate(rawArgs)) return { ok: false, error: `Invalid input for tool ${tool.name}: ${describeErrors(validate.errors ?? [])}` };
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

function describeErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => {
      const where = e.instancePath ? `'${e.instancePath.slice(1).replaceAll('/', '.')}'` : 'the input';
      if (e.keyword === 'additionalProperties') return `unknown property '${String(e.params['additionalProperty'])}'`;
      if (e.keyword === 'required') return `missing required property '${String(e.params['missingProperty'])}'`;
      return `${where} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
