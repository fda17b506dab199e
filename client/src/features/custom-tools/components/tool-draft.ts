/**
 * Checks on a custom tool draft that the builder shows while typing. The server validates for
 * real (ajv, the manifest schema, the sandbox) and its errors are shown on Test and Save; these
 * catch the common mistakes early. JSON Schema itself is not compiled here: ajv compiles with
 * `new Function`, which the app's Content-Security-Policy forbids in the browser.
 */

export const STARTER_CODE = `async function run(input, ctx) {
  // ctx.fetch({ url, method, headers, body }) reaches only the allowed hosts below.
  // ctx.log('info', 'message', { any: 'data' }) writes to the test log.
  return { greeting: \`Hello, \${input.name}!\` };
}
`;

export const STARTER_SCHEMA = `{
  "type": "object",
  "properties": {
    "name": { "type": "string", "description": "Who to greet" }
  },
  "required": ["name"],
  "additionalProperties": false
}`;

export const STARTER_SAMPLE = `{ "name": "Ada" }`;

export type JsonCheck = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(text: string): JsonCheck {
  if (text.trim() === '') return { ok: false, error: 'Enter a JSON value' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SCHEMA_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

function checkType(schema: Record<string, unknown>, where: string): string | null {
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  for (const type of types) {
    if (typeof type !== 'string' || !SCHEMA_TYPES.has(type)) return `${where}: "type" must be one of ${[...SCHEMA_TYPES].join(', ')}`;
  }
  return null;
}

/** The tool's input schema: JSON, an object schema, with well-formed properties and required names. */
export function checkInputSchema(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const schema = parsed.value;
  if (!isRecord(schema)) return { ok: false, error: 'The input schema must be a JSON object, like { "type": "object", "properties": { … } }' };
  if (schema.type !== 'object') return { ok: false, error: 'The input schema must describe an object: set "type": "object" (a tool takes named arguments)' };
  if (schema.properties !== undefined) {
    if (!isRecord(schema.properties)) return { ok: false, error: '"properties" must be an object mapping each argument to its schema' };
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!isRecord(property) && typeof property !== 'boolean') return { ok: false, error: `properties.${name} must be a schema object, like { "type": "string" }` };
      if (isRecord(property)) {
        const problem = checkType(property, `properties.${name}`);
        if (problem) return { ok: false, error: problem };
      }
    }
  }
  if (schema.required !== undefined) {
    if (!Array.isArray(schema.required) || !schema.required.every((r) => typeof r === 'string')) {
      return { ok: false, error: '"required" must be a list of argument names' };
    }
    const known = isRecord(schema.properties) ? schema.properties : {};
    const missing = schema.required.find((r) => !(r in known));
    if (missing !== undefined && schema.additionalProperties === false) {
      return { ok: false, error: `"required" names "${missing}", which is not in "properties" (and no other property is allowed)` };
    }
  }
  return { ok: true, value: schema };
}

/** Sample input: a JSON object that has the schema's required arguments. */
export function checkSampleInput(text: string, schema: Record<string, unknown> | null): JsonCheck {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  if (!isRecord(parsed.value)) return { ok: false, error: 'The sample input must be a JSON object with the tool\'s arguments' };
  const required = schema && Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  const missing = required.filter((r) => !(r in (parsed.value as Record<string, unknown>)));
  if (missing.length > 0) return { ok: false, error: `Missing required ${missing.length === 1 ? 'argument' : 'arguments'}: ${missing.join(', ')}` };
  return parsed;
}

/**
 * A plugin tool's own name from its id (`custom-lookup-order.lookup_order` -> `lookup_order`):
 * plugin names have no dots, and ToolDefinition.name repeats the id.
 */
export function toolNameOf(id: string): string {
  return id.slice(id.indexOf('.') + 1);
}

/** The server's rule for tool names (the tool id is derived from it). */
export function checkToolName(name: string): string | null {
  if (name === '') return 'Give the tool a name';
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(name)) return 'Lowercase letters, digits and _, starting with a letter (at most 48)';
  if (name.includes('__')) return 'No two underscores in a row';
  return null;
}

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Allowed hosts: hostnames such as api.example.com or *.example.com, no scheme, path or port. */
export function checkHosts(hosts: readonly string[]): string | null {
  const bad = hosts.find((h) => !HOST.test(h));
  if (bad !== undefined) return `"${bad}" is not a hostname: write it like api.example.com or *.example.com (no https://, path or port)`;
  if (hosts.length > 20) return 'At most 20 hosts';
  return null;
}

export function checkCode(code: string): string | null {
  if (code.trim() === '') return 'Write the tool\'s code';
  if (!/\bfunction\s+run\s*\(/.test(code) && !/\brun\s*=/.test(code)) return 'The code must define async function run(input, ctx)';
  return null;
}
