import { describe, expect, it } from 'vitest';
import { errorsByField, fieldLabel, validateNode } from './node-validation';
import { problemField, problemNodeId, problemsByNode } from './problems';
import { normalizeDefinition } from './definition';

describe('validateNode (ajv, the shared schema)', () => {
  it('reports each bad field of the node with a readable message', () => {
    const errors = validateNode({
      id: 'check',
      type: 'condition',
      name: '',
      config: { combinator: 'most', rules: [{ path: '', operator: 'equals' }], extra: 1 },
      retry: { attempts: 0 },
      timeoutSeconds: 0,
    });
    expect(errorsByField(errors)).toEqual({
      name: ['Required'],
      'retry/attempts': ['Must be >= 1'],
      timeoutSeconds: ['Must be > 0'],
      config: ['Unknown field "extra"'],
      'config/combinator': ['Must be one of: all, any'],
      'config/rules/0/path': ['Required'],
    });
  });

  it('accepts a valid node', () => {
    expect(validateNode({ id: 'out', type: 'output', name: 'Result', config: { value: { any: ['thing'] } } })).toEqual([]);
  });

  it('labels fields for lists', () => {
    expect(fieldLabel('config/rules/0/path')).toBe('rules[1].path');
    expect(fieldLabel('name')).toBe('name');
  });
});

describe('server problems on nodes', () => {
  const definition = normalizeDefinition({
    nodes: [
      { id: 't', type: 'trigger', name: 'Start', config: { kind: 'manual' } },
      { id: 'a', type: 'agent', name: 'Ask', config: { agentId: 'x', prompt: '' } },
    ],
    edges: [{ id: 'e1', source: 't', sourceOutput: 'out', target: 'a', targetInput: 'in' }],
  });

  it('finds the node by id, by JSON path or by edge', () => {
    expect(problemNodeId({ message: 'm', nodeId: 'a' }, definition)).toBe('a');
    expect(problemNodeId({ message: 'm', path: '/nodes/1/config/agentId' }, definition)).toBe('a');
    expect(problemNodeId({ message: 'm', edgeId: 'e1' }, definition)).toBe('a');
    expect(problemNodeId({ message: 'Add an output node' }, definition)).toBeNull();
  });

  it('maps both path styles to fields', () => {
    expect(problemField('/nodes/1/config/agentId')).toBe('config/agentId');
    expect(problemField('config.agentId')).toBe('config/agentId');
    expect(problemField('config.rules[0].path')).toBe('config/rules/0/path');
    expect(problemField(null)).toBeNull();
  });

  it('merges browser and server problems per node, each once', () => {
    const byNode = problemsByNode(definition, { a: [{ field: 'config/agentId', message: 'Required' }] }, [
      { message: 'Ask uses an agent that does not exist', nodeId: 'a' },
      { message: 'Ask uses an agent that does not exist', nodeId: 'a' },
      { message: 'Add an output node' },
      { message: '/nodes/1/config/agentId must NOT have fewer than 1 characters', path: '/nodes/1/config/agentId' },
    ]);
    expect(byNode).toEqual({ a: ['agentId: Required', 'Ask uses an agent that does not exist'] });
  });
});
