import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Box, Card, Group, ScrollArea, Stack } from '@mantine/core';
import type { WorkflowDefinition } from '../../../editor/core/definition';
import type { FlowChange, FlowController } from '../../../editor/core/flow-controller';
import type { NodeData } from '../../../editor/core/flow-node';
import { validateNode, type FieldError } from '../../../editor/core/node-validation';
import { problemNodeId, problemsByNode, repeatsFieldError, type WorkflowProblem } from '../../../editor/core/problems';
import { LazyFlowCanvas } from '../../../editor/flow-canvas-lazy';
import { notifyError } from '../../../lib/notify';
import { usePickerOptions } from '../hooks/use-picker-options';
import { useWorkflowValidation } from '../hooks/use-workflow-validation';
import { DesignerToolbar } from './designer-toolbar';
import { NodePalette } from './node-palette';
import { NodePanel } from './node-panel';
import { ValidationProblems } from './validation-problems';
import type { WorkflowDraft } from './workflow-draft';
import { WorkflowSettingsPanel } from './workflow-settings-panel';

export const CANVAS_HEIGHT = 620;

interface DesignerWorkspaceProps {
  workflowId: string;
  webhookUrl: string | null;
  /** What the canvas loads; a new `key` reloads it (another version, a conflict reload). */
  source: { key: number; definition: WorkflowDefinition };
  draft: WorkflowDraft;
  readOnly: boolean;
  /** Problems the server gave when it refused to activate; shown instead of the live check. */
  refused: WorkflowProblem[] | null;
  onLoad: (definition: WorkflowDefinition) => void;
  onDefinitionChange: (definition: WorkflowDefinition) => void;
  onNodeChange: (id: string, data: NodeData) => void;
  onSettingsChange: (patch: { name?: string; description?: string }) => void;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset', 'range'].includes(target.type);
}

