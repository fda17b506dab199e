import type { ApiKeyAuth } from '@agentflow/plugin-sdk';
import { checkOutboundUrl, OutboundError, sendOutbound, type OutboundPolicy } from './outbound.ts';

/**
 * Checking credentials against a manifest's `testUrl` (a GET that answers 2xx when they work).
 *
 * How the credential is sent:
 * - OAuth 2.0: `Authorization: Bearer <access token>` (RFC 6750).
 * - API key: a field named `token` or `accessToken` goes as `Authorization: Bearer`; fields named
 *   `username` and `password` as HTTP Basic; and any field can be placed in the URL itself with
 *   the plugin placeholder `{{secret:<field>}}` (e.g. `https://api.example.com/me?key={{secret:apiKey}}`),
 *   for services that want a query parameter. A manifest that uses none of these cannot be tested
 *   (we would only be guessing a header name), and the result says so.
 */
export interface CredentialCheck {
  ok: boolean;
  message: string;
  /** The service answered that the credentials are wrong. */
  refused: boolean;
  /** No request was made: the manifest gives no way to send the credential. */
  untestable?: boolean;
}

export type Credential = { kind: 'bearer'; token: string } | { kind: 'apiKey'; auth: ApiKeyAuth; values: Record<string, string> };

const PLACEHOLDER = /\{\{secret:([A-Za-z][A-Za-z0-9_]{0,63})\}\}/g;

/** The request to make, or why none can be made. */
export function testRequest(testUrl: string, credential: Credential): { url: string; headers: Record<string, string> } | { error: string } {
  if (credential.kind === 'bearer') return { url: testUrl, headers: { authorization: `Bearer ${credential.token}` } };
  const { values } = credential;
  let placed = false;
  let missing: string | undefined;
  const url = testUrl.replace(PLACEHOLDER, (_m, name: string) => {
    placed = true;
    if (!Object.hasOwn(values, name)) missing ??= name;
    return encodeURIComponent(values[name] ?? '');
  });
  if (missing) return { error: `The test URL refers to {{secret:${missing}}}, which is not one of the integration's fields` };
  const token = values.token ?? values.accessToken;
  if (token !== undefined) return { url, headers: { authorization: `Bearer ${token}` } };
  if (values.username !== undefined && values.password !== undefined) {
    return { url, headers: { authorization: `Basic ${Buffer.from(`${values.username}:${values.password}`).toString('base64')}` } };
  }
  if (placed) return { url, headers: {} };
  return { error: 'The plugin does not say how to send its key to the test URL (a field named token, username and password, or {{secret:<field>}} in the URL), so it cannot be tested here; it is checked when a tool first uses it' };
}

/** Makes the test request and words the outcome for a person. `secrets` are scrubbed from the message. */
export async function checkCredentials(title: string, testUrl: string, credential: Credential, policy: OutboundPolicy): Promise<CredentialCheck> {
  const request = testRequest(testUrl, credential);
  if ('error' in request) return { ok: false, refused: false, untestable: true, message: request.error };
  const secrets = credential.kind === 'bearer' ? [credential.token] : Object.values(credential.values);
  try {
    const url = checkOutboundUrl(request.url, policy, `${title}'s test URL`);
    const answer = await sendOutbound(url, { method: 'GET', headers: { accept: 'application/json', ...request.headers } }, policy);
    const reason = scrub(reasonOf(answer.data), secrets);
    // Slack answers 200 with `{ ok: false, error: 'invalid_auth' }`.
    if (answer.status >= 200 && answer.status < 300 && answer.data?.ok !== false) return { ok: true, refused: false, message: `${title} accepted the credentials` };
    const refused = answer.status === 401 || answer.status === 403 || (answer.status < 300 && answer.data?.ok === false);
    const detail = `HTTP ${answer.status}${reason ? `: ${reason}` : ''}`;
    return { ok: false, refused, message: refused ? `${title} refused the credentials (${detail})` : `${title}'s test failed (${detail})` };
  } catch (err) {
    if (err instanceof OutboundError) return { ok: false, refused: false, message: scrub(err.message, secrets) };
    throw err;
  }
}

/** A short reason from common error shapes: `{ error: 'x' }`, `{ error: { message } }`, `{ message }`. */
function reasonOf(body: Record<string, unknown> | null): string | undefined {
  if (!body) return undefined;
  const error = body.error;
  const candidate = typeof error === 'string' ? error
    : error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message
    : typeof body.message === 'string' ? body.message : undefined;
  return candidate?.slice(0, 200);
}

/** Services sometimes echo what they were given; never pass a secret on in a message. */
export function scrub(message: string, secrets: readonly string[]): string;
export function scrub(message: string | undefined, secrets: readonly string[]): string | undefined;
export function scrub(message: string | undefined, secrets: readonly string[]): string | undefined {
  if (!message) return message;
  return secrets.filter((s) => s.length >= 4).reduce((m, s) => m.split(s).join('…'), message);
}
