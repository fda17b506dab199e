import { valueAt } from './templates.ts';

export interface Rule { path: string; operator: string; value?: unknown }

/** Structured rules on paths, so a condition is data, not code. */
export function ruleHolds(rule: Rule, scope: unknown): boolean {
  const actual = valueAt(scope, rule.path);
  const expected = rule.value;
  switch (rule.operator) {
    case 'exists': return actual !== undefined && actual !== null;
    case 'notExists': return actual === undefined || actual === null;
    case 'equals': return JSON.stringify(actual) === JSON.stringify(expected) || (actual !== undefined && String(actual) === String(expected) && typeof expected !== 'object');
    case 'notEquals': return !ruleHolds({ ...rule, operator: 'equals' }, scope);
    case 'contains': return Array.isArray(actual) ? actual.some((a) => JSON.stringify(a) === JSON.stringify(expected)) : typeof actual === 'string' && actual.includes(String(expected));
    case 'notContains': return !ruleHolds({ ...rule, operator: 'contains' }, scope);
    case 'greaterThan': return Number(actual) > Number(expected);
    case 'lessThan': return Number(actual) < Number(expected);
    case 'matches': {
      const source = String(expected ?? '');
      if (source.length > 500) throw new Error('The pattern is longer than 500 characters');
      return new RegExp(source).test(String(actual ?? ''));
    }
    default: throw new Error(`Unknown operator ${rule.operator}`);
  }
}

export function conditionHolds(config: { combinator: 'all' | 'any'; rules: Rule[] }, scope: unknown): boolean {
  return config.combinator === 'any' ? config.rules.some((r) => ruleHolds(r, scope)) : config.rules.every((r) => ruleHolds(r, scope));
}
