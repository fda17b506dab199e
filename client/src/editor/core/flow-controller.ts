import type { NodeData } from './flow-node';
import type { WorkflowDefinition } from './definition';

/** The designer's graph after a change, and whether undo and redo have something to do. */
export interface FlowChange {
  definition: WorkflowDefinition;
  canUndo: boolean;
  canRedo: boolean;
}

/**
 * What the designer's React side may ask of the canvas. The canvas (Rete) owns the graph; the
 * page learns of every change through `onChange` with the exported definition.
 */
export interface FlowController {
  /** Adds a node of `type` at a free spot in view, or where it was dropped; resolves to its id. */
  addNode(type: string, drop?: { clientX: number; clientY: number }): Promise<string>;
  /** Replaces a node's name, config, retry and timeout (one undoable step per burst of edits). */
  updateNode(id: string, data: NodeData): void;
  removeNode(id: string): Promise<void>;
  removeConnection(id: string): Promise<void>;
  select(id: string | null): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Lays the graph out left to right with elk (loaded on first use). */
  arrange(): Promise<void>;
  zoomToFit(): Promise<void>;
}

/** The drag-and-drop type under which the palette hands a node type to the canvas. */
export const NODE_TYPE_MIME = 'application/x-agentflow-node-type';
