/**
 * Path templates: `{{input.email}}`, `{{nodes.classify.output.label}}`, `{{nodes.search.output.items.0}}`.
 * Paths only: nothing in a workflow is ever evaluated as code.
 */
const TEMPLATE = /\{\{\s*([A-Za-z0-9_.[\]-]+?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z0-9_.[\]-]+?)\s*\}\}$/;

/** Every path named in a value's strings, e.g. ["input.email", "nodes.a.output"]. */
export function templatePaths(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(TEMPLATE)) found.push(m[1]!);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return found;
}

const segments = (path: string): string[] => path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);

/** The value at a path, reading own properties only (no prototype tricks); undefined when absent. */
export function valueAt(scope: unknown, path: string): unknown {
  let current: unknown = scope;
  for (const key of segments(path)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Fills templates in a value, deeply. A string that is one template alone becomes the value itself
 * (an object stays an object); templates inside longer text become text.
 */
export function resolveTemplates(value: unknown, scope: unknown): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return valueAt(scope, whole[1]!) ?? null;
    return value.replace(TEMPLATE, (_m, path: string) => asText(valueAt(scope, path)));
  }
  if (Array.isArray(value)) return value.map((v) => resolveTemplates(v, scope));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTemplates(v, scope)]));
  return value;
}
