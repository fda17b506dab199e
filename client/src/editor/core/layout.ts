import type { Position, WorkflowDefinition } from './definition';

export const COLUMN_GAP = 300;
export const ROW_GAP = 160;

/**
 * Positions for nodes that have none: columns by distance from the nodes without inputs
 * (longest path), rows in definition order. Placed to the right of any positioned node. Cheap and
 * deterministic; auto-arrange (elk) is the user's better choice in the designer.
 */
export function fallbackPositions(definition: WorkflowDefinition): Record<string, Position> {
  const missing = definition.nodes.filter((n) => !n.position);
  if (missing.length === 0) return {};
  const ids = new Set(definition.nodes.map((n) => n.id));
  const incoming = new Map<string, string[]>();
  for (const edge of definition.edges) {
    if (ids.has(edge.source) && ids.has(edge.target) && edge.source !== edge.target) {
      incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);
    }
  }
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a loop: the server reports it; just do not recurse forever
    visiting.add(id);
    const value = Math.max(-1, ...(incoming.get(id) ?? []).map(depthOf)) + 1;
    visiting.delete(id);
    depth.set(id, value);
    return value;
  };
  const placed = definition.nodes.filter((n) => n.position);
  const originX = placed.length ? Math.max(...placed.map((n) => n.position!.x)) + COLUMN_GAP : 0;
  const originY = placed.length ? Math.min(...placed.map((n) => n.position!.y)) : 0;
  const rows = new Map<number, number>();
  const result: Record<string, Position> = {};
  for (const node of missing) {
    const column = depthOf(node.id);
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    result[node.id] = { x: originX + column * COLUMN_GAP, y: originY + row * ROW_GAP };
  }
  return result;
}
