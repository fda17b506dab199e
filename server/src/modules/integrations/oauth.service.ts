import { createHash } from 'node:crypto';
import type http from 'node:http';
import { sql } from 'kysely';
import type { Caller, Deps } from '../../graphql/context.ts';
import { toGlobalId } from '../../graphql/ids.ts';
import { badInput } from '../../lib/errors.ts';
import { clientIp } from '../../http/request-info.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { hashToken, randomToken } from '../auth/tokens.ts';
import { integrationDefinition, outboundPolicy, requireOAuth2 } from './definition.ts';
import {
  codeVerifierContext, credentialsContext, findIntegrationRow, oauthClientContext, openJson, sealJson, SealedValueError,
  type OAuthClient, type OAuthTokens,
} from './integration.repository.ts';
import { redirectUri, requireIntegration } from './integration.service.ts';
import { checkOutboundUrl, OutboundError } from './outbound.ts';
import { requestTokens, TokenEndpointError } from './token-endpoint.ts';

/** How long a started authorization may take to come back. */
export const STATE_TTL_MS = 10 * 60 * 1000;
/** Parameters the flow sets itself; a manifest's authorizeParams cannot replace them. */
const RESERVED = new Set(['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']);

/**
 * Starts an OAuth 2.0 authorization (RFC 6749 §4.1 with PKCE, RFC 7636): returns the provider URL
 * to send the browser to. The state is a random 256-bit value stored only as its hash, single use,
 * valid 10 minutes; the PKCE verifier is stored sealed next to it. The scope is the manifest's
 * scopes joined by spaces (RFC 6749 §3.3), or by its `scopeSeparator` (Slack documents commas);
 * the manifest's authorizeParams may add more, such as `user_scope`,
 * `access_type: offline`, `prompt: consent` and the like.
 */
