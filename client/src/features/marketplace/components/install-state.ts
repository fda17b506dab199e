import type { Listing, PluginPermissions, PluginVersion } from '../api/marketplace.api';

/**
 * Where the active organization stands with a listing, which decides the one action offered:
 * - `paid`: priced and not installable until checkout exists (the server refuses it too);
 * - `available`: not installed, can be installed;
 * - `consent`: installed, a newer version asks for more permissions and waits for an admin;
 * - `upgradable`: installed, a newer version exists;
 * - `current`: installed at the latest version.
 */
export type InstallState =
  | { kind: 'paid'; priceCents: number }
  | { kind: 'available'; version: PluginVersion | null }
  | { kind: 'consent'; installed: PluginVersion; pending: PluginVersion; added: PluginPermissions }
  | { kind: 'upgradable'; installed: PluginVersion; latest: PluginVersion; added: PluginPermissions }
  | { kind: 'current'; installed: PluginVersion };

/** What `next` asks for beyond `current`: the hosts and secrets a person has not agreed to yet. */
export function addedPermissions(current: PluginPermissions, next: PluginPermissions): PluginPermissions {
  const hosts = new Set(current.network);
  const secrets = new Set(current.secrets);
  return { network: next.network.filter((h) => !hosts.has(h)), secrets: next.secrets.filter((s) => !secrets.has(s)) };
}

export function hasPermissions(permissions: PluginPermissions): boolean {
  return permissions.network.length > 0 || permissions.secrets.length > 0;
}

function parseVersion(v: string): { parts: number[]; pre: string | null } {
  const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
  return { parts: core.split('.').map((n) => Number(n) || 0), pre: pre ?? null };
}

/** Semver precedence of two strict versions (x.y.z[-pre]); enough to tell "newer" apart. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

export function installState(listing: Pick<Listing, 'installable' | 'priceCents' | 'installation' | 'latestVersion'>): InstallState {
  const { installation, latestVersion } = listing;
  if (!installation) {
    if (!listing.installable) return { kind: 'paid', priceCents: listing.priceCents };
    return { kind: 'available', version: latestVersion };
  }
  const installed = installation.version;
  if (installation.pendingVersion) {
    const pending = installation.pendingVersion;
    return { kind: 'consent', installed, pending, added: addedPermissions(installed.permissions, pending.permissions) };
  }
  if (latestVersion && compareVersions(latestVersion.version, installed.version) > 0) {
    return { kind: 'upgradable', installed, latest: latestVersion, added: addedPermissions(installed.permissions, latestVersion.permissions) };
  }
  return { kind: 'current', installed };
}

/** "Free", "$4.99 — coming soon": paid listings cannot be bought yet. */
export function formatPrice(priceCents: number): string {
  if (priceCents <= 0) return 'Free';
  const amount = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(priceCents / 100);
  return `${amount} — coming soon`;
}

export const KIND_LABELS = { PLUGIN: 'Plugin', AGENT_TEMPLATE: 'Agent template', WORKFLOW_TEMPLATE: 'Workflow template' } as const;

/** First-party listings are published by AgentFlow itself. */
export function publisherLabel(listing: { firstParty: boolean; publisherName: string }): string {
  return listing.firstParty ? 'AgentFlow' : listing.publisherName;
}