/** The design tab: palette and tools, the canvas, the side panel and the graph's problems. */
export function DesignerWorkspace(props: DesignerWorkspaceProps) {
  const { workflowId, webhookUrl, source, draft, readOnly, refused, onLoad, onDefinitionChange, onNodeChange, onSettingsChange } = props;
  const controller = useRef<FlowController | null>(null);
  const workspace = useRef<HTMLDivElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [undo, setUndo] = useState({ canUndo: false, canRedo: false });
  const [ready, setReady] = useState(false);
  const [arranging, setArranging] = useState(false);
  const { agents, tools } = usePickerOptions();
  const validation = useWorkflowValidation(ready ? draft.definition : null);
  const { definition } = draft;

  const fieldErrors = useMemo(() => {
    const errors: Record<string, FieldError[]> = {};
    for (const node of definition.nodes) {
      const found = validateNode(node);
      if (found.length > 0) errors[node.id] = found;
    }
    return errors;
  }, [definition]);
  const serverProblems = refused ?? validation.problems;
  const problems = useMemo(() => problemsByNode(definition, fieldErrors, serverProblems), [definition, fieldErrors, serverProblems]);
  // Each problem once: per node (browser and server merged), plus the graph's own (no node).
  const problemCount =
    Object.values(problems).reduce((sum, list) => sum + list.length, 0) + serverProblems.filter((p) => problemNodeId(p, definition) === null).length;

  const handleLoad = useCallback(
    (loaded: WorkflowDefinition) => {
      setReady(true);
      setUndo({ canUndo: false, canRedo: false });
      onLoad(loaded);
    },
    [onLoad],
  );
  const handleChange = useCallback(
    (change: FlowChange) => {
      setUndo({ canUndo: change.canUndo, canRedo: change.canRedo });
      onDefinitionChange(change.definition);
    },
    [onDefinitionChange],
  );

  const run = useCallback((action: (c: FlowController) => Promise<unknown>, failure: string) => {
    const current = controller.current;
    if (current) action(current).catch((error: unknown) => notifyError(error, failure));
  }, []);

  const selectedRef = useRef(selectedId);
  useLayoutEffect(() => {
    selectedRef.current = selectedId;
  });
  useEffect(() => {
    if (readOnly) return undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (isEditable(event.target)) return;
      // Only keys meant for the designer: not those typed in a dialog over it.
      if (!(event.target === document.body || (event.target instanceof Node && workspace.current?.contains(event.target)))) return;
      const key = event.key.toLowerCase();
      const mod = event.ctrlKey || event.metaKey;
      if (mod && key === 'z') {
        event.preventDefault();
        run((c) => (event.shiftKey ? c.redo() : c.undo()), 'Could not undo');
      } else if (mod && key === 'y') {
        event.preventDefault();
        run((c) => c.redo(), 'Could not redo');
      } else if ((key === 'delete' || key === 'backspace') && selectedRef.current) {
        event.preventDefault();
        const id = selectedRef.current;
        run((c) => c.removeNode(id), 'Could not delete the node');
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [readOnly, run]);

  const selected = selectedId ? definition.nodes.find((n) => n.id === selectedId) : undefined;
  const names = useMemo(() => Object.fromEntries(definition.nodes.map((n) => [n.id, n.name])), [definition]);
  const selectedEdges = selected ? definition.edges.filter((e) => e.source === selected.id || e.target === selected.id) : [];
  const selectedServerProblems = selected
    ? serverProblems.filter((p) => problemNodeId(p, definition) === selected.id && !repeatsFieldError(p, selected.id, fieldErrors)).map((p) => p.message)
    : [];

  return (
    <Stack gap="sm">
      <Card withBorder radius="md" padding={0} ref={workspace} data-testid="designer-workspace">
        <Group justify="space-between" px="sm" py={8} gap="sm" wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          <Box style={{ flex: 1, minWidth: 0 }}>{!readOnly ? <NodePalette onAdd={(type) => run((c) => c.addNode(type), 'Could not add the node')} /> : null}</Box>
          <DesignerToolbar
            readOnly={readOnly}
            ready={ready}
            canUndo={undo.canUndo}
            canRedo={undo.canRedo}
            arranging={arranging}
            onUndo={() => run((c) => c.undo(), 'Could not undo')}
            onRedo={() => run((c) => c.redo(), 'Could not redo')}
            onArrange={() => {
              setArranging(true);
              run((c) => c.arrange().finally(() => setArranging(false)), 'Could not arrange the graph');
            }}
            onZoomToFit={() => run((c) => c.zoomToFit(), 'Could not zoom')}
            validation={{ checking: validation.checking, problemCount, error: Boolean(validation.error) && !refused }}
          />
        </Group>
        <Group gap={0} align="stretch" wrap="nowrap">
          <Box style={{ flex: 1, minWidth: 0 }}>
            <LazyFlowCanvas
              key={source.key}
              definition={source.definition}
              readOnly={readOnly}
              problems={problems}
              selectedNodeId={selectedId}
              onSelect={setSelectedId}
              onLoad={handleLoad}
              onChange={handleChange}
              controllerRef={controller}
              testId="designer-canvas"
              height={CANVAS_HEIGHT}
            />
          </Box>
          <ScrollArea h={CANVAS_HEIGHT} w={340} style={{ borderLeft: '1px solid var(--mantine-color-default-border)', flexShrink: 0 }}>
            <Box p="md">
              {selected ? (
                <NodePanel
                  key={selected.id}
                  node={selected}
                  edges={selectedEdges}
                  nodeNames={names}
                  fieldErrors={fieldErrors[selected.id] ?? []}
                  problems={selectedServerProblems}
                  readOnly={readOnly}
                  agents={agents}
                  tools={tools}
                  onChange={(data) => {
                    onNodeChange(selected.id, data);
                    controller.current?.updateNode(selected.id, data);
                  }}
                  onDelete={() => run((c) => c.removeNode(selected.id), 'Could not delete the node')}
                  onRemoveEdge={(id) => run((c) => c.removeConnection(id), 'Could not remove the connection')}
                />
              ) : (
                <WorkflowSettingsPanel
                  workflowId={workflowId}
                  name={draft.name}
                  description={draft.description}
                  webhookUrl={webhookUrl}
                  readOnly={readOnly}
                  onChange={onSettingsChange}
                />
              )}
            </Box>
          </ScrollArea>
        </Group>
      </Card>
      <ValidationProblems
        problems={serverProblems}
        definition={definition}
        title={refused ? 'The workflow cannot be activated until these are fixed' : 'Problems to fix before the workflow can be activated'}
        onSelectNode={setSelectedId}
      />
    </Stack>
  );
}
