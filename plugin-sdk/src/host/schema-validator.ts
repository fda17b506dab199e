import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Json, JsonSchema } from '../types.ts';

/**
 * Input and output checks at the sandbox boundary. Validators are compiled once per schema text
 * (a warm plugin's schemas never change) and kept in a bounded cache. Schemas are draft 2020-12
 * unless they say draft-06/07 in `$schema`. `strict: false`: plugin schemas may carry
 * annotations ajv does not know, which must not make a tool unusable.
 */
const MAX_CACHED = 500;
interface Compiled { validate: ValidateFunction; fillsDefaults: boolean }
const cache = new Map<string, Compiled | Error>();
let draft2020: Ajv2020 | undefined;
let draft07: Ajv | undefined;

function compile(schema: JsonSchema): Compiled {
  const key = JSON.stringify(schema);
  let entry = cache.get(key);
  if (!entry) {
    const legacy = typeof schema.$schema === 'string' && /draft-0[67]/.test(schema.$schema);
    const ajv = legacy
      ? (draft07 ??= new Ajv({ strict: false, allErrors: true, useDefaults: true, logger: false, validateFormats: false }))
      : (draft2020 ??= new Ajv2020({ strict: false, allErrors: true, useDefaults: true, logger: false, validateFormats: false }));
    try {
      // Only a schema that declares defaults changes the value it checks (useDefaults).
      entry = { validate: ajv.compile(schema), fillsDefaults: key.includes('"default":') };
    } catch (error) {
      entry = error as Error;
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const lines = (errors ?? []).slice(0, 5).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})`
      : e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '';
    return `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${extra}`;
  });
  const more = (errors?.length ?? 0) - lines.length;
  return lines.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

export type Validation = { ok: true; value: Json } | { ok: false; error: string };

/**
 * Checks `value` against `schema`. Defaults the schema declares are filled in (on a copy unless
 * `owned`), so a tool sees `{ limit: 10 }` when its schema says `default: 10` and the caller left it out.
 */
export function validateAgainst(schema: JsonSchema | undefined, value: Json, what: 'input' | 'output', owned = false): Validation {
  if (!schema) return { ok: true, value };
  let compiled: Compiled;
  try {
    compiled = compile(schema);
  } catch (error) {
    return { ok: false, error: `its ${what} schema is not a valid JSON Schema: ${(error as Error).message}` };
  }
  // The caller's value is not ours to fill defaults into: copy it, unless it is a fresh parse.
  const copy = owned || !compiled.fillsDefaults || value === null || typeof value !== 'object' ? value : (structuredClone(value) as Json);
  if (compiled.validate(copy)) return { ok: true, value: copy };
  return { ok: false, error: describeErrors(compiled.validate.errors) };
}
