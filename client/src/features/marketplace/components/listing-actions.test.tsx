import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Client, cacheExchange, fetchExchange } from 'urql';
import { describe, expect, it } from 'vitest';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import type { Listing, PluginInstallation, PluginVersion } from '../api/marketplace.api';
import { ListingActions } from './listing-actions';

const version = (v: string, network: string[] = [], secrets: string[] = []): PluginVersion => ({
  id: `PluginVersion:${v}`,
  version: v,
  changelog: `Changes in ${v}`,
  sha256: 'b'.repeat(64),
  sizeBytes: 2048,
  signed: true,
  permissions: { network, secrets },
  tools: [],
  integration: null,
  createdAt: '2026-11-24T10:00:00Z',
});
const installation = (installed: PluginVersion, pending: PluginVersion | null = null): PluginInstallation => ({
  id: 'PluginInstallation:9',
  version: installed,
  pendingVersion: pending,
  createdAt: '2026-11-24T10:00:00Z',
  updatedAt: '2026-11-24T10:00:00Z',
});
const listing = (overrides: Partial<Listing> = {}): Listing => ({
  id: 'PluginListing:1',
  name: 'slack',
  kind: 'PLUGIN',
  title: 'Slack',
  description: 'Post messages',
  categories: ['communication'],
  priceCents: 0,
  installable: true,
  featured: true,
  firstParty: true,
  private: false,
  publisherName: 'AgentFlow',
  installCount: 3,
  ratingAverage: null,
  ratingCount: 0,
  canReview: false,
  latestVersion: version('1.0.0', ['slack.com'], ['accessToken']),
  versions: [],
  reviews: [],
  installation: null,
  ...overrides,
});

function renderActions(value: Listing, canManage = true, responders: Parameters<typeof graphqlFetch>[0] = {}) {
  const api = graphqlFetch(responders);
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [cacheExchange, fetchExchange], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(<ListingActions listing={value} canManage={canManage} />, { client });
  return api;
}

describe('ListingActions', () => {
  it('shows the hosts and secrets before installing, then installs the listing', async () => {
    const api = renderActions(listing(), true, {
      InstallPlugin: () => ({ data: { installPlugin: { ...installation(version('1.0.0', ['slack.com'], ['accessToken'])), listing: { id: 'PluginListing:1', installCount: 4 } } } }),
    });
    expect(screen.getByTestId('listing-actions').getAttribute('data-state')).toBe('available');
    fireEvent.click(screen.getByTestId('install-button'));
    const permissions = await screen.findByTestId('install-permissions');
    expect(within(permissions).getByTestId('permission-host-slack.com')).toBeTruthy();
    expect(within(permissions).getByTestId('permission-secret-accessToken')).toBeTruthy();
    expect(api.requests).toHaveLength(0);

    fireEvent.click(screen.getByTestId('confirm-install'));
    await waitFor(() => expect(api.requests.map((r) => r.operationName)).toEqual(['InstallPlugin']));
    expect(api.requests[0]?.variables).toEqual({ input: { listingId: 'PluginListing:1' } });
  });

  it('keeps the dialog open with the server error when installing fails', async () => {
    renderActions(listing(), true, { InstallPlugin: () => ({ errors: [{ message: 'Paid listings cannot be installed yet', extensions: { code: 'BAD_USER_INPUT' } }] }) });
    fireEvent.click(screen.getByTestId('install-button'));
    fireEvent.click(await screen.findByTestId('confirm-install'));
    expect((await screen.findByTestId('error-alert')).textContent).toContain('Paid listings cannot be installed yet (BAD_USER_INPUT)');
  });

  it('offers no install for a paid listing and says why', () => {
    renderActions(listing({ priceCents: 1500, installable: false }));
    expect(screen.getByTestId('listing-actions').getAttribute('data-state')).toBe('paid');
    expect(screen.queryByTestId('install-button')).toBeNull();
    expect(screen.getByTestId('listing-paid').textContent).toContain('$15.00 — coming soon');
  });

  it('lists only the new permissions of a pending upgrade and approves them', async () => {
    const installed = version('1.0.0', ['slack.com'], ['accessToken']);
    const pending = version('2.0.0', ['slack.com', 'files.slack.com'], ['accessToken', 'signingSecret']);
    const api = renderActions(listing({ latestVersion: pending, installation: installation(installed, pending) }), true, {
      ApprovePluginUpgrade: () => ({ data: { approvePluginUpgrade: { ...installation(pending), listing: { id: 'PluginListing:1', installCount: 3 } } } }),
    });
    expect(screen.getByTestId('listing-actions').getAttribute('data-state')).toBe('consent');
    const consent = screen.getByTestId('consent-permissions');
    expect(within(consent).getByTestId('permission-host-files.slack.com')).toBeTruthy();
    expect(within(consent).queryByTestId('permission-host-slack.com')).toBeNull();
    expect(within(consent).getByTestId('permission-secret-signingSecret')).toBeTruthy();
    expect(screen.getByTestId('installed-version').textContent).toContain('1.0.0');
    expect(screen.queryByTestId('upgrade-button')).toBeNull();

    fireEvent.click(screen.getByTestId('approve-permissions-button'));
    await waitFor(() => expect(api.requests.map((r) => r.operationName)).toEqual(['ApprovePluginUpgrade']));
    expect(api.requests[0]?.variables).toEqual({ installationId: 'PluginInstallation:9' });
  });

  it('upgrades to the latest version and warns when it will ask for more permissions', async () => {
    const installed = version('1.0.0', ['slack.com']);
    const latest = version('1.1.0', ['slack.com', 'hooks.slack.com']);
    const api = renderActions(listing({ latestVersion: latest, installation: installation(installed) }), true, {
      UpgradePlugin: () => ({ data: { upgradePlugin: { ...installation(installed, latest), listing: { id: 'PluginListing:1', installCount: 3 } } } }),
    });
    expect(screen.getByTestId('upgrade-permissions-note')).toBeTruthy();
    fireEvent.click(screen.getByTestId('upgrade-button'));
    await waitFor(() => expect(api.requests[0]?.variables).toEqual({ input: { installationId: 'PluginInstallation:9', version: '1.1.0' } }));
  });

  it('uninstalls only after confirmation', async () => {
    const api = renderActions(listing({ installation: installation(version('1.0.0', ['slack.com'], ['accessToken'])) }), true, {
      UninstallPlugin: () => ({ data: { uninstallPlugin: 'PluginInstallation:9' } }),
    });
    expect(screen.getByTestId('listing-actions').getAttribute('data-state')).toBe('current');
    fireEvent.click(screen.getByTestId('uninstall-button'));
    expect(api.requests).toHaveLength(0);
    fireEvent.click(await screen.findByTestId('confirm-uninstall'));
    await waitFor(() => expect(api.requests.map((r) => r.operationName)).toEqual(['UninstallPlugin']));
  });

  it('disables every action without plugins:manage and says who can act', () => {
    const installed = version('1.0.0', ['a.example.com']);
    const pending = version('2.0.0', ['a.example.com', 'b.example.com']);
    renderActions(listing({ installation: installation(installed, pending) }), false);
    expect(screen.queryByTestId('approve-permissions-button')).toBeNull();
    expect((screen.getByTestId('uninstall-button') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('manage-permission-note')).toBeTruthy();
  });

  it('offers templates through "Use template", not Install', () => {
    renderActions(listing({ kind: 'WORKFLOW_TEMPLATE', latestVersion: version('1.0.0') }));
    expect(screen.queryByTestId('install-button')).toBeNull();
    expect(screen.getByTestId('use-template-button')).toBeTruthy();
  });
});
