import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Client, cacheExchange, fetchExchange } from 'urql';
import { describe, expect, it, vi } from 'vitest';
import type { FlowCanvasProps } from '../../../editor/ui/flow-canvas';
import { permissionChecker, type Permission } from '../../../lib/permissions';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import type { Workflow } from '../api/workflows.api';
import { designerAbilities } from './workflow-draft';
import { WorkflowDesigner } from './workflow-designer';

// Rete does not render in jsdom: a stand-in canvas that loads the definition, lists its nodes as
// buttons to select them, and shows the problems the designer hands it.
vi.mock('../../../editor/ui/flow-canvas', async () => {
  const { useEffect } = await import('react');
  function StubCanvas(props: FlowCanvasProps) {
    const { definition, onLoad, controllerRef } = props;
    useEffect(() => {
      if (controllerRef) {
        controllerRef.current = {
          addNode: async () => 'x',
          updateNode: () => {},
          removeNode: async () => {},
          removeConnection: async () => {},
          select: async () => {},
          undo: async () => {},
          redo: async () => {},
          arrange: async () => {},
          zoomToFit: async () => {},
        };
      }
      onLoad?.(definition);
    }, [definition, onLoad, controllerRef]);
    return (
      <div data-testid={props.testId} data-read-only={String(props.readOnly)}>
        {definition.nodes.map((node) => (
          <button key={node.id} type="button" data-testid={`node-${node.id}`} data-problems={(props.problems?.[node.id] ?? []).join('|')} onClick={() => props.onSelect(node.id)}>
            {node.name}
          </button>
        ))}
      </div>
    );
  }
  return { default: StubCanvas };
});

