import { describe, expect, it } from 'vitest';
import { NODE_TYPES, configSchema, defaultConfig, inputKeys, jsonEqual, nodeTypeInfo, normalizeDefinition, resolveSchema } from './definition';
import { validateNode, type FieldError } from './node-validation';

describe('node types from the shared schema', () => {
  it('lists the schema node types with their labels and ports', () => {
    expect(NODE_TYPES).toEqual(['trigger', 'agent', 'tool', 'code', 'condition', 'join', 'approval', 'transform', 'output']);
    expect(nodeTypeInfo('code')).toEqual({ label: 'Code', inputs: ['in'], outputs: ['out', 'error'] });
    expect(nodeTypeInfo('condition')).toEqual({ label: 'Condition', inputs: ['in'], outputs: ['true', 'false', 'error'] });
    expect(nodeTypeInfo('nope')).toEqual({ label: 'nope', inputs: [], outputs: [] });
  });

  it('resolves template references in config schemas', () => {
    expect(resolveSchema(configSchema('agent')!.properties!.prompt!)).toMatchObject({ type: 'string', maxLength: 20000, title: 'Message' });
  });

  it('starts new nodes with configs the schema accepts, except for the agent or tool still to pick', () => {
    const expected: Record<string, FieldError[]> = {
      agent: [{ field: 'config/agentId', message: 'Required' }],
      tool: [{ field: 'config/tool', message: 'Required' }],
    };
    for (const type of NODE_TYPES) {
      expect(validateNode({ id: `${type}_1`, type, name: 'New', config: defaultConfig(type) }), type).toEqual(expected[type] ?? []);
    }
    expect(defaultConfig('approval')).toMatchObject({ assigneeRole: 'member' });
    expect(defaultConfig('condition')).toMatchObject({ combinator: 'all' });
  });
});

describe('normalizeDefinition', () => {
  it('fills what is missing without dropping what is there', () => {
    expect(normalizeDefinition(null)).toEqual({ version: 1, nodes: [], edges: [] });
    expect(normalizeDefinition({ nodes: [{ id: 'a', type: 'join', config: {}, position: { x: 1, y: 2 }, extra: true }], edges: [{ id: 'e1', source: 'a', target: 'b' }] })).toEqual({
      version: 1,
      nodes: [{ id: 'a', type: 'join', name: 'a', config: {}, position: { x: 1, y: 2 } }],
      edges: [{ id: 'e1', source: 'a', sourceOutput: 'out', target: 'b', targetInput: 'in' }],
    });
  });
});

describe('jsonEqual', () => {
  it('ignores key order and undefined properties', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual(1, '1')).toBe(false);
  });
});

describe('inputKeys', () => {
  it('finds the run input keys read by templates and condition paths', () => {
    const definition = normalizeDefinition({
      nodes: [
        { id: 'a', type: 'agent', config: { prompt: 'Hi {{ input.name }}, about {{input.order.id}} and {{nodes.x.output}}' } },
        { id: 'c', type: 'condition', config: { rules: [{ path: 'input.amount', operator: 'greaterThan', value: 10 }] } },
      ],
    });
    expect(inputKeys(definition)).toEqual(['amount', 'name', 'order']);
  });
});
