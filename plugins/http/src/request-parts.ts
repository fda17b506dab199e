/**
 * Building blocks of an outgoing request, checked before anything leaves the sandbox. A bare V8
 * isolate has no URL or URLSearchParams, so URLs are checked and assembled by hand here.
 */

export type QueryValue = string | number | boolean | (string | number | boolean)[];

/**
 * Input comes from a model, which may have read a prompt injection. The host replaces
 * `{{secret:<name>}}` anywhere in a request, so a placeholder smuggled into a URL, header or body
 * would send the organization's credentials wherever the model was told to. None is accepted.
 */
const PLACEHOLDER_LIKE = /\{\{\s*secret\s*:/i;

/** The path (like `body.items[2]`) of the first string, or key, in `value` that looks like a secret placeholder. */
export function findPlaceholder(value: unknown, path = 'input'): string | undefined {
  if (typeof value === 'string') return PLACEHOLDER_LIKE.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findPlaceholder(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (PLACEHOLDER_LIKE.test(key)) return `${path} (a key)`;
      const found = findPlaceholder(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

// scheme://authority then the rest; the authority has no userinfo (credentials in URLs are refused).
const ABSOLUTE = /^(https?):\/\/([^/?#@\s\\]+)([/?#][^\s]*)?$/i;
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;
// Printable ASCII after the first '/', as servers expect (percent-encode anything else).
const PATH = /^\/[\x21-\x7e]*$/;

/** Where a request goes: an absolute URL, or a path on the integration's API host. */
export type Target = { kind: 'absolute'; url: string } | { kind: 'integration'; path: string };

/**
 * `https://api.example.com/v1/items` is used as is; `/v1/items` goes to the API host an admin set
 * in the integration (`send` puts it in as a secret, which the host fills in). The path must start
 * with '/' so it cannot move the request to another host (`@evil.example`, `.evil.example`).
 */
export function resolveTarget(url: string): Target {
  if (url.startsWith('/')) {
    if (url.startsWith('//')) throw new Error(`"${url}" is a scheme-relative URL: give a full https:// URL, or a path on the integration's API host such as /v1/items`);
    if (!PATH.test(url)) throw new Error('The path may only contain printable ASCII characters without spaces: percent-encode the rest');
    return { kind: 'integration', path: stripFragment(url) };
  }
  const m = ABSOLUTE.exec(url);
  if (!m) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^https?:/i.test(url)) throw new Error(`Only http(s) URLs can be requested, not "${url.split(':')[0]}:"`);
    if (/^https?:\/\/[^/?#]*@/i.test(url)) throw new Error('Credentials in the URL (user:password@host) are not allowed: use auth with the integration instead');
    throw new Error(`"${url}" is not a valid URL: give a full URL such as https://api.example.com/v1/items, or a path on the integration's API host such as /v1/items`);
  }
  const authority = m[2] ?? '';
  if (!HOST_PORT.test(authority)) throw new Error(`"${authority}" is not a valid host name`);
  const rest = m[3] ?? '';
  if (rest && !/^[/?#][\x21-\x7e]*$/.test(rest)) throw new Error('The URL may only contain printable ASCII characters without spaces: percent-encode the rest');
  return { kind: 'absolute', url: `${(m[1] ?? 'https').toLowerCase()}://${authority}${stripFragment(rest)}` };
}

// Fragments are never sent to the server; dropping one keeps the query where it belongs.
const stripFragment = (url: string): string => {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
};

/** Appends `query` (arrays repeat the key: `tag=a&tag=b`), percent-encoded, to `url`. */
export function withQuery(url: string, query: Record<string, QueryValue> | undefined): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
  }
  if (pairs.length === 0) return url;
  const separator = !url.includes('?') ? '?' : url.endsWith('?') || url.endsWith('&') ? '' : '&';
  return `${url}${separator}${pairs.join('&')}`;
}

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Set by the HTTP client from the request itself; a model supplying them can only break it.
const MANAGED_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect']);

/** A header name, lower-cased; an Error when it is not a token or is one the HTTP client sets. */
export function checkHeaderName(name: string): string {
  if (!HEADER_NAME.test(name)) throw new Error(`"${name}" is not a valid header name`);
  const lower = name.toLowerCase();
  if (MANAGED_HEADERS.has(lower)) throw new Error(`The ${lower} header is set by the HTTP client; leave it out`);
  return lower;
}

/** Headers with lower-cased names, each name and value checked (no CR/LF smuggling). */
export function checkHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = checkHeaderName(name);
    if (/[\r\n\0]/.test(value)) throw new Error(`The value of the ${name} header contains a line break`);
    out[lower] = value;
  }
  return out;
}
