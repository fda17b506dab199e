import type { ErrorObject } from 'ajv';
import { validateNode as validateCompiled } from 'virtual:workflow-node-validator';
import type { DefinitionNode } from './definition';

/**
 * A problem with one field of a node, found in the browser with the same JSON Schema the server
 * uses. `field` is the path inside the node, "/"-separated: "name", "timeoutSeconds",
 * "retry/attempts", "config/agentId", "config/rules/0/path"; "" for the node as a whole.
 */
export interface FieldError {
  field: string;
  message: string;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function describe(error: ErrorObject): FieldError {
  const field = error.instancePath.replace(/^\//, '');
  const join = (name: string) => (field ? `${field}/${name}` : name);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: join(String(params.missingProperty)), message: 'Required' };
    case 'minLength':
      return { field, message: params.limit === 1 ? 'Required' : `At least ${String(params.limit)} characters` };
    case 'maxLength':
      return { field, message: `At most ${String(params.limit)} characters` };
    case 'enum':
      return { field, message: `Must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'additionalProperties':
      return { field, message: `Unknown field "${String(params.additionalProperty)}"` };
    case 'minItems':
      return { field, message: `Add at least ${String(params.limit)}` };
    case 'maxItems':
      return { field, message: `At most ${String(params.limit)} items` };
    case 'type':
      return { field, message: `Must be ${String(params.type).replace(',', ' or ')}` };
    default:
      return { field, message: capitalize(error.message ?? 'Invalid value') };
  }
}

/**
 * Every schema problem of one node: its name, timeout, retry and type-specific config. The
 * validator is ajv's (Ajv2020: the schema is draft 2020-12; strict: false, allErrors: true),
 * compiled at build time because the app's CSP forbids ajv's `new Function` in the browser.
 */
export function validateNode(node: DefinitionNode): FieldError[] {
  const validate = validateCompiled;
  if (validate(node)) return [];
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  // An `if`/`then` failure only repeats the inner error that follows it.
  for (const error of validate.errors ?? []) {
    if (error.keyword === 'if') continue;
    const described = describe(error);
    const key = `${described.field}\u0000${described.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      errors.push(described);
    }
  }
  return errors;
}

/** Errors grouped by field. */
export function errorsByField(errors: readonly FieldError[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const { field, message } of errors) (grouped[field] ??= []).push(message);
  return grouped;
}

/** Where in a node a problem is, for lists of problems: "config/rules/0/path" → "rules[1].path". */
export function fieldLabel(field: string): string {
  if (!field) return 'Node';
  return field
    .replace(/^config\//, '')
    .split('/')
    .map((part) => (/^\d+$/.test(part) ? `[${Number(part) + 1}]` : part))
    .join('.')
    .replace(/\.\[/g, '[');
}
