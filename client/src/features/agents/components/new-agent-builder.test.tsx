import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useLocation } from 'react-router';
import { Client, fetchExchange } from 'urql';
import { describe, expect, it } from 'vitest';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import { NewAgentBuilder } from './new-agent-builder';

function Location() {
  return <output data-testid="location">{useLocation().pathname}</output>;
}

function renderBuilder(responders: Parameters<typeof graphqlFetch>[0]) {
  const api = graphqlFetch({ Models: () => ({ data: { models: [] } }), Tools: () => ({ data: { tools: [{ id: 'calculator', name: 'calculator', title: null, plugin: null, description: 'Arithmetic' }] } }), ...responders });
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [fetchExchange], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(
    <>
      <NewAgentBuilder />
      <Location />
    </>,
    { client, route: '/agents/new' },
  );
  return api;
}

describe('NewAgentBuilder', () => {
  it('checks the form before calling the server', async () => {
    const api = renderBuilder({});
    fireEvent.click(await screen.findByTestId('agent-save'));
    expect(await screen.findByText('Name the agent')).toBeTruthy();
    expect(api.requests.map((r) => r.operationName)).not.toContain('CreateAgent');
  });

  it('creates the agent and opens it', async () => {
    const api = renderBuilder({ CreateAgent: () => ({ data: { createAgent: { id: 'QWdlbnQ6MQ==', name: 'Triage', version: 1 } } }) });
    fireEvent.change(await screen.findByTestId('agent-name'), { target: { value: ' Triage ' } });
    fireEvent.click(screen.getByTestId('tool-toggle-calculator'));
    fireEvent.click(screen.getByTestId('agent-save'));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/agents/QWdlbnQ6MQ%3D%3D'));
    expect(api.requests.find((r) => r.operationName === 'CreateAgent')?.variables).toMatchObject({
      input: { name: 'Triage', model: 'auto', tools: ['calculator'], status: 'ACTIVE', config: { maxSteps: 6, piiPolicy: 'REDACT', cacheEnabled: true } },
    });
  });
});