const user = { __typename: 'User', id: 'User:1', name: 'Ada' };
const definition = {
  version: 1,
  nodes: [
    { id: 'trigger', type: 'trigger', name: 'Start', config: { kind: 'manual' }, position: { x: 0, y: 0 } },
    { id: 'agent_1', type: 'agent', name: 'Classify', config: { agentId: 'Agent:1', prompt: '{{input}}' }, position: { x: 300, y: 0 } },
    { id: 'output', type: 'output', name: 'Result', config: { value: '{{nodes.agent_1.output}}' }, position: { x: 600, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'trigger', sourceOutput: 'out', target: 'agent_1', targetInput: 'in' },
    { id: 'e2', source: 'agent_1', sourceOutput: 'out', target: 'output', targetInput: 'in' },
  ],
};

const workflow = (version: number, name = 'Ticket triage', status: Workflow['status'] = 'DRAFT'): Workflow & { __typename: string } => ({
  __typename: 'Workflow',
  id: 'Workflow:1',
  name,
  description: 'Sorts tickets',
  definition,
  status,
  version,
  webhookUrl: null,
  createdBy: user,
  createdAt: '2026-11-20T10:00:00Z',
  updatedAt: '2026-11-24T10:00:00Z',
  versions: Array.from({ length: version }, (_, i) => ({
    version: version - i,
    name,
    description: 'Sorts tickets',
    status,
    createdBy: user,
    createdAt: '2026-11-24T10:00:00Z',
  })),
});

const VIEWER: Permission[] = ['organization:read', 'workflows:read', 'agents:read'];
const MEMBER: Permission[] = [...VIEWER, 'workflows:manage', 'runs:start', 'runs:manage', 'approvals:decide'];

function renderDesigner(permissions: Permission[], responders: Parameters<typeof graphqlFetch>[0] = {}) {
  const api = graphqlFetch({
    Workflow: () => ({ data: { workflow: workflow(3) } }),
    PickerAgents: () => ({ data: { agents: { edges: [{ node: { __typename: 'Agent', id: 'Agent:1', name: 'Triage', status: 'ACTIVE' } }] } } }),
    PickerTools: () => ({ data: { tools: [] } }),
    ValidateWorkflow: () => ({ data: { validateWorkflow: { valid: true, problems: [] } } }),
    ...responders,
  });
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [cacheExchange, fetchExchange], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(<WorkflowDesigner workflowId="Workflow:1" can={permissionChecker(permissions)} />, { client });
  return api;
}

const byId = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe('WorkflowDesigner', () => {
  it('shows a viewer the graph read-only: no palette, save, run, undo or delete', async () => {
    const api = renderDesigner(VIEWER);
    const canvas = await screen.findByTestId('designer-canvas');
    expect(canvas.getAttribute('data-read-only')).toBe('true');
    expect(screen.getByTestId('workflow-read-only-notice')).toBeTruthy();
    for (const id of ['workflow-save', 'workflow-run', 'node-palette', 'palette-agent', 'designer-undo', 'designer-redo', 'designer-arrange', 'workflow-menu']) {
      expect(screen.queryByTestId(id), id).toBeNull();
    }
    expect(byId('workflow-status').disabled).toBe(true);
    expect(byId('workflow-name-input').disabled).toBe(true);

    fireEvent.click(screen.getByTestId('node-agent_1'));
    expect((await screen.findByTestId('node-panel')).getAttribute('data-node-id')).toBe('agent_1');
    expect(byId('node-name-input').disabled).toBe(true);
    expect(byId('node-timeout-input').disabled).toBe(true);
    expect(byId('config-prompt').disabled).toBe(true);
    expect(screen.queryByTestId('node-delete')).toBeNull();
    expect(api.requests.some((r) => r.operationName === 'UpdateWorkflow')).toBe(false);
  });

  it('gives a member the palette, save, status and run', async () => {
    renderDesigner(MEMBER);
    await screen.findByTestId('designer-canvas');
    expect(screen.getByTestId('designer-canvas').getAttribute('data-read-only')).toBe('false');
    for (const type of ['trigger', 'agent', 'tool', 'condition', 'join', 'approval', 'transform', 'output']) expect(screen.getByTestId(`palette-${type}`)).toBeTruthy();
    expect(screen.getByTestId('workflow-run')).toBeTruthy();
    expect(byId('workflow-status').disabled).toBe(false);
    expect((screen.getByTestId('workflow-save') as HTMLButtonElement).disabled).toBe(true);
  });

  it('saves node edits against the loaded version and explains a conflict', async () => {
    let serverVersion = 3;
    const api = renderDesigner(MEMBER, {
      Workflow: () => ({ data: { workflow: workflow(serverVersion, serverVersion > 3 ? 'Renamed by Bob' : 'Ticket triage') } }),
      UpdateWorkflow: () => {
        serverVersion = 4;
        return { data: null, errors: [{ message: 'This workflow was changed by someone else', extensions: { code: 'CONFLICT' } }] };
      },
    });
    fireEvent.click(await screen.findByTestId('node-agent_1'));
    fireEvent.change(await screen.findByTestId('node-name-input'), { target: { value: 'Sort ticket' } });
    await waitFor(() => expect((screen.getByTestId('workflow-save') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('workflow-save'));

    const notice = await screen.findByTestId('workflow-conflict');
    expect(notice.textContent).toContain('saved version 4');
    const update = api.requests.find((r) => r.operationName === 'UpdateWorkflow');
    expect(update?.variables).toMatchObject({ input: { id: 'Workflow:1', expectedVersion: 3, name: 'Ticket triage' } });
    const sent = (update!.variables.input as { definition: typeof definition }).definition;
    expect(sent.nodes.find((n) => n.id === 'agent_1')).toMatchObject({ name: 'Sort ticket', position: { x: 300, y: 0 } });
    expect((screen.getByTestId('workflow-save') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId('workflow-conflict-reload'));
    await waitFor(() => expect(screen.queryByTestId('workflow-conflict')).toBeNull());
    expect(screen.getByTestId('workflow-version').textContent).toContain('v4');
  });

  it('shows the problems the server gives when it refuses to activate, on the list and on the nodes', async () => {
    const api = renderDesigner(MEMBER, {
      UpdateWorkflow: () => ({
        data: null,
        errors: [
          {
            message: 'The workflow has problems',
            extensions: {
              code: 'BAD_USER_INPUT',
              details: { problems: [{ message: 'Classify uses an agent that does not exist or is archived', nodeId: 'agent_1', path: 'config.agentId' }, { message: 'Add an output node' }] },
            },
          },
        ],
      }),
    });
    await screen.findByTestId('designer-canvas');
    fireEvent.click(byId('workflow-status'));
    const problems = await screen.findByTestId('validation-problems');
    expect(problems.textContent).toContain('Classify uses an agent that does not exist or is archived');
    expect(problems.textContent).toContain('Add an output node');
    expect(api.requests.find((r) => r.operationName === 'UpdateWorkflow')?.variables).toMatchObject({ input: { status: 'ACTIVE', expectedVersion: 3 } });
    await waitFor(() => expect(screen.getByTestId('node-agent_1').getAttribute('data-problems')).toContain('does not exist'));
  });

  it('marks nodes the browser finds invalid and those the server reports', async () => {
    renderDesigner(MEMBER, {
      Workflow: () => ({
        data: { workflow: { ...workflow(3), definition: { ...definition, nodes: definition.nodes.map((n) => (n.id === 'agent_1' ? { ...n, config: { prompt: 'x' } } : n)) } } },
      }),
      ValidateWorkflow: () => ({ data: { validateWorkflow: { valid: false, problems: [{ message: 'Result can never run', nodeId: 'output', edgeId: null, path: null }] } } }),
    });
    await screen.findByTestId('designer-canvas');
    expect(screen.getByTestId('node-agent_1').getAttribute('data-problems')).toBe('agentId: Required');
    await waitFor(() => expect(screen.getByTestId('node-output').getAttribute('data-problems')).toBe('Result can never run'), { timeout: 3000 });
    expect(screen.getByTestId('validation-problems').textContent).toContain('Result can never run');
  });
});

describe('designerAbilities', () => {
  it('follows the permissions, and nothing changes an archived workflow', () => {
    expect(designerAbilities(permissionChecker(VIEWER), 'ACTIVE')).toEqual({ edit: false, activate: false, archive: false, run: false });
    expect(designerAbilities(permissionChecker(['workflows:read', 'runs:start']), 'ACTIVE')).toEqual({ edit: false, activate: false, archive: false, run: true });
    expect(designerAbilities(permissionChecker(MEMBER), 'DRAFT')).toEqual({ edit: true, activate: true, archive: true, run: true });
    expect(designerAbilities(permissionChecker(MEMBER), 'ARCHIVED')).toEqual({ edit: false, activate: false, archive: false, run: false });
  });
});
