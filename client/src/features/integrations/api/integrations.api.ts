import { gql } from 'urql';

export type IntegrationAuthType = 'OAUTH2' | 'API_KEY';
export type IntegrationStatus = 'CONNECTED' | 'ERROR' | 'DISCONNECTED';

export interface Integration {
  id: string;
  pluginName: string;
  name: string;
  authType: IntegrationAuthType;
  status: IntegrationStatus;
  statusMessage: string | null;
  lastUsedAt: string | null;
  tokenExpiresAt: string | null;
  createdAt: string;
}

export interface IntegrationAction {
  id: string;
  name: string;
  title: string | null;
  description: string;
}

/** An installed plugin, with its version's `integration` manifest (null when it connects to nothing). */
export interface InstalledPlugin {
  id: string;
  listing: { id: string; name: string; title: string };
  version: { id: string; version: string; integration: unknown };
}

export interface CreateIntegrationInput {
  pluginName: string;
  name: string;
  /** API-key integrations: one value per field the manifest declares. */
  apiKey?: Record<string, string>;
  oauthClientId?: string;
  oauthClientSecret?: string;
}

const FIELDS = 'id pluginName name authType status statusMessage lastUsedAt tokenExpiresAt createdAt';

export const IntegrationsQuery = gql<{ integrations: Integration[] }, Record<string, never>>(`
  query Integrations { integrations { ${FIELDS} } }
`);

export const InstalledPluginsQuery = gql<{ pluginInstallations: InstalledPlugin[] }, Record<string, never>>(`
  query InstalledPlugins { pluginInstallations { id listing { id name title } version { id version integration } } }
`);

export const IntegrationActionsQuery = gql<{ integrationActions: IntegrationAction[] }, { integrationId: string }>(`
  query IntegrationActions($integrationId: ID!) { integrationActions(integrationId: $integrationId) { id name title description } }
`);

export const CreateIntegrationMutation = gql<{ createIntegration: Integration }, { input: CreateIntegrationInput }>(`
  mutation CreateIntegration($input: CreateIntegrationInput!) { createIntegration(input: $input) { ${FIELDS} } }
`);

export const ConnectIntegrationMutation = gql<{ connectIntegration: { authorizeUrl: string } }, { input: { integrationId: string } }>(`
  mutation ConnectIntegration($input: ConnectIntegrationInput!) { connectIntegration(input: $input) { authorizeUrl } }
`);

export const TestIntegrationMutation = gql<{ testIntegration: { ok: boolean; message: string; integration: Integration } }, { id: string }>(`
  mutation TestIntegration($id: ID!) { testIntegration(id: $id) { ok message integration { ${FIELDS} } } }
`);

export const DisconnectIntegrationMutation = gql<{ disconnectIntegration: Integration }, { id: string }>(`
  mutation DisconnectIntegration($id: ID!) { disconnectIntegration(id: $id) { ${FIELDS} } }
`);

export const DeleteIntegrationMutation = gql<{ deleteIntegration: string }, { id: string }>(`
  mutation DeleteIntegration($id: ID!) { deleteIntegration(id: $id) }
`);
