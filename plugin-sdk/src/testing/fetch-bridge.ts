import {
  authorityProblem, bareHostProblem, basicCredentials, basicTemplate, fillPlaceholders, hostTemplate, placeholderNames, redact, scrubbedForms,
  type SecretEncoding,
} from '../host/secret-placeholders.ts';
import { secretPatterns } from '../host/secret-tag.ts';
import type { SandboxBridges } from '../host/types.ts';
import { hostAllowed } from '../manifest.ts';
import type { FetchRequest, FetchResponse, Json, PluginManifest } from '../types.ts';

export interface TestFetchBridgeOptions {
  manifest: Pick<PluginManifest, 'permissions'>;
  /** Values of the declared secrets, by name. */
  secrets?: Record<string, string>;
  /**
   * The secret tag of the call this bridge serves (`createSecretTag()` from
   * `@agentflow/plugin-sdk/host`, also passed as `SandboxCall.secretTag`): only placeholders
   * carrying it are filled in; any other placeholder-like text is sent as written.
   * `createTestHost` makes one per call.
   */
  secretTag: string;
  /** Performs the request; the global `fetch` (looked up per request, so msw sees it) by default. */
  fetch?: typeof globalThis.fetch;
}

const MAX_REDIRECTS = 5;
/** Not carried to another origin on a redirect (as fetch does), like any header that had a secret in it. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie']);

/**
 * The `fetch` bridge of one test call: the manifest's rules, without the server's DNS-level SSRF
 * guard (tests talk to mocks). Only declared hosts (`*` for any), over http or https, on every
 * redirect; the call's placeholders (`ctx.secret(name)`, `{{secret:<tag>:<name>}}`, and only with
 * this call's tag) become the test's secret values on the way out (URL-encoded in the URL, raw or
 * percent-encoded there; JSON-escaped in object bodies), and those values come back as
 * `[redacted]`, error messages included. As on the server, a secret may be the whole host
 * (`https://${ctx.secret('host')}/v1/items`: its value must be a bare host name, then checked like
 * any host), an `authorization` header of exactly `Basic ${ctx.secret('a')}:${ctx.secret('b')}`
 * goes out as `Basic base64(a:b)`, and a redirect to another origin that would send a body with a
 * secret in it again (307, 308) is refused.
 *
 * @example
 * const secretTag = createSecretTag();
 * const bridge = createTestFetchBridge({ manifest, secrets: { token: 'test-token' }, secretTag });
 * await bridge({ url: 'https://api.github.com/user', headers: { authorization: `Bearer {{secret:${secretTag}:token}}` } });
 */
export function createTestFetchBridge(options: TestFetchBridgeOptions): SandboxBridges['fetch'] {
  const { network, secrets: declared } = options.manifest.permissions;
  const values = options.secrets ?? {};
  const patterns = secretPatterns(options.secretTag);
  const scrubbed = new Set(Object.values(values).flatMap(scrubbedForms));
  const scrub = (text: string) => redact(text, scrubbed);

  const valueOf = (name: string): string => {
    if (!declared.includes(name)) throw new Error(`fetch refused: secret "${name}" is not declared in the manifest's permissions.secrets`);
    const value = values[name];
    if (value === undefined) throw new Error(`fetch refused: secret "${name}" has no value in this test (pass secrets: { ${name}: '...' } to createTestHost)`);
    return value;
  };
  const fill = (text: string, encoding: SecretEncoding = 'raw') => fillPlaceholders(text, patterns, encoding, valueOf);
  const hasPlaceholder = (text: string) => placeholderNames(text, patterns, 'raw').length > 0;
  const fillJson = (value: Json): Json => {
    if (typeof value === 'string') return fill(value);
    if (Array.isArray(value)) return value.map(fillJson);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v)]));
    return value;
  };
  const fillUrl = (href: string): string => {
    const template = hostTemplate(href, patterns);
    if (!template) {
      const problem = authorityProblem(href);
      if (problem) throw new Error(`fetch refused: ${problem}`);
      return fill(href, 'url');
    }
    const host = valueOf(template.name);
    const problem = bareHostProblem(template.name, host);
    if (problem) throw new Error(`fetch refused: ${problem}`);
    return `${template.scheme}://${host}${fill(template.rest, 'url')}`;
  };
  const fillHeader = (name: string, value: string): string => {
    const basic = basicTemplate(name, value, patterns);
    if (!basic) return fill(value);
    const { header, pair } = basicCredentials(basic.user, valueOf(basic.user), valueOf(basic.password));
    for (const form of scrubbedForms(pair)) scrubbed.add(form);
    return header;
  };

  async function exchange(request: FetchRequest): Promise<FetchResponse> {
    if (!request || typeof request.url !== 'string') throw new Error('fetch needs a request with a url');
    let url = checkedUrl(fillUrl(request.url), network);
    let method = (request.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    const secretHeaders = new Set(CREDENTIAL_HEADERS);
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      headers[name.toLowerCase()] = fillHeader(name, String(value));
      if (hasPlaceholder(String(value))) secretHeaders.add(name.toLowerCase());
    }
    let body: string | undefined;
    let bodyHasSecret = false;
    if (typeof request.body === 'string') {
      body = fill(request.body);
      bodyHasSecret = hasPlaceholder(request.body);
    } else if (request.body !== undefined && request.body !== null) {
      body = JSON.stringify(fillJson(request.body));
      bodyHasSecret = hasPlaceholder(JSON.stringify(request.body));
      headers['content-type'] ??= 'application/json';
    }

    const doFetch = options.fetch ?? globalThis.fetch;
    for (let redirects = 0; ; redirects++) {
      const response = await doFetch(url, { method, headers, body, redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        const text = scrub(await response.text());
        const responseHeaders: Record<string, string> = {};
        response.headers.forEach((value, name) => { responseHeaders[name] = scrub(value); });
        return { status: response.status, ok: response.ok, headers: responseHeaders, text, json: parseJson(text) };
      }
      if (redirects >= MAX_REDIRECTS) throw new Error(`fetch failed: more than ${MAX_REDIRECTS} redirects`);
      const next = checkedUrl(new URL(location, url).href, network);
      // Credentials stay with the origin they were meant for (as browsers do for Authorization).
      if (next.origin !== url.origin) for (const name of secretHeaders) delete headers[name];
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      // A 307/308 sends the body again: one with a secret in it stays with its origin (as on the server).
      if (next.origin !== url.origin && body !== undefined && bodyHasSecret) {
        throw new Error(`fetch refused: a redirect to ${next.origin} would send the request body, which has a secret in it, to another origin`);
      }
      url = next;
    }
  }

  return async (request: FetchRequest): Promise<FetchResponse> => {
    try {
      return await exchange(request);
    } catch (error) {
      // As on the server: whatever ends up in a message (a host that was a secret, say), the plugin does not get a value from it.
      if (error instanceof Error) error.message = scrub(error.message);
      throw error;
    }
  };
}

function checkedUrl(href: string, network: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new Error(`fetch refused: ${JSON.stringify(href)} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`fetch refused: only http and https URLs (got ${url.protocol})`);
  if (url.username || url.password) throw new Error('fetch refused: put credentials in an Authorization header, not in the URL');
  if (!hostAllowed(url.hostname, network)) {
    const allowed = network.length ? network.join(', ') : 'none';
    throw new Error(`fetch refused: ${url.hostname} is not in the manifest's permissions.network (declared: ${allowed})`);
  }
  return url;
}

function parseJson(text: string): Json | null {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return null;
  }
}
