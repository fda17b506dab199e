import { jsonEqual, normalizeDefinition, type DefinitionNode, type WorkflowDefinition } from '../../../editor/core/definition';
import type { NodeData } from '../../../editor/core/flow-node';
import type { Can } from '../../../lib/permissions';
import type { Workflow, WorkflowStatus } from '../api/workflows.api';

/** What the designer edits: the workflow's name, description and definition. */
export interface WorkflowDraft {
  name: string;
  description: string;
  definition: WorkflowDefinition;
}

export function draftFromWorkflow(workflow: Pick<Workflow, 'name' | 'description' | 'definition'>): WorkflowDraft {
  return { name: workflow.name, description: workflow.description, definition: normalizeDefinition(workflow.definition) };
}

/**
 * Whether the draft differs from what was saved. The definition is compared with `baseline`,
 * the graph as the canvas loaded it (positions it had to invent count as loaded, not as edits);
 * before the canvas has loaded there is nothing to compare.
 */
export function isDirty(saved: Pick<Workflow, 'name' | 'description'>, draft: WorkflowDraft, baseline: WorkflowDefinition | null): boolean {
  if (draft.name !== saved.name || draft.description !== saved.description) return true;
  return baseline !== null && !jsonEqual(draft.definition, baseline);
}

/** The definition with one node's name, config, retry and timeout replaced (its position kept). */
export function withNodeData(definition: WorkflowDefinition, id: string, data: NodeData): WorkflowDefinition {
  return {
    ...definition,
    nodes: definition.nodes.map((node) => {
      if (node.id !== id) return node;
      const next: DefinitionNode = { id: node.id, type: node.type, name: data.name, config: data.config };
      if (node.position) next.position = node.position;
      if (data.retry) next.retry = data.retry;
      if (data.timeoutSeconds !== undefined) next.timeoutSeconds = data.timeoutSeconds;
      return next;
    }),
  };
}

export interface DesignerAbilities {
  /** Change the graph, name and settings, and save. */
  edit: boolean;
  /** Switch between draft and active. */
  activate: boolean;
  run: boolean;
  archive: boolean;
}

/** What the caller may do in the designer: UI hints from their permissions; the server decides. */
export function designerAbilities(can: Can, status: WorkflowStatus): DesignerAbilities {
  const archived = status === 'ARCHIVED';
  const manage = can('workflows:manage') && !archived;
  return { edit: manage, activate: manage, archive: manage, run: can('runs:start') && !archived };
}
