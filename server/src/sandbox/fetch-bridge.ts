import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { FetchRequest, FetchResponse, Json } from '@agentflow/plugin-sdk';
import { authorityProblem, bareHostProblem, REDACTED, type SandboxBridges, type SecretEncoding } from '@agentflow/plugin-sdk/host';
import { blockedAddressReason, checkedLookup, isMetadataAddress, type LookupImpl } from '../lib/network.ts';
import { CallSecrets } from './secret-placeholders.ts';

export interface FetchBridgeOptions {
  /** The plugin's `permissions.network`: exact hostnames, `*.example.com` for any subdomain, `*` for any host. */
  allowedHosts: readonly string[];
  /**
   * The call's secret tag (`createSecretTag()` from `@agentflow/plugin-sdk/host`, fresh per call,
   * also given to the call as `SandboxCall.secretTag`): only placeholders carrying it, as
   * `ctx.secret` makes them, are filled in. Anything else shaped like a placeholder (written into
   * the tool's input, say) is sent as the text it is.
   */
  secretTag: string;
  /** The plugin's `permissions.secrets`: the only names a placeholder may use. */
  declaredSecrets: readonly string[];
  /** The value of a declared secret, scoped by the caller to this plugin and organization. */
  resolveSecret(name: string): Promise<string>;
  /**
   * `true`: private, loopback and link-local addresses may be reached (cloud metadata addresses
   * never); a list: only these hostnames may resolve to such addresses. Default: none.
   */
  allowPrivateAddresses?: boolean | readonly string[];
  /** Plain http as well as https (for local development and tests). */
  allowHttp?: boolean;
  /** For the whole request, redirects included (default 10 s). */
  timeoutMs?: number;
  /** The response body, after decompression (default 2 MB). */
  maxResponseBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** DNS, `dns.lookup`'s callback form (tests inject answers). */
  lookup?: LookupImpl;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Set by the host (or meaningless across a proxy); silently left out, as browsers do. */
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-authorization', 'proxy-connection']);
/** Not sent to another origin after a redirect (as fetch does), nor anything carrying a secret. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie']);

/** Sockets made through the strict lookup only; permissive bridges do not share them. */
const strictAgents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };

class FetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchError';
  }
}

/**
 * `permissions.network` as a predicate: exact names, `*.example.com` for its subdomains, `*` for
 * any host (generic connectors; the address checks still refuse private and metadata addresses).
 */
function hostRules(allowed: readonly string[]): (host: string) => boolean {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  let any = false;
  for (const raw of allowed) {
    const rule = raw.trim().toLowerCase().replace(/\.$/, '');
    if (rule === '*') any = true;
    else if (rule.startsWith('*.')) suffixes.push(rule.slice(1));
    else if (rule) exact.add(rule);
  }
  return (host) => {
    const name = host.toLowerCase().replace(/\.$/, '');
    return any || exact.has(name) || suffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length);
  };
}

/** Parses a host template's URL before its host is known; never connected to. */
const STAND_IN_HOST = 'secret-host.invalid';

interface Prepared {
  url: URL; method: string; headers: Record<string, string>; body: Buffer | undefined;
  /** A secret was filled into the body: it is not re-sent to another origin on a redirect. */
  bodyHasSecret: boolean;
}

