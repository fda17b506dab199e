import { ClassicPreset, type GetSchemes } from 'rete';
import { nodeTypeInfo, type DefinitionEdge, type DefinitionNode, type Position, type RetryPolicy } from './definition';

/** Run state shown on a node in the run monitor: a task status, or PENDING before its task exists. */
export type NodeRunStatus = 'PENDING' | 'QUEUED' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

export const NODE_WIDTH = 220;
const HEADER_HEIGHT = 58;
const PORT_ROW_HEIGHT = 28;

/** What a node holds besides its ports and position: everything the side panel edits. */
export interface NodeData {
  name: string;
  config: Record<string, unknown>;
  retry?: RetryPolicy;
  timeoutSeconds?: number;
}

const socket = new ClassicPreset.Socket('flow');

/**
 * A workflow node inside Rete, headless (no rendering): its id is the definition's node id, its
 * ports are the node type's, and `serialize()` gives back the definition node.
 */
export class FlowNode extends ClassicPreset.Node {
  width = NODE_WIDTH;
  height: number;
  readonly nodeType: string;
  data: NodeData;
  /** Shown by the renderer: problems in the designer, the task status in the run monitor. */
  problems: string[] = [];
  runStatus: NodeRunStatus | null = null;

  constructor(node: DefinitionNode) {
    super(node.name);
    this.id = node.id;
    this.nodeType = node.type;
    this.data = { name: node.name, config: structuredClone(node.config) };
    if (node.retry) this.data.retry = { ...node.retry };
    if (node.timeoutSeconds !== undefined) this.data.timeoutSeconds = node.timeoutSeconds;
    const { inputs, outputs } = nodeTypeInfo(node.type);
    // Only a join merges branches; every other input takes one connection (the server's rule).
    for (const key of inputs) this.addInput(key, new ClassicPreset.Input(socket, key, node.type === 'join'));
    for (const key of outputs) this.addOutput(key, new ClassicPreset.Output(socket, key, true));
    this.height = this.measure();
  }

  static deserialize(node: DefinitionNode): FlowNode {
    return new FlowNode(node);
  }

  /** Adds a port the type does not have, so that an edge naming it survives a round trip. */
  ensurePort(side: 'input' | 'output', key: string): void {
    if (side === 'input' && !this.hasInput(key)) this.addInput(key, new ClassicPreset.Input(socket, key, false));
    if (side === 'output' && !this.hasOutput(key)) this.addOutput(key, new ClassicPreset.Output(socket, key, true));
    this.height = this.measure();
  }

  setData(data: NodeData): void {
    this.data = structuredClone(data);
    this.label = data.name;
  }

  serialize(position: Position | undefined): DefinitionNode {
    const node: DefinitionNode = { id: this.id, type: this.nodeType, name: this.data.name, config: structuredClone(this.data.config) };
    if (position) node.position = { x: position.x, y: position.y };
    if (this.data.retry) node.retry = { ...this.data.retry };
    if (this.data.timeoutSeconds !== undefined) node.timeoutSeconds = this.data.timeoutSeconds;
    return node;
  }

  get inputKeys(): string[] {
    return Object.keys(this.inputs);
  }

  get outputKeys(): string[] {
    return Object.keys(this.outputs);
  }

  private measure(): number {
    return HEADER_HEIGHT + Math.max(this.inputKeys.length, this.outputKeys.length, 1) * PORT_ROW_HEIGHT + 10;
  }
}

export class FlowConnection extends ClassicPreset.Connection<FlowNode, FlowNode> {
  static deserialize(edge: DefinitionEdge, source: FlowNode, target: FlowNode): FlowConnection {
    const connection = new FlowConnection(source, edge.sourceOutput, target, edge.targetInput);
    connection.id = edge.id;
    return connection;
  }

  serialize(): DefinitionEdge {
    return { id: this.id, source: this.source, sourceOutput: this.sourceOutput, target: this.target, targetInput: this.targetInput };
  }
}

export type FlowSchemes = GetSchemes<FlowNode, FlowConnection>;
