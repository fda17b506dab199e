import type { OAuth2Auth } from '@agentflow/plugin-sdk';
import type { OAuthClient, OAuthTokens } from './integration.repository.ts';
import { checkOutboundUrl, OutboundError, sendOutbound, type OutboundPolicy } from './outbound.ts';

/**
 * Calls to a provider's token endpoint (RFC 6749 §4.1.3 and §6): a form-encoded POST with the
 * client's credentials in the body (client_secret_post, which Slack and Google both accept).
 *
 * Answers understood:
 * - RFC 6749 / Google: 200 `{ access_token, expires_in, refresh_token?, scope, token_type }`,
 *   errors 400/401 `{ error: 'invalid_grant', error_description }`.
 * - Slack oauth.v2.access: always 200, `{ ok: true, access_token, refresh_token?, expires_in?,
 *   authed_user, team }` or `{ ok: false, error }`; a user-token-only install carries the token
 *   in `authed_user` instead.
 * - A form-encoded answer (GitHub without an Accept header) is read like JSON.
 */
export interface TokenGrant extends OAuthTokens {
  /** Seconds; absent when the token does not expire. */
  expiresIn?: number;
}

/**
 * `permanent`: the provider refused the grant (invalid_grant, invalid_client, ...) and asking
 * again will not help, so the integration needs to be connected again. Otherwise (network,
 * timeout, 5xx) a later attempt may succeed.
 */
export class TokenEndpointError extends Error {
  constructor(readonly code: string, readonly permanent: boolean, message: string) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

export type TokenRequest =
  | { grantType: 'authorization_code'; code: string; redirectUri: string; codeVerifier: string }
  | { grantType: 'refresh_token'; refreshToken: string };

export async function requestTokens(auth: OAuth2Auth, client: OAuthClient, request: TokenRequest, policy: OutboundPolicy): Promise<TokenGrant> {
  const form = new URLSearchParams(request.grantType === 'authorization_code'
    ? { grant_type: 'authorization_code', code: request.code, redirect_uri: request.redirectUri, code_verifier: request.codeVerifier }
    : { grant_type: 'refresh_token', refresh_token: request.refreshToken });
  form.set('client_id', client.clientId);
  form.set('client_secret', client.clientSecret);
  let answer;
  try {
    const url = checkOutboundUrl(auth.tokenUrl, policy, 'The token URL');
    answer = await sendOutbound(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    }, policy);
  } catch (err) {
    if (err instanceof OutboundError) throw new TokenEndpointError('unreachable', false, err.message);
    throw err;
  }
  return readGrant(answer.status, answer.data);
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const seconds = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
};

/** Turns a token endpoint's answer into a grant or a TokenEndpointError. Exported for unit tests. */
export function readGrant(status: number, body: Record<string, unknown> | null): TokenGrant {
  const oauthError = text(body?.error);
  if (body?.ok === false || oauthError) {
    const code = oauthError ?? 'unknown_error';
    const description = text(body?.error_description);
    // An answer in OAuth's error format is the provider's decision, unless it is a server error.
    return fail(code, status < 500, description ? `${code} (${description.slice(0, 200)})` : code);
  }
  if (status >= 500 || status === 429) return fail(`http_${status}`, false, `HTTP ${status}`);
  if (status < 200 || status >= 300) return fail(`http_${status}`, status >= 400, `HTTP ${status}`);
  if (!body) return fail('unreadable_answer', false, 'the answer is not JSON');
  const user = (body.authed_user && typeof body.authed_user === 'object' ? body.authed_user : {}) as Record<string, unknown>;
  const fromUser = !text(body.access_token);
  const source = fromUser ? user : body;
  const accessToken = text(source.access_token);
  if (!accessToken) return fail('no_access_token', false, 'the answer has no access token');
  const grant: TokenGrant = { accessToken };
  const refreshToken = text(source.refresh_token);
  const expiresIn = seconds(source.expires_in);
  const tokenType = text(source.token_type);
  const scope = text(source.scope) ?? text(body.scope);
  if (refreshToken) grant.refreshToken = refreshToken;
  if (expiresIn) grant.expiresIn = expiresIn;
  if (tokenType) grant.tokenType = tokenType;
  if (scope) grant.scope = scope;
  return grant;
}

function fail(code: string, permanent: boolean, message: string): never {
  throw new TokenEndpointError(code, permanent, message);
}
