import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Json, JsonSchema } from '../types.ts';

/**
 * Input and output checks at the sandbox boundary. Validators are compiled once per schema text
 * (a warm plugin's schemas never change; every call brings a new copy of them) and kept in an LRU
 * cache. Schemas are draft 2020-12 unless they say draft-06/07 in `$schema`. `strict: false`:
 * plugin schemas may carry annotations ajv does not know, which must not make a tool unusable.
 *
 * One Ajv instance serves every tenant of the process, so a compile must leave nothing behind that
 * another compile could see: `addUsedSchema: false` keeps a schema's `$id` out of the instance's
 * registry (else a second schema claiming that `$id`, another tenant's, would fail to compile), what
 * a compile registers anyway (nested `$id`s, ajv's cache entry) is taken back after it, and the
 * instance is replaced every MAX_CACHED compiles, so what ajv keeps for compiled code stays bounded.
 */
const MAX_CACHED = 500;
interface Compiled { validate: ValidateFunction; fillsDefaults: boolean }
/** Map order is the LRU order: a hit moves its entry last, the first one goes when full. */
const cache = new Map<string, Compiled | Error>();
const OPTIONS = { strict: false, allErrors: true, useDefaults: true, logger: false, validateFormats: false, addUsedSchema: false } as const;
interface Instance { ajv: Ajv; compiles: number }
let draft2020: Instance | undefined;
let draft07: Instance | undefined;

function instanceFor(schema: JsonSchema): Instance {
  const legacy = typeof schema.$schema === 'string' && /draft-0[67]/.test(schema.$schema);
  if (legacy) {
    if (!draft07 || draft07.compiles >= MAX_CACHED) draft07 = { ajv: new Ajv(OPTIONS), compiles: 0 };
    return draft07;
  }
  if (!draft2020 || draft2020.compiles >= MAX_CACHED) draft2020 = { ajv: new Ajv2020(OPTIONS), compiles: 0 };
  return draft2020;
}

/**
 * Compiles `schema` and puts the shared instance back as it was: ajv's own cache entry for this
 * object goes (ours is by text), and so does every reference the compile registered (nested `$id`s).
 */
function compileAlone(instance: Instance, schema: JsonSchema): ValidateFunction {
  const { ajv } = instance;
  const refs = { ...ajv.refs };
  const schemas = { ...ajv.schemas };
  instance.compiles++;
  try {
    return ajv.compile(schema);
  } finally {
    // Also drops the registrations of its root `$id`: restored next if they were there before.
    if (typeof schema === 'object' && schema !== null) ajv.removeSchema(schema);
    restore(ajv.refs, refs);
    restore(ajv.schemas, schemas);
  }
}

function restore<T>(target: Record<string, T>, saved: Record<string, T>): void {
  for (const key of Object.keys(target)) if (!Object.hasOwn(saved, key)) delete target[key];
  Object.assign(target, saved);
}

function compile(schema: JsonSchema): Compiled {
  const key = JSON.stringify(schema);
  let entry = cache.get(key);
  if (entry) {
    cache.delete(key);
  } else {
    try {
      // Only a schema that declares defaults changes the value it checks (useDefaults).
      entry = { validate: compileAlone(instanceFor(schema), schema), fillsDefaults: key.includes('"default":') };
    } catch (error) {
      entry = error as Error; // the same text fails the same way: not worth compiling again
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, entry);
  if (entry instanceof Error) throw entry;
  return entry;
}

/** The compiled-validator cache, for tests and diagnostics. */
export const validatorCache = {
  max: MAX_CACHED,
  size: (): number => cache.size,
  has: (schema: JsonSchema): boolean => cache.has(JSON.stringify(schema)),
};

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
