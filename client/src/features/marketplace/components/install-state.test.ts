import { describe, expect, it } from 'vitest';
import type { PluginVersion } from '../api/marketplace.api';
import { addedPermissions, compareVersions, formatPrice, installState, publisherLabel } from './install-state';

const version = (v: string, network: string[] = [], secrets: string[] = []): PluginVersion => ({
  id: `PluginVersion:${v}`,
  version: v,
  changelog: '',
  sha256: 'a'.repeat(64),
  sizeBytes: 1000,
  signed: true,
  permissions: { network, secrets },
  tools: [],
  integration: null,
  createdAt: '2026-11-24T10:00:00Z',
});
const installation = (installed: PluginVersion, pending: PluginVersion | null = null) => ({
  id: 'PluginInstallation:1',
  version: installed,
  pendingVersion: pending,
  createdAt: '2026-11-24T10:00:00Z',
  updatedAt: '2026-11-24T10:00:00Z',
});

describe('installState', () => {
  it('offers a free listing that is not installed, at its latest version', () => {
    const latest = version('1.2.0', ['slack.com']);
    expect(installState({ installable: true, priceCents: 0, installation: null, latestVersion: latest })).toEqual({ kind: 'available', version: latest });
  });

  it('does not offer a paid listing (checkout comes later)', () => {
    expect(installState({ installable: false, priceCents: 499, installation: null, latestVersion: version('1.0.0') })).toEqual({ kind: 'paid', priceCents: 499 });
  });

  it('says an installed listing at the latest version is current', () => {
    const v = version('1.0.0');
    expect(installState({ installable: true, priceCents: 0, installation: installation(v), latestVersion: v }).kind).toBe('current');
  });

  it('offers an upgrade when a newer version exists, naming the permissions it adds', () => {
    const state = installState({
      installable: true,
      priceCents: 0,
      installation: installation(version('1.0.0', ['slack.com'], ['accessToken'])),
      latestVersion: version('1.10.0', ['slack.com', 'files.slack.com'], ['accessToken']),
    });
    expect(state).toMatchObject({ kind: 'upgradable', latest: { version: '1.10.0' }, added: { network: ['files.slack.com'], secrets: [] } });
  });

  it('asks for consent when an upgrade waits on new permissions, even if a newer version exists', () => {
    const state = installState({
      installable: true,
      priceCents: 0,
      installation: installation(version('1.0.0', ['a.example.com']), version('2.0.0', ['a.example.com', 'b.example.com'], ['apiToken'])),
      latestVersion: version('2.1.0'),
    });
    expect(state).toMatchObject({ kind: 'consent', installed: { version: '1.0.0' }, pending: { version: '2.0.0' }, added: { network: ['b.example.com'], secrets: ['apiToken'] } });
  });

  it('keeps an installed listing current when the catalog lags behind its version', () => {
    const state = installState({ installable: true, priceCents: 0, installation: installation(version('2.0.0')), latestVersion: version('1.9.9') });
    expect(state.kind).toBe('current');
  });
});

describe('helpers', () => {
  it('compares versions by semver precedence, not as text', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('1.0.0-beta.1', '1.0.0')).toBe(-1);
    expect(compareVersions('2.0.0', '10.0.0')).toBe(-1);
  });

  it('lists only what is new', () => {
    expect(addedPermissions({ network: ['a.com'], secrets: ['x'] }, { network: ['a.com', 'b.com'], secrets: ['x'] })).toEqual({ network: ['b.com'], secrets: [] });
  });

  it('prices free and paid listings', () => {
    expect(formatPrice(0)).toBe('Free');
    expect(formatPrice(1999)).toBe('$19.99 — coming soon');
  });

  it('names AgentFlow as the publisher of first-party listings', () => {
    expect(publisherLabel({ firstParty: true, publisherName: 'whatever' })).toBe('AgentFlow');
    expect(publisherLabel({ firstParty: false, publisherName: 'Acme Tools' })).toBe('Acme Tools');
  });
});
