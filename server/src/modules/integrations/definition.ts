import type { ApiKeyAuth, IntegrationManifest, OAuth2Auth } from '@agentflow/plugin-sdk';
import type { Config } from '../../config/env.ts';
import type { Executor } from '../../db/database.ts';
import { badInput } from '../../lib/errors.ts';
import { installedPlugin, type InstalledPlugin } from '../plugins/installed-plugins.ts';
import type { OutboundPolicy } from './outbound.ts';

/** An installed plugin's integration, as its pinned manifest declares it. */
export interface IntegrationDefinition {
  plugin: InstalledPlugin;
  /** Shown in messages: "Slack needs to be reconnected". */
  title: string;
  auth: OAuth2Auth | ApiKeyAuth;
}

/** The integration the organization's installed plugin declares, or a clear error. */
export async function integrationDefinition(db: Executor, organizationId: string, pluginName: string): Promise<IntegrationDefinition> {
  const plugin = await installedPlugin(db, organizationId, pluginName);
  if (!plugin) throw badInput(`The plugin "${pluginName}" is not installed in this organization: install it from the marketplace first`, { field: 'pluginName' });
  const integration = plugin.manifest.integration as IntegrationManifest | undefined;
  if (!integration?.auth || (integration.auth.type !== 'oauth2' && integration.auth.type !== 'apiKey')) {
    throw badInput(`The plugin "${pluginName}" does not use an integration (its manifest declares none)`, { field: 'pluginName' });
  }
  return { plugin, title: integration.title || plugin.manifest.title || pluginName, auth: integration.auth };
}

/**
 * Plugin-chosen URLs the server calls follow the provider base URL rule: see outbound.ts. Given the
 * integration, the URL's host must also be within the plugin's `permissions.network`, as for the
 * token and test URLs, which receive the organization's credentials. (The authorize URL is opened
 * by the user's browser, not the server, and carries no secret: it only has to be https.)
 */
export const outboundPolicy = (config: Pick<Config, 'llm'>, def?: IntegrationDefinition): OutboundPolicy => ({
  allowPrivate: config.llm.allowPrivateBaseUrls,
  ...(def ? { allowedHosts: def.plugin.manifest.permissions?.network ?? [] } : {}),
});

export function requireOAuth2(def: IntegrationDefinition): OAuth2Auth {
  if (def.auth.type !== 'oauth2') throw badInput(`${def.title} uses an API key, not OAuth 2.0: there is nothing to connect`);
  return def.auth;
}
