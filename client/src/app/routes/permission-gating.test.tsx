import { screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Client, fetchExchange, subscriptionExchange } from 'urql';
import { describe, expect, it } from 'vitest';
import { CurrentOrganizationContext, type CurrentOrganization } from '../../lib/current-organization';
import { permissionChecker, type Permission } from '../../lib/permissions';
import type { Role } from '../../lib/roles';
import { graphqlFetch, renderWithProviders } from '../../test/render';
import { AgentBuilderPage } from './agent-builder-page';
import { AgentsPage } from './agents-page';
import { ApiKeysPage } from './api-keys-page';
import { AuditLogPage } from './audit-log-page';
import { CustomToolBuilderPage } from './custom-tool-builder-page';
import { CustomToolsPage } from './custom-tools-page';
import { IntegrationsSettingsPage } from './integrations-settings-page';
import { MarketplacePage } from './marketplace-page';
import { MembersPage } from './members-page';
import { SettingsPage } from './settings-page';

// Organization events never arrive here: a subscription source that stays silent.
const silentEvents = subscriptionExchange({ forwardSubscription: () => ({ subscribe: () => ({ unsubscribe: () => {} }) }) });

const organization = { id: 'Organization:1', name: 'Acme' };
const empty = {
  Members: () => ({
    data: { organization: { ...organization, members: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } } },
  }),
  Invitations: () => ({ data: { organization: { ...organization, invitations: [] } } }),
  Outbox: () => ({ data: { organization: { ...organization, outbox: [] } } }),
  ApiKeys: () => ({ data: { organization: { ...organization, apiKeys: [] } } }),
  AuditLog: () => ({ data: { auditLog: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } } }),
  Agents: () => ({ data: { agents: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } } }),
  Models: () => ({ data: { models: [] } }),
  Tools: () => ({ data: { tools: [] } }),
  MarketplaceListings: () => ({ data: { marketplaceListings: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } } }),
  MarketplaceCategories: () => ({ data: { marketplaceCategories: [] } }),
  Integrations: () => ({ data: { integrations: [] } }),
  CustomTools: () => ({ data: { customTools: [] } }),
  ProviderKeys: () => ({
    data: { organization: { ...organization, providerKeys: [{ provider: 'ANTHROPIC', source: 'ENVIRONMENT', keyHint: null, baseUrl: null, updatedAt: null }] } },
  }),
};

/** Renders a page as a caller with `role` and `permissions`: the page must gate on the permissions alone. */
function renderPage(page: ReactElement, role: Role, permissions: Permission[]) {
  const api = graphqlFetch(empty);
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [fetchExchange, silentEvents], fetch: api.fetch, preferGetMethod: false });
  const summary = { ...organization, role, permissions };
  const current: CurrentOrganization = {
    organization: summary,
    organizations: [summary],
    viewer: { id: 'User:1', name: 'Ada', email: 'ada@acme.test' },
    can: permissionChecker(permissions),
    refresh: () => {},
  };
  renderWithProviders(<CurrentOrganizationContext.Provider value={current}>{page}</CurrentOrganizationContext.Provider>, { client });
  return api;
}

const READ: Permission[] = ['organization:read', 'members:read'];

