import { sql } from 'kysely';
import type { Deps } from '../../graphql/context.ts';
import { badInput } from '../../lib/errors.ts';
import { integrationDefinition, outboundPolicy, requireOAuth2, type IntegrationDefinition } from './definition.ts';
import {
  credentialsContext, oauthClientContext, openJson, sealJson, SealedValueError,
  type ApiKeyCredentials, type IntegrationRow, type OAuthClient, type OAuthTokens,
} from './integration.repository.ts';
import { requestTokens, TokenEndpointError } from './token-endpoint.ts';

export type SecretDeps = Pick<Deps, 'db' | 'secrets' | 'config'>;

/** An access token this close to expiry is refreshed before use. */
export const REFRESH_MARGIN_MS = 60_000;

/**
 * The value of a secret a plugin declared, from the organization's integration for it. The
 * sandbox's fetch bridge calls this to fill `{{secret:<name>}}` on the host side; the value never
 * reaches plugin code, the API or the logs.
 * - oauth2 yields `accessToken`, refreshed first when it expires within a minute.
 * - apiKey yields each of its fields by name.
 */
export async function resolveIntegrationSecret(deps: SecretDeps, organizationId: string, pluginName: string, secretName: string): Promise<string> {
  const row = await deps.db.selectFrom('integrations').selectAll()
    .where('organization_id', '=', organizationId).where('plugin_name', '=', pluginName).executeTakeFirst();
  if (!row) throw badInput(`The plugin "${pluginName}" has no integration in this organization: an admin can add it in Settings → Integrations`);
  const value = row.auth_type === 'oauth2' ? await oauthSecret(deps, row, secretName) : apiKeySecret(deps, row, secretName);
  await touch(deps, row.id);
  return value;
}

function apiKeySecret(deps: SecretDeps, row: IntegrationRow, secretName: string): string {
  const credentials = usableCredentials<ApiKeyCredentials>(deps, row, `"${row.name}"`);
  const value = Object.hasOwn(credentials, secretName) ? credentials[secretName] : undefined;
  // An optional field left empty, or a name the integration never had.
  if (typeof value !== 'string') throw badInput(`The integration "${row.name}" has no value for the secret ${secretName} (it has: ${Object.keys(credentials).join(', ')})`);
  return value;
}

async function oauthSecret(deps: SecretDeps, row: IntegrationRow, secretName: string): Promise<string> {
  if (secretName !== 'accessToken') throw badInput(`The integration "${row.name}" uses OAuth 2.0 and yields only the secret accessToken, not ${secretName}`);
  const tokens = usableCredentials<OAuthTokens>(deps, row, `"${row.name}"`);
  if (!expiresSoon(row.token_expires_at)) return tokens.accessToken;
  const def = await integrationDefinition(deps.db, row.organization_id, row.plugin_name);
  return refreshedAccessToken(deps, def, row.organization_id, row.id);
}

const expiresSoon = (at: Date | null): boolean => at !== null && at.getTime() - Date.now() < REFRESH_MARGIN_MS;

/** The sealed credentials of a row in use, or a clear error saying what to do. */
function usableCredentials<T>(deps: SecretDeps, row: IntegrationRow, label: string): T {
  if (!row.credentials) {
    if (row.status === 'error' && row.status_message) throw badInput(row.status_message);
    throw badInput(`The integration ${label} is not connected: an admin can connect it in Settings → Integrations`);
  }
  try {
    return openJson<T>(deps.secrets, row.credentials, credentialsContext(row.organization_id, row.id), `credentials of the integration ${label}`);
  } catch (err) {
    if (err instanceof SealedValueError) throw badInput(err.message);
    throw err;
  }
}

type Refresh = { ok: true; accessToken: string } | { ok: false; message: string };

/**
 * Refreshes under the integration's row lock: parallel callers queue on the lock, and each one
 * after the first finds a fresh token and uses it, so the provider sees one refresh (which
 * matters: some providers rotate refresh tokens and revoke the old one on use). The token request
 * runs inside the transaction; its time is capped (outbound.ts), which bounds the lock.
 */
export async function refreshedAccessToken(deps: SecretDeps, def: IntegrationDefinition, organizationId: string, integrationId: string): Promise<string> {
  const auth = requireOAuth2(def);
  const result = await deps.db.transaction().execute(async (trx): Promise<Refresh> => {
    const row = await trx.selectFrom('integrations').selectAll().where('id', '=', integrationId).where('organization_id', '=', organizationId).forUpdate().executeTakeFirstOrThrow();
    const tokens = usableCredentials<OAuthTokens>(deps, row, `"${row.name}"`);
    if (!expiresSoon(row.token_expires_at)) return { ok: true, accessToken: tokens.accessToken };
    const reconnect = async (reason: string): Promise<Refresh> => {
      const message = `${def.title} needs to be reconnected: ${reason}`;
      // The tokens are dead: forget them, so later calls fail at once with this message.
      await trx.updateTable('integrations').set({ status: 'error', status_message: message, credentials: null, token_expires_at: null, updated_at: new Date() }).where('id', '=', row.id).execute();
      return { ok: false, message };
    };
    if (!tokens.refreshToken) return reconnect(`the access token expired and ${def.title} gave no refresh token`);
    if (!row.oauth_client) return reconnect('its OAuth client is missing');
    let grant;
    try {
      const client = openJson<OAuthClient>(deps.secrets, row.oauth_client, oauthClientContext(organizationId, row.id), 'OAuth client secret');
      grant = await requestTokens(auth, client, { grantType: 'refresh_token', refreshToken: tokens.refreshToken }, outboundPolicy(deps.config));
    } catch (err) {
      if (err instanceof TokenEndpointError && err.permanent) return reconnect(err.message);
      if (!(err instanceof TokenEndpointError) && !(err instanceof SealedValueError)) throw err;
      // Unreachable or failing for now: keep the tokens, the next call tries again.
      const message = `Could not refresh ${def.title}'s access token: ${err.message}`;
      await trx.updateTable('integrations').set({ status: 'error', status_message: message, updated_at: new Date() }).where('id', '=', row.id).execute();
      return { ok: false, message };
    }
    // Providers that do not rotate refresh tokens (Google) leave refresh_token out: keep ours.
    const next: OAuthTokens = { ...tokens, ...grant, refreshToken: grant.refreshToken ?? tokens.refreshToken };
    delete (next as { expiresIn?: number }).expiresIn;
    await trx.updateTable('integrations').set({
      credentials: sealJson(deps.secrets, next, credentialsContext(organizationId, row.id)),
      token_expires_at: grant.expiresIn ? new Date(Date.now() + grant.expiresIn * 1000) : null,
      status: 'connected', status_message: null, updated_at: new Date(),
    }).where('id', '=', row.id).execute();
    return { ok: true, accessToken: next.accessToken };
  });
  if (!result.ok) throw badInput(result.message);
  return result.accessToken;
}

/** Last used, at most once a minute per integration: a tool making many calls writes rarely. */
async function touch(deps: SecretDeps, integrationId: string): Promise<void> {
  await deps.db.updateTable('integrations').set({ last_used_at: sql`now()` })
    .where('id', '=', integrationId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}
