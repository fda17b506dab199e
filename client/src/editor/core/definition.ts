import definitionSchema from '../../../../schemas/workflow-definition.schema.json';

/**
 * The workflow definition document and its node types, read from the JSON Schema the server
 * validates with (schemas/workflow-definition.schema.json): one schema for both sides.
 */

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  'x-picker'?: 'agent' | 'tool';
  [key: string]: unknown;
}

export interface NodeTypeInfo {
  label: string;
  inputs: string[];
  outputs: string[];
}

interface DefinitionSchema extends JsonSchema {
  $id: string;
  'x-node-types': Record<string, NodeTypeInfo>;
  $defs: Record<string, JsonSchema>;
}

export const DEFINITION_SCHEMA = definitionSchema as unknown as DefinitionSchema;

/** Node types in the schema's order: trigger, agent, tool, code, condition, join, approval, transform, output. */
export const NODE_TYPES: readonly string[] = Object.keys(DEFINITION_SCHEMA['x-node-types']);

export interface Position {
  x: number;
  y: number;
}

export interface RetryPolicy {
  attempts: number;
  backoffSeconds?: number;
}

export interface DefinitionNode {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
  position?: Position;
  retry?: RetryPolicy;
  timeoutSeconds?: number;
}

export interface DefinitionEdge {
  id: string;
  source: string;
  sourceOutput: string;
  target: string;
  targetInput: string;
}

export interface WorkflowDefinition {
  version: 1;
  nodes: DefinitionNode[];
  edges: DefinitionEdge[];
}

/** A node type's label and ports; an unknown type (say, from a newer server) has none. */
export function nodeTypeInfo(type: string): NodeTypeInfo {
  return DEFINITION_SCHEMA['x-node-types'][type] ?? { label: type, inputs: [], outputs: [] };
}

export function isKnownNodeType(type: string): boolean {
  return type in DEFINITION_SCHEMA['x-node-types'];
}

/** Follows local `$ref`s ("#/$defs/template"), keeping the referring schema's own keywords (title...). */
export function resolveSchema(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 10; depth++) {
    const match = /^#\/\$defs\/(.+)$/.exec(current.$ref);
    const target = match ? DEFINITION_SCHEMA.$defs[match[1]!] : undefined;
    const { $ref: _ref, ...own } = current;
    current = target ? { ...target, ...own } : own;
  }
  return current;
}

/** `$defs.<type>Config`: the schema of a node type's `config`. */
export function configSchema(type: string): JsonSchema | undefined {
  const schema = DEFINITION_SCHEMA.$defs[`${type}Config`];
  return schema ? resolveSchema(schema) : undefined;
}

export function isTemplateField(schema: JsonSchema): boolean {
  return schema.$ref === '#/$defs/template';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A starting value for a field: its default, the first enum value, an empty string, object or list. */
export function defaultValue(schema: JsonSchema): unknown {
  const resolved = resolveSchema(schema);
  if (resolved.default !== undefined) return structuredClone(resolved.default);
  if (resolved.enum) return resolved.enum[0];
  switch (resolved.type) {
    case 'string':
      return '';
    case 'object':
      return defaultObject(resolved);
    case 'array':
      return resolved.items && (resolved.minItems ?? 0) > 0 ? [defaultValue(resolved.items)] : [];
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

function defaultObject(schema: JsonSchema): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of schema.required ?? []) {
    const property = schema.properties?.[key];
    const value = property ? defaultValue(property) : undefined;
    if (value !== undefined) result[key] = value;
  }
  // Optional fields with a default are filled in too, so the form shows what the server assumes.
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!(key in result) && resolveSchema(property).default !== undefined) result[key] = defaultValue(property);
  }
  return result;
}

/** Hand-picked starting points where the schema alone gives an empty, unhelpful config. */
const STARTING_CONFIG: Record<string, Record<string, unknown>> = {
  agent: { prompt: '{{input}}' },
  approval: { message: 'Approve this step?' },
  output: { value: '{{input}}' },
  condition: { rules: [{ path: 'input.value', operator: 'exists' }] },
};

/** The config a new node of `type` starts with: required fields and defaults from its schema. */
export function defaultConfig(type: string): Record<string, unknown> {
  const schema = configSchema(type);
  return { ...(schema ? defaultObject(schema) : {}), ...structuredClone(STARTING_CONFIG[type] ?? {}) };
}

function asString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function asPosition(value: unknown): Position | undefined {
  if (!isRecord(value) || typeof value.x !== 'number' || typeof value.y !== 'number') return undefined;
  return { x: value.x, y: value.y };
}

/**
 * A definition as the editor can hold it, from whatever JSON the server returned: missing lists
 * become empty, and malformed items are kept as far as they go so nothing is silently dropped
 * that the server would then report on.
 */
export function normalizeDefinition(value: unknown): WorkflowDefinition {
  const source = isRecord(value) ? value : {};
  const nodes = Array.isArray(source.nodes) ? source.nodes.filter(isRecord) : [];
  const edges = Array.isArray(source.edges) ? source.edges.filter(isRecord) : [];
  return {
    version: 1,
    nodes: nodes.map((n, i) => {
      const node: DefinitionNode = {
        id: asString(n.id, `node_${i + 1}`),
        type: asString(n.type, 'unknown'),
        name: asString(n.name, asString(n.id, `Node ${i + 1}`)),
        config: isRecord(n.config) ? n.config : {},
      };
      const position = asPosition(n.position);
      if (position) node.position = position;
      if (isRecord(n.retry) && typeof n.retry.attempts === 'number') {
        node.retry = { attempts: n.retry.attempts };
        if (typeof n.retry.backoffSeconds === 'number') node.retry.backoffSeconds = n.retry.backoffSeconds;
      }
      if (typeof n.timeoutSeconds === 'number') node.timeoutSeconds = n.timeoutSeconds;
      return node;
    }),
    edges: edges.map((e, i) => ({
      id: asString(e.id, `e${i + 1}`),
      source: asString(e.source, ''),
      sourceOutput: asString(e.sourceOutput, 'out'),
      target: asString(e.target, ''),
      targetInput: asString(e.targetInput, 'in'),
    })),
  };
}

/** Deep equality for JSON values; a property set to undefined counts as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!jsonEqual(a[key], b[key])) return false;
  return true;
}

const INPUT_TEMPLATE = /\{\{\s*input\.([A-Za-z_][A-Za-z0-9_]*)/g;
const INPUT_PATH = /^input\.([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * The top-level keys of the run input that the definition reads: in templates ({{input.email}})
 * and in condition paths (input.amount).
 */
export function inputKeys(definition: WorkflowDefinition): string[] {
  const keys = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(INPUT_TEMPLATE)) keys.add(match[1]!);
      const path = INPUT_PATH.exec(value);
      if (path) keys.add(path[1]!);
    }
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) Object.values(value).forEach(visit);
  };
  for (const node of definition.nodes) visit(node.config);
  return [...keys].sort();
}
