import { describe, expect, it } from 'vitest';
import { ID_PATTERN, nextEdgeId, nextNodeId } from './ids';

describe('readable ids', () => {
  it('numbers nodes per type from 1, skipping taken ids', () => {
    expect(nextNodeId('agent', new Set())).toEqual({ id: 'agent_1', n: 1 });
    expect(nextNodeId('agent', new Set(['agent_1', 'agent_2', 'tool_3']))).toEqual({ id: 'agent_3', n: 3 });
    expect(nextNodeId('tool', new Set(['agent_1']))).toEqual({ id: 'tool_1', n: 1 });
  });

  it('numbers edges e1, e2, ...', () => {
    expect(nextEdgeId(new Set())).toBe('e1');
    expect(nextEdgeId(new Set(['e1', 'e3']))).toBe('e2');
  });

  it('follows the definition id rule, even for odd type names', () => {
    for (const type of ['agent', '9lives', 'with space', 'x'.repeat(80)]) expect(nextNodeId(type, new Set()).id).toMatch(ID_PATTERN);
  });
});
