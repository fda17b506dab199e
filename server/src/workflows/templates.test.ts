import { describe, expect, it } from 'vitest';
import { resolveTemplates, templatePaths, valueAt } from './templates.ts';

const scope = { input: { email: 'a@b.c', n: 3 }, nodes: { classify: { output: { label: 'bug', tags: ['x', 'y'] } } } };

describe('templates', () => {
  it('finds every path, deeply', () => {
    expect(templatePaths({ a: 'Hi {{input.email}}', b: ['{{ nodes.classify.output.label }}'], c: 3 })).toEqual(['input.email', 'nodes.classify.output.label']);
  });

  it('keeps the type of a whole-string template and interpolates text', () => {
    expect(resolveTemplates('{{nodes.classify.output}}', scope)).toEqual({ label: 'bug', tags: ['x', 'y'] });
    expect(resolveTemplates('Label: {{nodes.classify.output.label}}, n={{input.n}}, tags={{nodes.classify.output.tags}}', scope)).toBe('Label: bug, n=3, tags=["x","y"]');
    expect(resolveTemplates({ to: '{{input.email}}', list: ['{{nodes.classify.output.tags[1]}}'] }, scope)).toEqual({ to: 'a@b.c', list: ['y'] });
    expect(resolveTemplates('{{input.missing}}', scope)).toBeNull();
    expect(resolveTemplates('[{{input.missing}}]', scope)).toBe('[]');
  });

  it('never reads through the prototype or evaluates anything', () => {
    expect(valueAt(scope, 'input.constructor')).toBeUndefined();
    expect(valueAt(scope, '__proto__.polluted')).toBeUndefined();
    expect(resolveTemplates('{{ process.exit(1) }}', scope)).toBe('{{ process.exit(1) }}');
  });
});
