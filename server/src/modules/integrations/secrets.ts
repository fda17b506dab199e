import type { OAuth2Auth } from '@agentflow/plugin-sdk';
import { sql } from 'kysely';
import type { Deps } from '../../graphql/context.ts';
import { badInput } from '../../lib/errors.ts';
import { integrationDefinition, outboundPolicy, requireOAuth2, type IntegrationDefinition } from './definition.ts';
import {
  credentialsContext, oauthClientContext, openJson, sealJson, SealedValueError,
  type ApiKeyCredentials, type IntegrationRow, type OAuthClient, type OAuthTokens,
} from './integration.repository.ts';
import { requestTokens, TokenEndpointError, type TokenGrant } from './token-endpoint.ts';

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

/** Refreshes under way in this process, by integration id: the callers of one share it. */
const refreshing = new Map<string, Promise<string>>();

/**
 * A usable access token for an OAuth 2.0 integration, refreshed first when it expires within a
 * minute (and its row found as a clear error otherwise).
 *
 * - In this process the callers of one integration share one refresh (single flight), so the
 *   provider sees one refresh however many tools want the token at once. That matters: some
 *   providers rotate refresh tokens and revoke the old one on use.
 * - The request to the token endpoint (up to 15 s, outbound.ts) runs outside any transaction and
 *   holds no database connection, so a slow provider cannot tie up the pool.
 * - Two processes may still refresh at once. The outcome is stored in a short transaction that
 *   locks the row and re-reads it: when the row no longer holds the tokens this refresh started
 *   from, another process got there first, and its tokens are kept and used. Ours are dropped,
 *   whatever they were: a second token, or a refusal because the provider had just rotated the
 *   refresh token for the other process.
 */
export function refreshedAccessToken(deps: SecretDeps, def: IntegrationDefinition, organizationId: string, integrationId: string): Promise<string> {
  let shared = refreshing.get(integrationId);
  if (!shared) {
    shared = refreshOnce(deps, def, organizationId, integrationId).finally(() => refreshing.delete(integrationId));
    refreshing.set(integrationId, shared);
  }
  return shared;
}

/** What the token endpoint said, before it is stored. */
type Outcome =
  | { kind: 'tokens'; grant: TokenGrant }
  /** The grant is dead (refused, or there is nothing to refresh with): the integration needs connecting again. */
  | { kind: 'refused'; reason: string }
  /** Unreachable or failing for now: the tokens are kept and the next call tries again. */
  | { kind: 'failed'; message: string };

async function refreshOnce(deps: SecretDeps, def: IntegrationDefinition, organizationId: string, integrationId: string): Promise<string> {
  const auth = requireOAuth2(def);
  const row = await deps.db.selectFrom('integrations').selectAll().where('id', '=', integrationId).where('organization_id', '=', organizationId).executeTakeFirst();
  if (!row) throw noIntegration(def);
  const tokens = usableCredentials<OAuthTokens>(deps, row, `"${row.name}"`);
  // Refreshed since the caller looked (by a refresh that just ended, or another process).
  if (!expiresSoon(row.token_expires_at)) return tokens.accessToken;
  const outcome = await requestRefresh(deps, def, auth, row, tokens);
  return settle(deps, def, row, tokens, outcome);
}

async function requestRefresh(deps: SecretDeps, def: IntegrationDefinition, auth: OAuth2Auth, row: IntegrationRow, tokens: OAuthTokens): Promise<Outcome> {
  if (!tokens.refreshToken) return { kind: 'refused', reason: `the access token expired and ${def.title} gave no refresh token` };
  if (!row.oauth_client) return { kind: 'refused', reason: 'its OAuth client is missing' };
  try {
    const client = openJson<OAuthClient>(deps.secrets, row.oauth_client, oauthClientContext(row.organization_id, row.id), 'OAuth client secret');
    const grant = await requestTokens(auth, client, { grantType: 'refresh_token', refreshToken: tokens.refreshToken }, outboundPolicy(deps.config, def));
    return { kind: 'tokens', grant };
  } catch (err) {
    if (err instanceof TokenEndpointError && err.permanent) return { kind: 'refused', reason: err.message };
    if (!(err instanceof TokenEndpointError) && !(err instanceof SealedValueError)) throw err;
    return { kind: 'failed', message: `Could not refresh ${def.title}'s access token: ${err.message}` };
  }
}

type Settled = { ok: true; accessToken: string } | { ok: false; message: string };

/** Stores the outcome unless the row moved on meanwhile (see refreshedAccessToken). */
async function settle(deps: SecretDeps, def: IntegrationDefinition, before: IntegrationRow, used: OAuthTokens, outcome: Outcome): Promise<string> {
  const result = await deps.db.transaction().execute(async (trx): Promise<Settled> => {
    const row = await trx.selectFrom('integrations').selectAll().where('id', '=', before.id).forUpdate().executeTakeFirst();
    if (!row) throw noIntegration(def);
    // Disconnected, or put in error, meanwhile: say so (and store nothing).
    const current = usableCredentials<OAuthTokens>(deps, row, `"${row.name}"`);
    if (current.accessToken !== used.accessToken || current.refreshToken !== used.refreshToken) return { ok: true, accessToken: current.accessToken };
    const at = trx.updateTable('integrations').where('id', '=', row.id);
    switch (outcome.kind) {
      case 'tokens': {
        const { expiresIn, ...grant } = outcome.grant;
        // Providers that do not rotate refresh tokens (Google) leave refresh_token out: keep ours.
        const next: OAuthTokens = { ...used, ...grant, refreshToken: grant.refreshToken ?? used.refreshToken };
        await at.set({
          credentials: sealJson(deps.secrets, next, credentialsContext(row.organization_id, row.id)),
          token_expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
          status: 'connected', status_message: null, updated_at: new Date(),
        }).execute();
        return { ok: true, accessToken: next.accessToken };
      }
      case 'refused': {
        const message = `${def.title} needs to be reconnected: ${outcome.reason}`;
        // The tokens are dead: forget them, so later calls fail at once with this message.
        await at.set({ status: 'error', status_message: message, credentials: null, token_expires_at: null, updated_at: new Date() }).execute();
        return { ok: false, message };
      }
      case 'failed':
        await at.set({ status: 'error', status_message: outcome.message, updated_at: new Date() }).execute();
        return { ok: false, message: outcome.message };
    }
  });
  if (!result.ok) throw badInput(result.message);
  return result.accessToken;
}

const noIntegration = (def: IntegrationDefinition) => badInput(`The plugin "${def.plugin.name}" has no integration in this organization: an admin can add it in Settings → Integrations`);

/** Last used, at most once a minute per integration: a tool making many calls writes rarely. */
async function touch(deps: SecretDeps, integrationId: string): Promise<void> {
  await deps.db.updateTable('integrations').set({ last_used_at: sql`now()` })
    .where('id', '=', integrationId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}