/** Checks the request's shape and fills in its secrets; nothing is sent yet. */
async function prepare(request: FetchRequest, secrets: CallSecrets): Promise<Prepared> {
  if (!request || typeof request !== 'object') throw new FetchError('ctx.fetch expects { url, method?, headers?, body? }');
  if (typeof request.url !== 'string' || request.url.length > 8192) throw new FetchError('ctx.fetch: url must be a string of at most 8192 characters');
  // A host template is parsed with a stand-in host, then given the secret's value once it is
  // loaded; a secret anywhere else in the authority is refused before parsing.
  const template = secrets.hostTemplate(request.url);
  if (!template) {
    const problem = authorityProblem(request.url);
    if (problem) throw new FetchError(`ctx.fetch: ${problem}`);
  }
  let raw: URL;
  try {
    raw = new URL(template ? `${template.scheme}://${STAND_IN_HOST}${template.rest}` : request.url);
  } catch {
    throw new FetchError(`ctx.fetch: ${request.url.slice(0, 200)} is not a valid URL`);
  }
  if (raw.username || raw.password) throw new FetchError('ctx.fetch: put credentials in an Authorization header, not in the URL');
  if (secrets.namesIn(raw.host, 'url').length) throw new FetchError('ctx.fetch: a secret cannot be part of the host name; put it in the path, the query, a header or the body');
  const method = (request.method ?? 'GET').toUpperCase();
  if (!METHODS.has(method)) throw new FetchError(`ctx.fetch: method ${String(request.method).slice(0, 20)} is not allowed (use ${[...METHODS].join(', ')})`);

  const headers: Record<string, string> = {};
  if (request.headers !== undefined) {
    if (!request.headers || typeof request.headers !== 'object' || Array.isArray(request.headers)) throw new FetchError('ctx.fetch: headers must be an object of strings');
    for (const [name, value] of Object.entries(request.headers)) {
      if (!TOKEN.test(name)) throw new FetchError(`ctx.fetch: "${name.slice(0, 100)}" is not a valid header name`);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new FetchError(`ctx.fetch: header ${name} must be a string`);
      if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = String(value);
    }
  }
  let body: string | undefined;
  if (request.body !== undefined && request.body !== null) {
    if (method === 'GET' || method === 'HEAD') throw new FetchError(`ctx.fetch: a ${method} request cannot have a body`);
    if (typeof request.body === 'string') body = request.body;
    else {
      body = JSON.stringify(request.body as Json);
      headers['content-type'] ??= 'application/json';
    }
  }
  const type = headers['content-type'] ?? '';
  const bodyEncoding: SecretEncoding = typeof request.body !== 'string' || /[/+]json\b/i.test(type) ? 'json' : /x-www-form-urlencoded/i.test(type) ? 'form' : 'raw';

  const rest = raw.href.slice(raw.origin.length);
  const bodyNames = body ? secrets.namesIn(body, 'raw') : [];
  const names = [
    ...(template ? [template.name] : []),
    ...secrets.namesIn(rest, 'url'),
    ...Object.values(headers).flatMap((v) => secrets.namesIn(v, 'raw')),
    ...bodyNames,
  ];
  // Every name is checked against permissions.secrets before any is resolved.
  await secrets.load(names);
  let origin = raw.origin;
  if (template) {
    const problem = bareHostProblem(template.name, secrets.value(template.name));
    if (problem) throw new FetchError(`ctx.fetch: ${problem}`);
    origin = `${template.scheme}://${secrets.value(template.name)}`;
  }
  if (names.length) {
    for (const [name, value] of Object.entries(headers)) {
      const basic = secrets.basicTemplate(name, value);
      const filled = basic ? secrets.basic(basic.user, basic.password) : secrets.fill(value, 'raw');
      if (/[\r\n\0]/.test(filled)) throw new FetchError(`ctx.fetch: header ${name} would contain a line break (from a secret); it was not sent`);
      headers[name] = filled;
    }
    if (body) body = secrets.fill(body, bodyEncoding);
  }
  // The host's value was checked to be a bare name, so the URL's host is exactly it; the host
  // rules and address checks then run on this URL like on any other.
  const url = names.length ? new URL(origin + secrets.fill(rest, 'url')) : raw;
  return { url, method, headers, body: body === undefined ? undefined : Buffer.from(body), bodyHasSecret: bodyNames.length > 0 };
}

