import { NodeEditor } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import { ClassicFlow, ConnectionPlugin, getSourceTarget, type SocketData } from 'rete-connection-plugin';
import { HistoryPlugin, Presets as HistoryPresets, type HistoryAction } from 'rete-history-plugin';
import { Presets, ReactPlugin, type ReactArea2D } from 'rete-react-plugin';
import { defaultConfig, jsonEqual, nodeTypeInfo, type Position, type WorkflowDefinition } from '../core/definition';
import type { FlowChange, FlowController } from '../core/flow-controller';
import { FlowConnection, FlowNode, NODE_WIDTH, type FlowSchemes, type NodeData, type NodeRunStatus } from '../core/flow-node';
import { nextEdgeId, nextNodeId } from '../core/ids';
import { exportDefinition, importDefinition, type NodePositions } from '../core/serialize';
import { FlowConnectionView, FlowNodeView, socketView } from './flow-node-view';
import { createStyledRoot } from './styled-root';

type AreaExtra = ReactArea2D<FlowSchemes>;

export interface FlowEditorOptions {
  readOnly: boolean;
  onSelect: (id: string | null) => void;
  onChange: (change: FlowChange) => void;
}

export interface FlowDecorations {
  problems?: Readonly<Record<string, readonly string[]>>;
  statuses?: Readonly<Record<string, NodeRunStatus>>;
}

export interface FlowEditor extends FlowController {
  /** Replaces the graph; resolves to the definition as the editor holds it (positions filled in). */
  load(definition: WorkflowDefinition): Promise<WorkflowDefinition>;
  decorate(decorations: FlowDecorations): void;
  destroy(): void;
}

/** Edits of one node's fields in a row (typing) merge into one undo step while they are this close. */
const MERGE_EDITS_MS = 1000;
const GAP = 24;

/** A side-panel edit, undoable with the graph's own history. */
class NodeDataAction implements HistoryAction {
  constructor(
    private readonly apply: (id: string, data: NodeData) => void,
    readonly nodeId: string,
    private readonly before: NodeData,
    public after: NodeData,
  ) {}
  undo() {
    this.apply(this.nodeId, this.before);
  }
  redo() {
    this.apply(this.nodeId, this.after);
  }
}

interface HistoryInternals {
  history: { produced: unknown[]; reserved: unknown[] };
}

/**
 * The Rete editor behind the designer and the run monitor: area, React rendering, and (unless
 * read-only) connections by dragging socket to socket and undo/redo history.
 */
