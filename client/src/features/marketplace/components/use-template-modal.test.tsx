import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes, useParams } from 'react-router';
import { Client, cacheExchange, fetchExchange } from 'urql';
import { describe, expect, it } from 'vitest';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import { UseTemplateModal } from './use-template-modal';

const models = [
  { id: 'simulated', displayName: 'Simulated (scripted, free)', provider: 'SIMULATED', available: true },
  { id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', provider: 'ANTHROPIC', available: false },
];

function Designer() {
  return <div data-testid="designer">{useParams().id}</div>;
}

function renderModal(kind: 'WORKFLOW_TEMPLATE' | 'AGENT_TEMPLATE', created: unknown) {
  const api = graphqlFetch({ TemplateModels: () => ({ data: { models } }), InstallTemplate: () => ({ data: { installTemplate: created } }) });
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [cacheExchange, fetchExchange], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(
    <Routes>
      <Route path="/" element={<UseTemplateModal listing={{ id: 'PluginListing:7', title: 'Lead qualification', kind }} opened onClose={() => {}} />} />
      <Route path="/workflows/:id" element={<Designer />} />
      <Route path="/agents/:id" element={<Designer />} />
    </Routes>,
    { client },
  );
  return api;
}

describe('UseTemplateModal', () => {
  it('creates the workflow on the chosen model and opens it in the designer', async () => {
    const api = renderModal('WORKFLOW_TEMPLATE', {
      installation: { id: 'PluginInstallation:1' },
      agents: [{ id: 'Agent:1', name: 'Qualifier' }],
      workflow: { id: 'Workflow:5', name: 'Lead qualification' },
    });
    const select = await screen.findByTestId('template-model');
    await waitFor(() => expect((select as HTMLInputElement).disabled).toBe(false));
    fireEvent.click(select);
    fireEvent.click(await screen.findByRole('option', { name: 'Simulated (scripted, free)' }));
    expect(screen.getByRole('option', { name: 'Claude Haiku 4.5 (no key)', hidden: true })).toBeTruthy();
    fireEvent.click(screen.getByTestId('use-template-submit'));
    expect((await screen.findByTestId('designer')).textContent).toBe('Workflow:5');
    expect(api.requests.find((r) => r.operationName === 'InstallTemplate')?.variables).toEqual({ input: { listingId: 'PluginListing:7', model: 'simulated' } });
  });

  it("keeps the template's models unless another is chosen, and opens an agent template's agent", async () => {
    const api = renderModal('AGENT_TEMPLATE', { installation: { id: 'PluginInstallation:2' }, agents: [{ id: 'Agent:3', name: 'Sales assistant' }], workflow: null });
    fireEvent.click(await screen.findByTestId('use-template-submit'));
    expect((await screen.findByTestId('designer')).textContent).toBe('Agent:3');
    expect(api.requests.find((r) => r.operationName === 'InstallTemplate')?.variables).toEqual({ input: { listingId: 'PluginListing:7' } });
  });
});