function decoded(response: IncomingMessage): Readable {
  switch ((response.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip': case 'x-gzip': return response.pipe(zlib.createGunzip());
    case 'deflate': return response.pipe(zlib.createInflate());
    case 'br': return response.pipe(zlib.createBrotliDecompress());
    default: return response;
  }
}

/**
 * The `ctx.fetch` of one sandbox call. Refuses, before any byte is sent: hosts outside the
 * plugin's `permissions.network`, plain http (unless allowed), and loopback, private, link-local,
 * carrier-grade NAT, unspecified and cloud metadata addresses, whether written as literals (also
 * decimal, octal, hex and IPv4-mapped IPv6 forms, which URL parsing normalises) or reached through
 * DNS (checked inside the connection's own lookup, so the checked address is the one connected
 * to). Redirects are followed by hand (at most 5), each hop checked again; credentials (and any
 * header with a secret in it) are not carried to another origin, and a redirect to another origin
 * that would send a body with a secret in it again (307, 308) is refused. Placeholders are filled
 * in only when they carry the call's secret tag (`ctx.secret(name)` makes them,
 * `{{secret:<tag>:<name>}}`; raw, percent-encoded in the URL, JSON-escaped in JSON bodies) and
 * name a declared secret; every other placeholder-like text goes out as written. Every value is
 * scrubbed from the response (`[redacted]`) before the plugin sees it. A secret may be the whole
 * host (`https://${ctx.secret('host')}/v1`: a bare host name, then checked like any host), and an
 * `authorization` header of exactly `Basic ${ctx.secret('a')}:${ctx.secret('b')}` goes out
 * base64-encoded. The body is capped in size (streamed, the request aborted past the cap) and the
 * whole exchange in time.
 */
export function createFetchBridge(options: FetchBridgeOptions): SandboxBridges['fetch'] {
  const isAllowedHost = hostRules(options.allowedHosts);
  const secrets = new CallSecrets(options.secretTag, options.declaredSecrets, (name) => options.resolveSecret(name));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxResponseBytes ?? 2 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const privateAllowed = options.allowPrivateAddresses ?? false;
  const mayBePrivate = (hostname: string, address: string) => !isMetadataAddress(address)
    && (privateAllowed === true || (Array.isArray(privateAllowed) && privateAllowed.includes(hostname.toLowerCase())));
  const lookup = checkedLookup(mayBePrivate, options.lookup);
  const strict = privateAllowed === false || (Array.isArray(privateAllowed) && privateAllowed.length === 0);

  function checkTarget(url: URL): void {
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp)) {
      throw new FetchError(`Plugins may only fetch over https (${url.protocol}//${url.host} was refused)`);
    }
    if (url.username || url.password) throw new FetchError('A URL with a user name or password was refused');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!isAllowedHost(host)) {
      throw new FetchError(`Host ${host} is not in this plugin's permissions.network (allowed: ${options.allowedHosts.join(', ') || 'none'})`);
    }
    if (isIP(host)) {
      const reason = blockedAddressReason(host);
      if (reason && !mayBePrivate(host, host)) throw new FetchError(`${host} is ${reason}, which plugins may not reach`);
    }
  }

  function send(prepared: Prepared, signal: AbortSignal): Promise<IncomingMessage> {
    const { url } = prepared;
    return new Promise((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: prepared.method,
        headers: { ...prepared.headers, ...(prepared.body ? { 'content-length': String(prepared.body.length) } : {}) },
        lookup,
        agent: strict ? strictAgents[url.protocol as 'http:' | 'https:'] : false,
        signal,
      }, resolve);
      request.on('error', reject);
      request.end(prepared.body);
    });
  }

  async function read(response: IncomingMessage, host: string, method: string): Promise<Buffer> {
    if (method === 'HEAD') {
      response.resume();
      return Buffer.alloc(0);
    }
    const declared = Number(response.headers['content-length']);
    const tooLarge = () => new FetchError(`The response from ${host} is larger than ${maxBytes} bytes`);
    if (declared > maxBytes && !response.headers['content-encoding']) {
      response.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stream = decoded(response);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (error) {
      response.destroy();
      stream.destroy();
      if (error instanceof FetchError) throw error;
      throw new FetchError(`The response from ${host} could not be read: ${(error as Error).message}`);
    }
    return Buffer.concat(chunks);
  }

  async function exchange(request: FetchRequest, signal: AbortSignal): Promise<FetchResponse> {
    const prepared = await prepare(request, secrets);
    for (let hop = 0; ; hop++) {
      const host = prepared.url.host;
      try {
        checkTarget(prepared.url);
      } catch (error) {
        if (hop === 0) throw error;
        throw new FetchError(`Redirect to ${prepared.url.origin} refused: ${(error as Error).message}`);
      }
      let response: IncomingMessage;
      try {
        response = await send(prepared, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        const message = (error as Error).message;
        throw new FetchError(hop === 0 ? `Request to ${host} failed: ${message}` : `Redirect to ${prepared.url.origin} failed: ${message}`);
      }
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location) {
        response.resume();
        if (hop >= maxRedirects) throw new FetchError(`Too many redirects (more than ${maxRedirects}) from ${request.url.slice(0, 200)}`);
        let next: URL;
        try {
          next = new URL(location, prepared.url);
        } catch {
          throw new FetchError(`${host} redirected to an invalid URL`);
        }
        if (next.origin !== prepared.url.origin) {
          for (const [name, value] of Object.entries(prepared.headers)) {
            if (CREDENTIAL_HEADERS.has(name) || secrets.carries(value)) delete prepared.headers[name];
          }
        }
        if ((status === 303 && prepared.method !== 'HEAD') || ((status === 301 || status === 302) && prepared.method === 'POST')) {
          prepared.method = 'GET';
          prepared.body = undefined;
          prepared.bodyHasSecret = false;
          delete prepared.headers['content-type'];
        }
        // A 307/308 (or a 301/302 of a PUT, say) sends the body again: one with a secret in it
        // stays with the origin it was meant for, like the credential headers.
        if (next.origin !== prepared.url.origin && prepared.body && prepared.bodyHasSecret) {
          throw new FetchError(`Redirect to ${next.origin} refused: it would send the request body, which has a secret in it, to another origin`);
        }
        prepared.url = next;
        continue;
      }
      const body = await read(response, host, prepared.method);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = secrets.scrub(Array.isArray(value) ? value.join(', ') : value);
      }
      const text = secrets.scrub(body.toString('utf8'));
      let json: Json | null = null;
      if (text.trim()) {
        try {
          json = JSON.parse(text) as Json;
        } catch {
          json = null;
        }
      }
      return { status, ok: status >= 200 && status < 300, headers, text, json };
    }
  }

  return async function fetch(request: FetchRequest): Promise<FetchResponse> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await exchange(request, signal);
    } catch (error) {
      const message = signal.aborted
        ? `The request to ${safeHost(request, secrets)} took longer than ${timeoutMs} ms`
        : (error as Error).message;
      // Whatever a server or Node put into the message, the plugin does not get a secret from it.
      throw new FetchError(secrets.scrub(message));
    }
  };
}

function safeHost(request: FetchRequest, secrets: CallSecrets): string {
  // A host that is a secret is not named.
  if (typeof request.url === 'string' && secrets.hostTemplate(request.url)) return REDACTED;
  try {
    return new URL(request.url).host;
  } catch {
    return 'the server';
  }
}
