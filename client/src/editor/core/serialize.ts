import type { NodeEditor } from 'rete';
import type { Position, WorkflowDefinition } from './definition';
import { FlowConnection, FlowNode, type FlowSchemes } from './flow-node';
import { fallbackPositions } from './layout';

/** Where nodes are: the area plugin's node views in the app, a plain map in tests. */
export interface NodePositions {
  get(id: string): Position | undefined;
  set(id: string, position: Position): Promise<unknown>;
}

/**
 * Replaces the editor's graph with `definition`: nodes keep their ids and positions (nodes without
 * one get a simple layered place), edges keep their ids and ports. An edge naming a port its node
 * type lacks gets that port, so that exporting gives the same document back and the server's
 * validation can point at it.
 */
export async function importDefinition(editor: NodeEditor<FlowSchemes>, positions: NodePositions, definition: WorkflowDefinition): Promise<void> {
  await editor.clear();
  const fallback = fallbackPositions(definition);
  const nodes = new Map<string, FlowNode>();
  for (const item of definition.nodes) {
    const node = FlowNode.deserialize(item);
    nodes.set(node.id, node);
    await editor.addNode(node);
    await positions.set(node.id, item.position ?? fallback[node.id] ?? { x: 0, y: 0 });
  }
  for (const edge of definition.edges) {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    // An edge to a node that does not exist has nothing to be drawn between: it is dropped.
    if (!source || !target) continue;
    source.ensurePort('output', edge.sourceOutput);
    target.ensurePort('input', edge.targetInput);
    await editor.addConnection(FlowConnection.deserialize(edge, source, target));
  }
}

/** The editor's graph as a definition document, nodes and edges in the editor's order. */
export function exportDefinition(editor: NodeEditor<FlowSchemes>, positions: NodePositions): WorkflowDefinition {
  return {
    version: 1,
    nodes: editor.getNodes().map((node) => node.serialize(positions.get(node.id))),
    edges: editor.getConnections().map((connection) => connection.serialize()),
  };
}

/** NodePositions over a Map, for headless use (tests, exports without an area). */
export function memoryPositions(initial: Record<string, Position> = {}): NodePositions {
  const map = new Map(Object.entries(initial));
  return {
    get: (id) => map.get(id),
    set: async (id, position) => map.set(id, { ...position }),
  };
}
