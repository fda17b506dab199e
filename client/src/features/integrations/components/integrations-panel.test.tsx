import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Client, cacheExchange, fetchExchange } from 'urql';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import type { Integration } from '../api/integrations.api';
import { goTo } from './go-to';
import { IntegrationsPanel } from './integrations-panel';

vi.mock('./go-to', () => ({ goTo: vi.fn<(url: string) => void>() }));
vi.mock('../../../lib/notify', () => ({
  notifyError: vi.fn<(error: unknown, title?: string) => void>(),
  notifySuccess: vi.fn<(message: string, title?: string) => void>(),
}));

const integration = (overrides: Partial<Integration> = {}): Integration => ({
  id: 'Integration:1',
  pluginName: 'slack',
  name: 'Acme workspace',
  authType: 'OAUTH2',
  status: 'CONNECTED',
  statusMessage: null,
  lastUsedAt: null,
  tokenExpiresAt: null,
  createdAt: '2026-11-24T10:00:00Z',
  ...overrides,
});

const installations = [
  {
    id: 'PluginInstallation:1',
    listing: { id: 'PluginListing:1', name: 'slack', title: 'Slack' },
    version: { id: 'PluginVersion:1', version: '1.0.0', integration: { title: 'Slack', auth: { type: 'oauth2', scopes: ['chat:write'] } } },
  },
  {
    id: 'PluginInstallation:2',
    listing: { id: 'PluginListing:2', name: 'acme', title: 'Acme CRM' },
    version: { id: 'PluginVersion:2', version: '1.0.0', integration: { title: 'Acme', auth: { type: 'apiKey', fields: [{ name: 'token', label: 'API token' }] } } },
  },
  { id: 'PluginInstallation:3', listing: { id: 'PluginListing:3', name: 'http', title: 'HTTP' }, version: { id: 'PluginVersion:3', version: '1.0.0', integration: null } },
];

function renderPanel(list: Integration[], responders: Parameters<typeof graphqlFetch>[0] = {}, route = '/settings/integrations', canManage = true) {
  const api = graphqlFetch({ Integrations: () => ({ data: { integrations: list } }), InstalledPlugins: () => ({ data: { pluginInstallations: installations } }), ...responders });
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [cacheExchange, fetchExchange], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(<IntegrationsPanel canManage={canManage} />, { client, route });
  return api;
}

const ops = (api: ReturnType<typeof graphqlFetch>) => api.requests.map((r) => r.operationName);

beforeEach(() => vi.clearAllMocks());

