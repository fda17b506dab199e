import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type DragEvent } from 'react';
import type { WorkflowDefinition } from '../core/definition';
import { NODE_TYPE_MIME, type FlowChange, type FlowController } from '../core/flow-controller';
import type { NodeRunStatus } from '../core/flow-node';
import { createFlowEditor, type FlowEditor } from './flow-editor';
import './flow-canvas.css';

export interface FlowCanvasProps {
  /** Loaded once, when the canvas mounts: give the canvas a new `key` to load another. */
  definition: WorkflowDefinition;
  readOnly: boolean;
  problems?: Readonly<Record<string, readonly string[]>>;
  statuses?: Readonly<Record<string, NodeRunStatus>>;
  selectedNodeId: string | null;
  onSelect: (id: string | null) => void;
  /** The definition as loaded, positions filled in: the baseline that edits are compared with. */
  onLoad?: (definition: WorkflowDefinition) => void;
  onChange?: (change: FlowChange) => void;
  controllerRef?: { current: FlowController | null };
  testId: string;
  style?: CSSProperties;
}

/** The Rete canvas (this module is the lazily loaded editor chunk). */
export default function FlowCanvas(props: FlowCanvasProps) {
  const { readOnly, problems, statuses, selectedNodeId, controllerRef, testId, style } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });
  const [flow, setFlow] = useState<FlowEditor | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    // A host per mount: a remount (StrictMode, a new key) never finds the old editor's elements.
    const host = document.createElement('div');
    host.className = 'af-canvas__host';
    container.appendChild(host);
    let disposed = false;
    const editor = createFlowEditor(host, {
      readOnly,
      onSelect: (id) => latest.current.onSelect(id),
      onChange: (change) => latest.current.onChange?.(change),
    });
    void editor.load(latest.current.definition).then((loaded) => {
      if (disposed) return;
      setFlow(editor);
      if (controllerRef) controllerRef.current = editor;
      latest.current.onLoad?.(loaded);
    });
    return () => {
      disposed = true;
      if (controllerRef && controllerRef.current === editor) controllerRef.current = null;
      editor.destroy();
      host.remove();
    };
  }, [readOnly, controllerRef]);

  useEffect(() => {
    flow?.decorate({ problems, statuses });
  }, [flow, problems, statuses]);

  useEffect(() => {
    void flow?.select(selectedNodeId);
  }, [flow, selectedNodeId]);

  const onDragOver = (event: DragEvent) => {
    if (!readOnly && event.dataTransfer.types.includes(NODE_TYPE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(NODE_TYPE_MIME);
    if (readOnly || !type || !flow) return;
    event.preventDefault();
    void flow.addNode(type, { clientX: event.clientX, clientY: event.clientY });
  };

  return (
    <div
      ref={containerRef}
      className="af-canvas"
      data-testid={testId}
      data-ready={flow ? 'true' : 'false'}
      data-read-only={readOnly ? 'true' : 'false'}
      style={style}
      onDragOver={onDragOver}
      onDrop={onDrop}
    />
  );
}
