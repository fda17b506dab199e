import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { describe, expect, it } from 'vitest';
import { permissionChecker, type Permission } from '../../../lib/permissions';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import type { Agent, Model, ToolDefinition } from '../api/agents.api';
import { AgentEditor } from './agent-editor';

// Test events never arrive here: a subscription source that stays silent.
const silentEvents = subscriptionExchange({ forwardSubscription: () => ({ subscribe: () => ({ unsubscribe: () => {} }) }) });

const user = { __typename: 'User', id: 'User:1', name: 'Ada' };
const agent = (version: number, name = 'Support triage'): Agent & { __typename: string } => ({
  __typename: 'Agent',
  id: 'Agent:1',
  name,
  role: 'Sorts tickets',
  instructions: 'You help {{customer}}.',
  model: 'claude-haiku-4-5',
  tools: ['http.get'],
  config: {
    temperature: 0.2,
    maxOutputTokens: 1024,
    maxSteps: 6,
    maxCostPerRunUsd: 0.05,
    maxCostPerMonthUsd: null,
    fallbackModels: [],
    cacheEnabled: true,
    piiPolicy: 'REDACT',
    toolsRequiringApproval: [],
  },
  status: 'ACTIVE',
  version,
  createdBy: user,
  createdAt: '2026-11-20T10:00:00Z',
  updatedAt: '2026-11-24T10:00:00Z',
  costThisMonthUsd: 0.0042,
  versions: Array.from({ length: version }, (_, i) => ({ version: version - i, status: 'ACTIVE' as const, createdBy: user, createdAt: '2026-11-24T10:00:00Z' })),
});

const models: Model[] = [
  {
    id: 'claude-haiku-4-5',
    provider: 'ANTHROPIC',
    displayName: 'Claude Haiku 4.5',
    contextWindow: 200_000,
    inputPricePerMTokUsd: 1,
    outputPricePerMTokUsd: 5,
    cachedInputPricePerMTokUsd: 0.1,
    tier: 'FAST',
    available: true,
    pricesAsOf: '2026-11-01',
  },
];
const tools: ToolDefinition[] = [
  { id: 'http.get', name: 'http.get', title: null, plugin: 'http', description: 'Fetch a URL' },
  { id: 'calculator', name: 'calculator', title: null, plugin: null, description: 'Evaluate arithmetic' },
];

const VIEWER: Permission[] = ['organization:read', 'members:read', 'agents:read'];
const MEMBER: Permission[] = [...VIEWER, 'agents:manage', 'agents:test'];

function renderEditor(permissions: Permission[], responders: Parameters<typeof graphqlFetch>[0] = {}) {
  const api = graphqlFetch({
    Agent: () => ({ data: { agent: agent(2) } }),
    Models: () => ({ data: { models } }),
    Tools: () => ({ data: { tools } }),
    ...responders,
  });
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [cacheExchange, fetchExchange, silentEvents], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(<AgentEditor agentId="Agent:1" can={permissionChecker(permissions)} />, { client });
  return api;
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
// CodeMirror is imported lazily: the first import can take a while on a busy machine.
const instructionsEditor = () => screen.findByRole('textbox', { name: 'Instructions' }, { timeout: 5000 });

describe('AgentEditor', () => {
  it('shows a viewer the agent read-only, without save, archive or test chat', async () => {
    renderEditor(VIEWER);
    await screen.findByTestId('agent-form');
    expect(input('agent-name').value).toBe('Support triage');
    for (const id of ['agent-name', 'agent-role', 'model-picker', 'agent-max-steps', 'agent-fallback-models', 'tool-toggle-http.get', 'tool-toggle-calculator']) {
      expect(input(id).disabled, id).toBe(true);
    }
    expect(input('tool-toggle-http.get').checked).toBe(true);
    expect(screen.getByTestId('agent-read-only-notice')).toBeTruthy();
    expect(screen.queryByTestId('agent-save')).toBeNull();
    expect(screen.queryByTestId('agent-archive')).toBeNull();
    expect(screen.queryByTestId('chat-panel')).toBeNull();
    const editor = await instructionsEditor();
    expect(editor.getAttribute('aria-readonly')).toBe('true');
    expect(editor.getAttribute('contenteditable')).toBe('false');
  });

  it('lets a member edit, archive and test', async () => {
    renderEditor(MEMBER);
    await screen.findByTestId('agent-form');
    expect(input('agent-name').disabled).toBe(false);
    expect(input('tool-toggle-calculator').disabled).toBe(false);
    expect((screen.getByTestId('agent-save') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('agent-archive')).toBeTruthy();
    expect(screen.getByTestId('chat-panel')).toBeTruthy();
    expect(screen.queryByTestId('agent-read-only-notice')).toBeNull();
    const editor = await instructionsEditor();
    expect(editor.getAttribute('contenteditable')).toBe('true');
  });

  it('saves against the loaded version and explains a conflict with the version someone else saved', async () => {
    let serverVersion = 2;
    const api = renderEditor(MEMBER, {
      Agent: () => ({ data: { agent: agent(serverVersion, serverVersion > 2 ? 'Renamed by Bob' : 'Support triage') } }),
      UpdateAgent: () => {
        serverVersion = 3;
        return { data: null, errors: [{ message: 'This agent was changed by someone else', extensions: { code: 'CONFLICT' } }] };
      },
    });
    await screen.findByTestId('agent-form');
    fireEvent.change(input('agent-name'), { target: { value: 'Triage bot' } });
    fireEvent.click(screen.getByTestId('agent-save'));

    const notice = await screen.findByTestId('agent-conflict');
    expect(notice.textContent).toContain('saved version 3');
    expect(notice.textContent).toContain('based on version 2');
    const update = api.requests.find((r) => r.operationName === 'UpdateAgent');
    expect(update?.variables).toMatchObject({ input: { id: 'Agent:1', expectedVersion: 2, name: 'Triage bot' } });
    expect((screen.getByTestId('agent-save') as HTMLButtonElement).disabled).toBe(true);
    // The user's edit is still there until they choose to reload.
    expect(input('agent-name').value).toBe('Triage bot');

    fireEvent.click(screen.getByTestId('agent-conflict-reload'));
    await waitFor(() => expect(input('agent-name').value).toBe('Renamed by Bob'));
    expect(screen.queryByTestId('agent-conflict')).toBeNull();
  });

  it('shows BAD_USER_INPUT on the field the server names', async () => {
    renderEditor(MEMBER, {
      UpdateAgent: () => ({
        data: null,
        errors: [{ message: 'Number must be less than or equal to 20', extensions: { code: 'BAD_USER_INPUT', details: { field: 'maxSteps' } } }],
      }),
    });
    await screen.findByTestId('agent-form');
    fireEvent.change(input('agent-role'), { target: { value: 'Sorts tickets fast' } });
    fireEvent.click(screen.getByTestId('agent-save'));
    expect((await screen.findByTestId('agent-save-error')).textContent).toContain('(BAD_USER_INPUT)');
    expect(input('agent-max-steps').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByText('Number must be less than or equal to 20').length).toBeGreaterThan(0);
  });
});