describe('IntegrationsPanel', () => {
  it('lists connections with their status, message and last use', async () => {
    renderPanel([
      integration(),
      integration({ id: 'Integration:2', pluginName: 'gmail', name: 'Support inbox', status: 'ERROR', statusMessage: 'invalid_grant: token revoked', lastUsedAt: new Date(Date.now() - 3 * 3600_000).toISOString() }),
    ]);
    const gmail = await screen.findByTestId('integration-row-gmail');
    expect(within(gmail).getByTestId('integration-status').getAttribute('data-status')).toBe('ERROR');
    expect(within(gmail).getByTestId('integration-status-message').textContent).toBe('invalid_grant: token revoked');
    expect(within(gmail).getByTestId('integration-last-used').textContent).toBe('3 hours ago');
    expect(within(gmail).getByTestId('integration-connect')).toBeTruthy();
    const slack = screen.getByTestId('integration-row-slack');
    expect(within(slack).getByTestId('integration-last-used').textContent).toBe('Never');
    expect(within(slack).queryByTestId('integration-connect')).toBeNull();
    expect(within(slack).getByTestId('integration-disconnect')).toBeTruthy();
  });

  it('shows an empty state, and no manage controls without integrations:manage', async () => {
    renderPanel([], {}, '/settings/integrations', false);
    expect(await screen.findByTestId('integrations-empty')).toBeTruthy();
    expect(screen.queryByTestId('add-integration-button')).toBeNull();
  });

  it('shows the error with a retry when the list cannot load', async () => {
    renderPanel([], { Integrations: () => ({ errors: [{ message: 'Database unavailable', extensions: { code: 'INTERNAL' } }] }) });
    expect((await screen.findByTestId('error-alert')).textContent).toContain('Database unavailable (INTERNAL)');
  });

  it('adds an OAuth integration and sends the browser to the provider', async () => {
    const api = renderPanel([], {
      CreateIntegration: () => ({ data: { createIntegration: integration({ status: 'DISCONNECTED' }) } }),
      ConnectIntegration: () => ({ data: { connectIntegration: { authorizeUrl: 'https://slack.com/oauth/v2/authorize?client_id=123&state=s1' } } }),
    });
    fireEvent.click(await screen.findByTestId('add-integration-button'));
    const plugin = await screen.findByTestId('integration-plugin');
    await waitFor(() => expect((plugin as HTMLInputElement).disabled).toBe(false));
    fireEvent.click(plugin);
    // Only installed plugins that declare an integration are offered.
    expect(screen.queryByRole('option', { name: /HTTP/ })).toBeNull();
    fireEvent.click(await screen.findByRole('option', { name: 'Slack (OAuth)' }));
    expect((screen.getByTestId('integration-name') as HTMLInputElement).value).toBe('Slack');
    expect(screen.getByTestId('oauth-redirect-url').textContent).toBe(`${window.location.origin}/oauth/callback`);

    fireEvent.click(screen.getByTestId('integration-submit'));
    expect(await screen.findByText('Paste the client ID of your app at the provider')).toBeTruthy();
    expect(ops(api)).not.toContain('CreateIntegration');

    fireEvent.change(screen.getByTestId('integration-client-id'), { target: { value: '123.456' } });
    fireEvent.change(screen.getByTestId('integration-client-secret'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByTestId('integration-submit'));
    await waitFor(() => expect(goTo).toHaveBeenCalledWith('https://slack.com/oauth/v2/authorize?client_id=123&state=s1'));
    expect(api.requests.find((r) => r.operationName === 'CreateIntegration')?.variables).toEqual({
      input: { pluginName: 'slack', name: 'Slack', oauthClientId: '123.456', oauthClientSecret: 's3cret' },
    });
    expect(api.requests.find((r) => r.operationName === 'ConnectIntegration')?.variables).toEqual({ input: { integrationId: 'Integration:1' } });
  });

  it('adds an API-key integration with the fields its plugin declares', async () => {
    const api = renderPanel([], {
      CreateIntegration: () => ({ data: { createIntegration: integration({ pluginName: 'acme', name: 'Acme', authType: 'API_KEY' }) } }),
    });
    fireEvent.click(await screen.findByTestId('add-integration-button'));
    const plugin = await screen.findByTestId('integration-plugin');
    await waitFor(() => expect((plugin as HTMLInputElement).disabled).toBe(false));
    fireEvent.click(plugin);
    fireEvent.click(await screen.findByRole('option', { name: 'Acme CRM (API key)' }));
    fireEvent.change(screen.getByTestId('integration-secret-token'), { target: { value: ' tok-1 ' } });
    fireEvent.click(screen.getByTestId('integration-submit'));
    await waitFor(() => expect(notifySuccess).toHaveBeenCalled());
    expect(api.requests.find((r) => r.operationName === 'CreateIntegration')?.variables).toEqual({ input: { pluginName: 'acme', name: 'Acme', apiKey: { token: 'tok-1' } } });
    expect(goTo).not.toHaveBeenCalled();
  });

  it('says the connection succeeded when the provider sends the person back', async () => {
    renderPanel([integration()], {}, '/settings/integrations?connected=Integration:1');
    await waitFor(() => expect(notifySuccess).toHaveBeenCalledWith('Acme workspace is connected. Agents can use its tools now.', 'Connected'));
  });

  it('shows the error the callback reports', async () => {
    renderPanel([], {}, '/settings/integrations?error=The%20state%20has%20expired');
    await waitFor(() => expect(notifyError).toHaveBeenCalledWith('The state has expired', 'The connection failed'));
  });

  it('tests a connection and reports what the service said', async () => {
    renderPanel([integration()], {
      TestIntegration: () => ({ data: { testIntegration: { ok: false, message: 'invalid_auth', integration: integration({ status: 'ERROR', statusMessage: 'invalid_auth' }) } } }),
    });
    fireEvent.click(await screen.findByTestId('integration-test'));
    await waitFor(() => expect(notifyError).toHaveBeenCalledWith('invalid_auth', 'Acme workspace does not work'));
  });

  it('deletes only after confirmation', async () => {
    const api = renderPanel([integration()], { DeleteIntegration: () => ({ data: { deleteIntegration: 'Integration:1' } }) });
    fireEvent.click(await screen.findByTestId('integration-delete'));
    expect(ops(api)).not.toContain('DeleteIntegration');
    fireEvent.click(await screen.findByTestId('confirm-delete-integration'));
    await waitFor(() => expect(ops(api)).toContain('DeleteIntegration'));
  });

  it("lists a connection's actions on demand", async () => {
    renderPanel([integration()], {
      IntegrationActions: () => ({ data: { integrationActions: [{ id: 'slack.post_message', name: 'post_message', title: 'Post a message', description: 'Posts to a channel' }] } }),
    });
    fireEvent.click(await screen.findByTestId('integration-actions-toggle'));
    expect((await screen.findByTestId('integration-action-slack.post_message')).textContent).toContain('Post a message');
  });
});
