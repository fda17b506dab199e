import { isTemplateField, resolveSchema, type JsonSchema } from '../../../editor/core/definition';

export type FieldKind = 'agent' | 'tool' | 'code' | 'select' | 'boolean' | 'number' | 'text' | 'textarea' | 'rows' | 'json';

/** Long text (templates, prompts) gets a textarea; short strings a text input. */
const LONG_TEXT = 500;

/** Which input edits a config field, from its JSON Schema. */
export function fieldKind(raw: JsonSchema): FieldKind {
  const schema = resolveSchema(raw);
  if (schema['x-picker'] === 'agent') return 'agent';
  if (schema['x-picker'] === 'tool') return 'tool';
  // A code node's JavaScript: edited in a code editor, run only in the sandbox.
  if (schema['x-widget'] === 'code') return 'code';
  if (schema.enum) return 'select';
  switch (schema.type) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'integer':
      return 'number';
    case 'string':
      return isTemplateField(raw) || (schema.maxLength ?? 0) > LONG_TEXT ? 'textarea' : 'text';
    case 'array':
      return schema.items && resolveSchema(schema.items).type === 'object' ? 'rows' : 'json';
    default:
      // Objects (tool input, transform output) and untyped values (an output's value): JSON.
      return 'json';
  }
}

/** How a scalar of unknown type shows in a one-line input: strings as they are, the rest as JSON. */
export function scalarText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One-line input back to a value: numbers, true/false, null and quoted or structured JSON parse; the rest is text. */
export function parseScalar(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(trimmed) || /^["[{]/.test(trimmed)) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