describe('pages gate on Organization.permissions, not on the role', () => {
  it('members: invite controls and invitations need members:invite, the outbox outbox:read', async () => {
    const api = renderPage(<MembersPage />, 'ADMIN', READ);
    await screen.findByTestId('members-count');
    expect(screen.queryByTestId('invite-member-button')).toBeNull();
    expect(screen.queryByTestId('invitations-panel')).toBeNull();
    expect(screen.queryByTestId('dev-outbox')).toBeNull();
    expect(api.requests.map((r) => r.operationName)).toEqual(['Members']);
  });

  it('members: shows invite controls and the outbox when granted', async () => {
    renderPage(<MembersPage />, 'VIEWER', [...READ, 'members:invite', 'outbox:read']);
    expect(await screen.findByTestId('invite-member-button')).toBeTruthy();
    expect(screen.getByTestId('invitations-panel')).toBeTruthy();
    expect(screen.getByTestId('dev-outbox')).toBeTruthy();
  });

  it('API keys need apiKeys:manage', () => {
    renderPage(<ApiKeysPage />, 'OWNER', READ);
    expect(screen.getByTestId('permission-denied')).toBeTruthy();
    expect(screen.queryByTestId('create-api-key-button')).toBeNull();
  });

  it('API keys show with apiKeys:manage', () => {
    renderPage(<ApiKeysPage />, 'MEMBER', [...READ, 'apiKeys:manage']);
    expect(screen.getByTestId('create-api-key-button')).toBeTruthy();
    expect(screen.queryByTestId('permission-denied')).toBeNull();
  });

  it('the audit log needs auditLog:read', () => {
    renderPage(<AuditLogPage />, 'ADMIN', READ);
    expect(screen.getByTestId('permission-denied')).toBeTruthy();
  });

  it('the audit log shows with auditLog:read', () => {
    renderPage(<AuditLogPage />, 'VIEWER', [...READ, 'auditLog:read']);
    expect(screen.queryByTestId('permission-denied')).toBeNull();
  });

  it('renaming needs organization:update', () => {
    renderPage(<SettingsPage />, 'OWNER', READ);
    expect((screen.getByLabelText('Organization name') as HTMLInputElement).disabled).toBe(true);
  });

  it('agents: New agent needs agents:manage', async () => {
    renderPage(<AgentsPage />, 'OWNER', [...READ, 'agents:read']);
    await screen.findByTestId('agents-empty');
    expect(screen.queryByTestId('new-agent-button')).toBeNull();
  });

  it('agents: New agent shows with agents:manage', async () => {
    renderPage(<AgentsPage />, 'VIEWER', [...READ, 'agents:read', 'agents:manage']);
    expect(screen.getByTestId('new-agent-button')).toBeTruthy();
  });

  it('creating an agent needs agents:manage', () => {
    renderPage(<AgentBuilderPage />, 'ADMIN', [...READ, 'agents:read']);
    expect(screen.getByTestId('permission-denied')).toBeTruthy();
  });

  it('model provider keys need providerKeys:manage', () => {
    const api = renderPage(<SettingsPage />, 'OWNER', [...READ, 'organization:update']);
    expect(screen.queryByTestId('model-providers')).toBeNull();
    expect(api.requests.map((r) => r.operationName)).not.toContain('ProviderKeys');
  });

  it('model provider keys show with providerKeys:manage', async () => {
    renderPage(<SettingsPage />, 'MEMBER', [...READ, 'providerKeys:manage']);
    expect(await screen.findByTestId('provider-row-ANTHROPIC')).toBeTruthy();
    expect(screen.getByTestId('provider-source-ANTHROPIC').textContent).toBe('Server key');
  });

  it('renaming is enabled with organization:update', () => {
    renderPage(<SettingsPage />, 'VIEWER', [...READ, 'organization:update']);
    expect((screen.getByLabelText('Organization name') as HTMLInputElement).disabled).toBe(false);
  });

  it('the marketplace needs plugins:read', () => {
    const api = renderPage(<MarketplacePage />, 'OWNER', READ);
    expect(screen.getByTestId('permission-denied')).toBeTruthy();
    expect(api.requests).toHaveLength(0);
  });

  it('the marketplace shows with plugins:read', async () => {
    renderPage(<MarketplacePage />, 'VIEWER', [...READ, 'plugins:read']);
    expect(await screen.findByTestId('marketplace-empty')).toBeTruthy();
  });

  it('integrations: listed with integrations:read, added only with integrations:manage', async () => {
    renderPage(<IntegrationsSettingsPage />, 'OWNER', [...READ, 'integrations:read']);
    expect(await screen.findByTestId('integrations-empty')).toBeTruthy();
    expect(screen.queryByTestId('add-integration-button')).toBeNull();
  });

  it('integrations: Add integration shows with integrations:manage', async () => {
    renderPage(<IntegrationsSettingsPage />, 'VIEWER', [...READ, 'integrations:read', 'integrations:manage']);
    expect(await screen.findByTestId('add-integration-button')).toBeTruthy();
  });

  it('custom tools: New custom tool and the builder need customTools:manage', async () => {
    renderPage(<CustomToolsPage />, 'OWNER', [...READ, 'plugins:read']);
    await screen.findByTestId('custom-tools-empty');
    expect(screen.queryByTestId('new-custom-tool-button')).toBeNull();
  });

  it('custom tools: the builder shows with customTools:manage', () => {
    renderPage(<CustomToolBuilderPage />, 'VIEWER', [...READ, 'plugins:read', 'customTools:manage']);
    expect(screen.getByTestId('custom-tool-builder')).toBeTruthy();
  });
});
