import { NodeEditor } from 'rete';
import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from './definition';
import { FlowNode, type FlowSchemes } from './flow-node';
import { exportDefinition, importDefinition, memoryPositions } from './serialize';

const definition: WorkflowDefinition = {
  version: 1,
  nodes: [
    { id: 'trigger', type: 'trigger', name: 'Start', config: { kind: 'manual' }, position: { x: 0, y: 0 } },
    {
      id: 'classify',
      type: 'agent',
      name: 'Classify',
      config: { agentId: 'Agent:1', prompt: 'Sort {{input.email}}' },
      position: { x: 300.5, y: -20 },
      retry: { attempts: 3, backoffSeconds: 2 },
      timeoutSeconds: 30,
    },
    {
      id: 'is_urgent',
      type: 'condition',
      name: 'Urgent?',
      config: { combinator: 'any', rules: [{ path: 'nodes.classify.output.label', operator: 'equals', value: 'urgent' }] },
      position: { x: 600, y: 0 },
    },
    { id: 'approve', type: 'approval', name: 'Ask a lead', config: { message: 'Escalate?', assigneeRole: 'admin' }, position: { x: 900, y: -80 } },
    { id: 'merge', type: 'join', name: 'Merge', config: {}, position: { x: 1200, y: 0 } },
    { id: 'result', type: 'output', name: 'Result', config: { value: { label: '{{nodes.classify.output.label}}' } }, position: { x: 1500, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'trigger', sourceOutput: 'out', target: 'classify', targetInput: 'in' },
    { id: 'e2', source: 'classify', sourceOutput: 'out', target: 'is_urgent', targetInput: 'in' },
    { id: 'e3', source: 'is_urgent', sourceOutput: 'true', target: 'approve', targetInput: 'in' },
    { id: 'e4', source: 'approve', sourceOutput: 'approved', target: 'merge', targetInput: 'in' },
    { id: 'e5', source: 'is_urgent', sourceOutput: 'false', target: 'merge', targetInput: 'in' },
    { id: 'e6', source: 'merge', sourceOutput: 'out', target: 'result', targetInput: 'in' },
  ],
};

async function roundTrip(input: WorkflowDefinition) {
  const editor = new NodeEditor<FlowSchemes>();
  const positions = memoryPositions();
  await importDefinition(editor, positions, input);
  return { editor, positions, output: exportDefinition(editor, positions) };
}

describe('definition <-> editor', () => {
  it('exports what it imported: ids, ports, positions, config, retry and timeout', async () => {
    const { output } = await roundTrip(definition);
    expect(output).toEqual(definition);
  });

  it('gives each node its type ports, with a join the only input taking several connections', async () => {
    const { editor } = await roundTrip(definition);
    const node = (id: string) => editor.getNode(id) as FlowNode;
    expect(node('trigger').inputKeys).toEqual([]);
    expect(node('trigger').outputKeys).toEqual(['out']);
    expect(node('is_urgent').outputKeys).toEqual(['true', 'false', 'error']);
    expect(node('approve').outputKeys).toEqual(['approved', 'rejected', 'error']);
    expect(node('result').outputKeys).toEqual([]);
    expect(node('merge').inputs.in?.multipleConnections).toBe(true);
    expect(node('classify').inputs.in?.multipleConnections).toBe(false);
    expect(editor.getConnections().map((c) => c.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
  });

  it('keeps configs apart from the document it came from', async () => {
    const input = structuredClone(definition);
    const { output } = await roundTrip(input);
    (input.nodes[1]!.config as { prompt: string }).prompt = 'changed';
    expect(output.nodes[1]!.config.prompt).toBe('Sort {{input.email}}');
  });

  it('places nodes without a position in columns after the positioned ones', async () => {
    const { output } = await roundTrip({
      version: 1,
      nodes: [
        { id: 'a', type: 'trigger', name: 'A', config: { kind: 'manual' } },
        { id: 'b', type: 'transform', name: 'B', config: { output: {} } },
        { id: 'c', type: 'output', name: 'C', config: { value: '{{input}}' } },
      ],
      edges: [
        { id: 'e1', source: 'a', sourceOutput: 'out', target: 'b', targetInput: 'in' },
        { id: 'e2', source: 'b', sourceOutput: 'out', target: 'c', targetInput: 'in' },
      ],
    });
    expect(output.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 300, y: 0 },
      { x: 600, y: 0 },
    ]);
  });

  it('keeps an edge to a port its node type lacks, for the server to report', async () => {
    const input: WorkflowDefinition = {
      version: 1,
      nodes: [
        { id: 'a', type: 'trigger', name: 'A', config: { kind: 'manual' }, position: { x: 0, y: 0 } },
        { id: 'b', type: 'output', name: 'B', config: { value: 1 }, position: { x: 300, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'a', sourceOutput: 'maybe', target: 'b', targetInput: 'in' }],
    };
    const { output } = await roundTrip(input);
    expect(output).toEqual(input);
  });
});