export async function connectIntegration(deps: Deps, caller: Caller, integrationId: string): Promise<{ authorizeUrl: string }> {
  const orgId = caller.organizationId!;
  const integration = await requireIntegration(deps, orgId, integrationId);
  if (integration.authType !== 'oauth2') throw badInput(`"${integration.name}" uses an API key: there is nothing to connect`);
  const def = await integrationDefinition(deps.db, orgId, integration.pluginName);
  const auth = requireOAuth2(def);
  const row = (await findIntegrationRow(deps.db, orgId, integration.id))!;
  if (!row.oauth_client) throw badInput(`"${integration.name}" has no OAuth app: delete it and add it again with your OAuth client id and secret`);
  let client: OAuthClient;
  let url: URL;
  try {
    client = openJson<OAuthClient>(deps.secrets, row.oauth_client, oauthClientContext(orgId, row.id), 'OAuth client secret');
    url = checkOutboundUrl(auth.authorizeUrl, outboundPolicy(deps.config), `${def.title}'s authorize URL`);
  } catch (err) {
    if (err instanceof SealedValueError || err instanceof OutboundError) throw badInput(err.message);
    throw err;
  }

  const state = randomToken(32);
  const stateHash = hashToken(state);
  const verifier = randomToken(48);
  const params: Record<string, string> = { response_type: 'code', client_id: client.clientId, redirect_uri: redirectUri(deps), scope: auth.scopes.join(auth.scopeSeparator ?? ' ') };
  for (const [key, value] of Object.entries(auth.authorizeParams ?? {})) if (!RESERVED.has(key) && typeof value === 'string') params[key] = value;
  Object.assign(params, { state, code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
  if (!params.scope) delete params.scope;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);

  await deps.db.transaction().execute(async (trx) => {
    // Abandoned authorizations go when new ones start; the table stays small.
    await trx.deleteFrom('oauth_states').where('expires_at', '<', sql<Date>`now()`).execute();
    await trx.insertInto('oauth_states').values({
      state_hash: stateHash, integration_id: row.id, organization_id: orgId, user_id: caller.user?.id ?? null,
      code_verifier: deps.secrets.seal(verifier, codeVerifierContext(stateHash)), expires_at: new Date(Date.now() + STATE_TTL_MS),
    }).execute();
    await writeAudit(trx, caller, { organizationId: orgId, action: 'integration.authorize', targetType: 'Integration', targetId: row.id, details: { pluginName: row.plugin_name, name: row.name } });
  });
  return { authorizeUrl: url.toString() };
}

// ---------------------------------------------------------------------------------------------
// GET /oauth/callback

const SETTINGS = '/settings/integrations';

class CallbackError extends Error {
  /** `integrationId`: known once the state was found; its status then records the failure. */
  constructor(message: string, readonly integrationId?: string) { super(message); }
}

function redirect(res: http.ServerResponse, query: Record<string, string>): void {
  res.writeHead(302, { location: `${SETTINGS}?${new URLSearchParams(query)}`, 'cache-control': 'no-store' });
  res.end();
}

/**
 * Where the provider sends the browser back: `?code=&state=` (or `?error=&state=`). Finds and
 * consumes the state (unknown, used or expired: nothing happens but a redirect saying so),
 * exchanges the code with the PKCE verifier, stores the tokens sealed, and redirects to the
 * integrations settings page with `?connected=<integration id>` or `?error=<message>`.
 *
 * The state is not bound to the browser that started the flow (the API uses bearer tokens, no
 * cookies). This matters little here: the OAuth app is the organization's own, so the only
 * authorize links anyone can make are for apps they control anyway.
 */
export async function handleOAuthCallback(deps: Deps, req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): Promise<void> {
  if (req.method !== 'GET') {
    res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Use GET');
    return;
  }
  let integrationId: string | undefined;
  try {
    const state = query.get('state');
    if (!state) throw new CallbackError('The authorization answer has no state: start again from Settings → Integrations');
    const stateHash = hashToken(state);
    // Deleting it is what makes it single-use, also when the same answer arrives twice at once.
    const found = await deps.db.deleteFrom('oauth_states').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
    if (!found) throw new CallbackError('This authorization is unknown or was already used: start again from Settings → Integrations');
    if (new Date(found.expires_at).getTime() < Date.now()) throw new CallbackError('This authorization expired (it is valid for 10 minutes): start again from Settings → Integrations');
    integrationId = found.integration_id;
    const row = await findIntegrationRow(deps.db, found.organization_id, found.integration_id);
    if (!row) throw new CallbackError('The integration was deleted while it was being connected');
    const def = await integrationDefinition(deps.db, row.organization_id, row.plugin_name);
    const auth = requireOAuth2(def);

    const providerError = query.get('error');
    if (providerError) {
      const description = query.get('error_description');
      throw new CallbackError(`${def.title} did not grant access: ${providerError.slice(0, 100)}${description ? ` (${description.slice(0, 200)})` : ''}`, row.id);
    }
    const code = query.get('code');
    if (!code) throw new CallbackError(`${def.title} answered without an authorization code`, row.id);
    if (!row.oauth_client) throw new CallbackError(`"${row.name}" has no OAuth app: delete it and add it again`, row.id);

    let tokens: OAuthTokens;
    let expiresIn: number | undefined;
    try {
      const client = openJson<OAuthClient>(deps.secrets, row.oauth_client, oauthClientContext(row.organization_id, row.id), 'OAuth client secret');
      const codeVerifier = deps.secrets.open(found.code_verifier, codeVerifierContext(stateHash));
      const grant = await requestTokens(auth, client, { grantType: 'authorization_code', code, redirectUri: redirectUri(deps), codeVerifier }, outboundPolicy(deps.config, def));
      ({ expiresIn, ...tokens } = grant);
    } catch (err) {
      if (err instanceof TokenEndpointError) throw new CallbackError(`${def.title} refused the authorization: ${err.message}`, row.id);
      if (err instanceof SealedValueError) throw new CallbackError(err.message, row.id);
      throw err;
    }

    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('integrations').set({
        credentials: sealJson(deps.secrets, tokens, credentialsContext(row.organization_id, row.id)),
        token_expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        status: 'connected', status_message: null, updated_at: new Date(),
      }).where('id', '=', row.id).execute();
      await writeAudit(trx, await callbackCaller(deps, req, row.organization_id, found.user_id), {
        organizationId: row.organization_id, action: 'integration.connect', targetType: 'Integration', targetId: row.id,
        details: { pluginName: row.plugin_name, name: row.name, scope: tokens.scope ?? null },
      });
    });
    redirect(res, { connected: toGlobalId('Integration', row.id) });
  } catch (err) {
    if (!(err instanceof CallbackError)) deps.logger.error('oauth callback failed', { integrationId, error: (err as Error).message });
    const message = err instanceof CallbackError ? err.message : 'Connecting failed because of an internal error; try again';
    if (integrationId) await recordFailure(deps, integrationId, message).catch(() => undefined);
    redirect(res, integrationId ? { error: message, integration: toGlobalId('Integration', integrationId) } : { error: message });
  }
}

/**
 * A failed (re)connection: the status says why, unless the integration still has working tokens
 * from before (someone cancelled a reconnect), which keep serving.
 */
async function recordFailure(deps: Deps, integrationId: string, message: string): Promise<void> {
  await deps.db.updateTable('integrations').set({ status: 'error', status_message: message, updated_at: new Date() })
    .where('id', '=', integrationId).where((eb) => eb.or([eb('status', '!=', 'connected'), eb('credentials', 'is', null)])).execute();
}

/** The person who started the flow, for the audit entry (the callback itself carries no session). */
async function callbackCaller(deps: Deps, req: http.IncomingMessage, organizationId: string, userId: string | null): Promise<Caller> {
  const user = userId ? await deps.db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', userId).executeTakeFirst() : undefined;
  return {
    user: user ? { id: user.id, email: user.email, name: user.name, sessionId: '' } : null,
    apiKey: null, organizationId, role: undefined,
    ip: clientIp(req, deps.config.trustProxy), userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
  };
}
