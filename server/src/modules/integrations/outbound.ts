import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { hostAllowed } from '@agentflow/plugin-sdk/manifest';
import { BlockedAddressError, blockedAddressReason, checkedLookup, isMetadataAddress } from '../../lib/network.ts';

/**
 * Requests the server makes to URLs a plugin author chose (OAuth token endpoints, test URLs).
 * The same rule as organizations' provider base URLs (ALLOW_PRIVATE_PROVIDER_URLS): unless the
 * server allows private addresses, the URL must be https and every address its host resolves to
 * must be public; cloud metadata addresses are refused even when private ones are allowed. The
 * check runs in the connection's own DNS lookup (`checkedLookup`), so the address checked is the
 * address connected to (a host that answers differently the second time gains nothing), and IP
 * literals (also decimal, octal and IPv4-mapped IPv6 forms, which URL parsing normalises) are
 * checked before connecting. Redirects are never followed.
 */
export interface OutboundPolicy {
  /** Plain http and private, loopback and link-local addresses are allowed (metadata ones never). */
  allowPrivate: boolean;
  /**
   * The plugin's `permissions.network`, for URLs that carry the organization's credentials (token
   * and test URLs): their host must be one the installer consented to. validateManifest already
   * requires it of every published version; this holds for anything stored before that rule.
   */
  allowedHosts?: readonly string[];
}

export class OutboundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

const PRIVATE_HINT = 'this server does not allow that (ALLOW_PRIVATE_PROVIDER_URLS)';

/** Parses and checks a URL a plugin declared; `what` names it in errors ("Slack's token URL"). */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError(`${what} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPrivate)) {
    throw new OutboundError(`${what} must use https (${url.protocol.replace(/:$/, '')} is allowed only when ALLOW_PRIVATE_PROVIDER_URLS is on)`);
  }
  if (url.username || url.password) throw new OutboundError(`${what} must not carry a user name or password`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (policy.allowedHosts && !hostAllowed(host, policy.allowedHosts)) {
    throw new OutboundError(`${what} points at ${host}, a host the plugin's network permissions do not cover (${policy.allowedHosts.join(', ') || 'none'}): nothing is sent there`);
  }
  const reason = isIP(host) ? blockedAddressReason(host) : undefined;
  if (reason && !allowed(policy, host)) throw new OutboundError(`${what} points at ${host}, ${reason}; ${isMetadataAddress(host) ? 'that is never allowed' : PRIVATE_HINT}`);
  return url;
}

const allowed = (policy: OutboundPolicy, address: string) => policy.allowPrivate && !isMetadataAddress(address);

export interface OutboundRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  contentType: string;
  text: string;
  /** The body parsed as JSON (or as a form, which some token endpoints answer with), else null. */
  data: Record<string, unknown> | null;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** One request, no redirects followed, the answer capped in size and time. */
export function sendOutbound(url: URL, request: OutboundRequest, policy: OutboundPolicy, limits: { timeoutMs?: number; maxBytes?: number } = {}): Promise<OutboundResponse> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? MAX_RESPONSE_BYTES;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const fail = (err: unknown) => reject(err instanceof OutboundError ? err
      : err instanceof BlockedAddressError ? new OutboundError(`${err.message} (ALLOW_PRIVATE_PROVIDER_URLS)`)
      : new OutboundError(describeNetworkError(url, err, timeoutMs)));
    const req = client.request(url, {
      method: request.method,
      headers: { 'user-agent': 'AgentFlow', ...request.headers, ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}) },
      lookup: checkedLookup((_host, address) => allowed(policy, address)),
      // No pooled sockets: each request resolves (and is checked) afresh. These calls are rare.
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy();
          fail(new OutboundError(`${url.host} answered with more than ${Math.round(maxBytes / 1024)} KB`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = String(res.headers['content-type'] ?? '');
        resolve({ status: res.statusCode ?? 0, contentType, text, data: parseBody(text, contentType) });
      });
    });
    req.on('error', fail);
    req.end(request.body);
  });
}

function describeNetworkError(url: URL, err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'ABORT_ERR') return `${url.host} did not answer within ${timeoutMs / 1000} s`;
  const code = e?.code ?? e?.cause?.code;
  return `Could not reach ${url.host}${code ? ` (${code})` : ''}`;
}

function parseBody(text: string, contentType: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : null;
    } catch {
      return null;
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(trimmed));
  return null;
}
