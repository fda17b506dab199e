import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DbIntegrationStatus, IntegrationsTable } from '../../db/schema.ts';
import type { SecretBox } from '../../lib/secret-box.ts';

export type IntegrationRow = Selectable<IntegrationsTable>;
export type AuthType = IntegrationRow['auth_type'];
export type IntegrationStatus = DbIntegrationStatus;

/** What the API shows of an integration: never its credentials. */
export interface Integration {
  id: string;
  organizationId: string;
  pluginName: string;
  name: string;
  authType: AuthType;
  status: IntegrationStatus;
  statusMessage: string | null;
  lastUsedAt: Date | null;
  tokenExpiresAt: Date | null;
  createdAt: Date;
}

export const toIntegration = (r: IntegrationRow): Integration => ({
  id: r.id,
  organizationId: r.organization_id,
  pluginName: r.plugin_name,
  name: r.name,
  authType: r.auth_type,
  status: r.status,
  statusMessage: r.status_message,
  lastUsedAt: r.last_used_at,
  tokenExpiresAt: r.token_expires_at,
  createdAt: r.created_at,
});

export async function listIntegrations(db: Executor, organizationId: string): Promise<Integration[]> {
  const rows = await db.selectFrom('integrations').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
  return rows.map(toIntegration);
}

export async function findIntegrationRow(db: Executor, organizationId: string, id: string, lock = false): Promise<IntegrationRow | undefined> {
  let q = db.selectFrom('integrations').selectAll().where('organization_id', '=', organizationId).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findIntegration(db: Executor, organizationId: string, id: string): Promise<Integration | undefined> {
  const row = await findIntegrationRow(db, organizationId, id);
  return row && toIntegration(row);
}

// ---------------------------------------------------------------------------------------------
// Sealed columns. Each value is bound to its organization, integration and column, so a sealed
// value copied into another row (or another organization) does not open.

export const credentialsContext = (organizationId: string, integrationId: string) => `org:${organizationId}:integration:${integrationId}:credentials`;
export const oauthClientContext = (organizationId: string, integrationId: string) => `org:${organizationId}:integration:${integrationId}:oauth_client`;
/** The PKCE verifier of an authorization in flight, bound to its state. */
export const codeVerifierContext = (stateHash: string) => `oauth_state:${stateHash}`;

/** An API key integration: the fields the manifest lists, by name. */
export type ApiKeyCredentials = Record<string, string>;
/** An OAuth 2.0 integration once connected. */
export interface OAuthTokens { accessToken: string; refreshToken?: string; tokenType?: string; scope?: string }
export interface OAuthClient { clientId: string; clientSecret: string }

export const sealJson = (box: SecretBox, value: object, context: string): string => box.seal(JSON.stringify(value), context);

/** Opens a sealed JSON column; a value that no longer opens (APP_SECRET changed) is a clear error. */
export function openJson<T>(box: SecretBox, sealed: string, context: string, what: string): T {
  try {
    return JSON.parse(box.open(sealed, context)) as T;
  } catch {
    throw new SealedValueError(`The ${what} can no longer be decrypted (was APP_SECRET changed without APP_SECRET_PREVIOUS?): enter it again`);
  }
}

export class SealedValueError extends Error {}