export function createFlowEditor(container: HTMLElement, options: FlowEditorOptions): FlowEditor {
  const { readOnly } = options;
  const editor = new NodeEditor<FlowSchemes>();
  const area = new AreaPlugin<FlowSchemes, AreaExtra>(container);
  const render = new ReactPlugin<FlowSchemes, AreaExtra>({ createRoot: createStyledRoot });
  const usedNodeIds = new Set<string>();
  const usedEdgeIds = new Set<string>();
  let loading = false;
  let locked = false;
  let destroyed = false;
  let selectedId: string | null = null;
  let changeTimer: ReturnType<typeof setTimeout> | undefined;

  render.addPreset(
    Presets.classic.setup({
      customize: {
        node: () => FlowNodeView,
        socket: (context) => socketView(context.side, context.key),
        connection: () => FlowConnectionView,
      },
    }),
  );
  editor.use(area);
  area.use(render);

  const selector = AreaExtensions.selector();
  const selectable = AreaExtensions.selectableNodes(area, selector, { accumulating: AreaExtensions.accumulateOnCtrl() });
  AreaExtensions.simpleNodesOrder(area);

  let history: HistoryPlugin<FlowSchemes> | null = null;
  if (!readOnly) {
    const connections = new ConnectionPlugin<FlowSchemes, AreaExtra>();
    connections.addPreset(() => new ClassicFlow<FlowSchemes, AreaExtra[]>({ canMakeConnection, makeConnection }));
    area.use(connections);
    history = new HistoryPlugin<FlowSchemes>();
    history.addPreset(HistoryPresets.classic.setup());
    area.use(history);
  }

  const positions: NodePositions = {
    get: (id) => area.nodeViews.get(id)?.position,
    set: (id, position) => area.translate(id, position),
  };

  function undoState(): { canUndo: boolean; canRedo: boolean } {
    const internals = (history as unknown as HistoryInternals | null)?.history;
    return { canUndo: (internals?.produced.length ?? 0) > 0, canRedo: (internals?.reserved.length ?? 0) > 0 };
  }

  function emitChange() {
    changeTimer = undefined;
    if (destroyed) return;
    if (selectedId && !editor.getNode(selectedId)) select(null);
    options.onChange({ definition: exportDefinition(editor, positions), ...undoState() });
  }

  function scheduleChange() {
    if (loading || destroyed) return;
    clearTimeout(changeTimer);
    changeTimer = setTimeout(emitChange, 30);
  }

  function select(id: string | null) {
    if (selectedId === id || destroyed) return;
    selectedId = id;
    options.onSelect(id);
  }

  function connectionExists(source: SocketData, target: SocketData): boolean {
    return editor
      .getConnections()
      .some((c) => c.source === source.nodeId && c.sourceOutput === source.key && c.target === target.nodeId && c.targetInput === target.key);
  }

  function canMakeConnection(from: SocketData, to: SocketData): boolean {
    const pair = getSourceTarget(from, to);
    if (!pair) return false;
    const [source, target] = pair as [SocketData, SocketData];
    return source.nodeId !== target.nodeId && !connectionExists(source, target);
  }

  function makeConnection(from: SocketData, to: SocketData): boolean {
    const pair = getSourceTarget(from, to);
    if (!pair) return false;
    const [s, t] = pair as [SocketData, SocketData];
    const source = editor.getNode(s.nodeId);
    const target = editor.getNode(t.nodeId);
    if (!source || !target) return false;
    const id = nextEdgeId(new Set([...usedEdgeIds, ...editor.getConnections().map((c) => c.id)]));
    usedEdgeIds.add(id);
    const connection = new FlowConnection(source, s.key, target, t.key);
    connection.id = id;
    void editor.addConnection(connection);
    return true;
  }

  editor.addPipe((context) => {
    if (context.type === 'connectioncreate' && context.data.source === context.data.target) return undefined;
    if ((context.type === 'connectioncreate' || context.type === 'noderemove' || context.type === 'connectionremove') && locked) return undefined;
    if (context.type === 'nodecreated') usedNodeIds.add(context.data.id);
    if (context.type === 'connectioncreated') usedEdgeIds.add(context.data.id);
    if (context.type === 'nodecreated' || context.type === 'noderemoved' || context.type === 'connectioncreated' || context.type === 'connectionremoved') {
      scheduleChange();
    }
    return context;
  });

  // A click on the background (a pointer that barely moved) clears the selection, as
  // selectableNodes does for the nodes' own `selected` flags.
  let twitch: number | null = null;
  area.addPipe((context) => {
    if (!context || typeof context !== 'object' || !('type' in context)) return context;
    switch (context.type) {
      case 'nodetranslate':
        if (locked) return undefined;
        break;
      case 'nodetranslated':
        scheduleChange();
        break;
      case 'nodepicked':
        twitch = null;
        select(context.data.id);
        break;
      case 'pointerdown':
        twitch = 0;
        break;
      case 'pointermove':
        if (twitch !== null) twitch++;
        break;
      case 'pointerup':
        if (twitch !== null && twitch < 4) select(null);
        twitch = null;
        break;
    }
    return context;
  });

  function applyData(id: string, data: NodeData) {
    const node = editor.getNode(id);
    if (!node) return;
    node.setData(data);
    void area.update('node', id);
    scheduleChange();
  }

  function updateNode(id: string, data: NodeData) {
    const node = editor.getNode(id);
    if (!node || jsonEqual(node.data, data)) return;
    const before = structuredClone(node.data);
    applyData(id, data);
    if (!history) return;
    const last = history.getHistorySnapshot().at(-1);
    if (last && last.action instanceof NodeDataAction && last.action.nodeId === id && Date.now() - last.time < MERGE_EDITS_MS) {
      last.action.after = structuredClone(data);
      last.time = Date.now();
    } else {
      history.add(new NodeDataAction(applyData, id, before, structuredClone(data)));
    }
  }

  function overlaps(candidate: Position, height: number): boolean {
    return editor.getNodes().some((node) => {
      const at = positions.get(node.id);
      if (!at) return false;
      return (
        candidate.x < at.x + node.width + GAP &&
        candidate.x + NODE_WIDTH + GAP > at.x &&
        candidate.y < at.y + node.height + GAP &&
        candidate.y + height + GAP > at.y
      );
    });
  }

  /** The visible part of the graph, in graph coordinates. */
  function viewport() {
    const { x, y, k } = area.area.transform;
    return { left: -x / k, top: -y / k, width: container.clientWidth / k, height: container.clientHeight / k };
  }

  /** The free place nearest the middle of the view, inside the view if there is room. */
  function freeSpot(height: number): Position {
    const view = viewport();
    const centre = { x: view.left + view.width / 2 - NODE_WIDTH / 2, y: view.top + view.height / 2 - height / 2 };
    const offsets: Position[] = [];
    for (let dx = -3; dx <= 3; dx++) for (let dy = -8; dy <= 8; dy++) offsets.push({ x: dx * (NODE_WIDTH + GAP), y: dy * 40 });
    offsets.sort((a, b) => Math.hypot(a.x, a.y * 2) - Math.hypot(b.x, b.y * 2));
    const candidates = offsets.map((o) => ({ x: Math.round(centre.x + o.x), y: Math.round(centre.y + o.y) }));
    const inView = (p: Position) => p.x >= view.left && p.y >= view.top && p.x + NODE_WIDTH <= view.left + view.width && p.y + height <= view.top + view.height;
    const free = candidates.filter((p) => !overlaps(p, height));
    return free.find(inView) ?? free[0] ?? candidates[0]!;
  }

  /** Zooms out to the whole graph when a node lies (partly) outside the view. */
  async function ensureVisible(id: string) {
    const node = editor.getNode(id);
    const at = positions.get(id);
    if (!node || !at) return;
    const view = viewport();
    const visible = at.x >= view.left && at.y >= view.top && at.x + node.width <= view.left + view.width && at.y + node.height <= view.top + view.height;
    if (!visible) await zoomToFit();
  }

  function fromClient(point: { clientX: number; clientY: number }): Position {
    const rect = container.getBoundingClientRect();
    const { x, y, k } = area.area.transform;
    return { x: Math.round((point.clientX - rect.left - x) / k - NODE_WIDTH / 2), y: Math.round((point.clientY - rect.top - y) / k - 20) };
  }

  let arranger: Promise<{ layout: () => Promise<unknown> }> | null = null;
  async function loadArranger() {
    // elkjs is large: it is fetched the first time someone arranges.
    const { AutoArrangePlugin, Presets: ArrangePresets } = await import('rete-auto-arrange-plugin');
    const plugin = new AutoArrangePlugin<FlowSchemes>();
    plugin.addPreset(ArrangePresets.classic.setup());
    area.use(plugin);
    return {
      layout: () =>
        plugin.layout({
          options: {
            'elk.direction': 'RIGHT',
            'elk.spacing.nodeNode': '50',
            'elk.layered.spacing.nodeNodeBetweenLayers': '90',
          },
        }),
    };
  }

  async function zoomToFit() {
    const nodes = editor.getNodes();
    // zoomAt never zooms in past 1: small graphs keep their natural size.
    if (nodes.length > 0) await AreaExtensions.zoomAt(area, nodes, { scale: 0.85 });
  }

  const flow: FlowEditor = {
    async load(definition) {
      loading = true;
      locked = false;
      try {
        await importDefinition(editor, positions, definition);
        history?.clear();
      } finally {
        loading = false;
        locked = readOnly;
      }
      await zoomToFit();
      return exportDefinition(editor, positions);
    },

    decorate({ problems, statuses }) {
      for (const node of editor.getNodes()) {
        let changed = false;
        if (problems) {
          const next = [...(problems[node.id] ?? [])];
          if (!jsonEqual(next, node.problems)) {
            node.problems = next;
            changed = true;
          }
        }
        if (statuses) {
          const next = statuses[node.id] ?? null;
          if (next !== node.runStatus) {
            node.runStatus = next;
            changed = true;
          }
        }
        if (changed) void area.update('node', node.id);
      }
    },

    async addNode(type, drop) {
      const taken = new Set([...usedNodeIds, ...editor.getNodes().map((n) => n.id)]);
      const { id, n } = nextNodeId(type, taken);
      usedNodeIds.add(id);
      const node = new FlowNode({ id, type, name: `${nodeTypeInfo(type).label} ${n}`, config: defaultConfig(type) });
      await editor.addNode(node);
      await area.translate(id, drop ? fromClient(drop) : freeSpot(node.height));
      await ensureVisible(id);
      await selectable.select(id, false);
      select(id);
      return id;
    },

    updateNode,

    async removeNode(id) {
      for (const connection of editor.getConnections()) {
        if (connection.source === id || connection.target === id) await editor.removeConnection(connection.id);
      }
      if (editor.getNode(id)) await editor.removeNode(id);
      if (selectedId === id) select(null);
    },

    async removeConnection(id) {
      if (editor.getConnection(id)) await editor.removeConnection(id);
    },

    async select(id) {
      selectedId = id;
      if (id && editor.getNode(id)) await selectable.select(id, false);
      else await selector.unselectAll();
    },

    async undo() {
      await history?.undo();
      scheduleChange();
    },

    async redo() {
      await history?.redo();
      scheduleChange();
    },

    async arrange() {
      if (locked) return;
      arranger ??= loadArranger();
      await (await arranger).layout();
      await zoomToFit();
      scheduleChange();
    },

    zoomToFit,

    destroy() {
      destroyed = true;
      locked = false;
      clearTimeout(changeTimer);
      // Clearing unmounts the nodes' React roots; nothing is reported to the page any more.
      void editor
        .clear()
        .catch(() => false)
        .finally(() => area.destroy());
    },
  };
  return flow;
}
