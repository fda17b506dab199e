/**
 * The placeholder rules of a sandbox call's fetch bridge, shared by the server's bridge
 * (server/src/sandbox/fetch-bridge.ts) and the test host's (plugin-sdk/src/testing/fetch-bridge.ts)
 * so a plugin that passes its tests behaves the same once installed: where a placeholder
 * (`ctx.secret(name)`: `{{secret:<tag>:<name>}}`, with the call's tag, see ./secret-tag.ts) may
 * stand besides the path, query, headers and body, how it is filled in, the one transformation
 * the host applies (basic auth), and how values are scrubbed from what comes back. Pure: each
 * bridge keeps its own network, address checks, secret lookup and error prefixes.
 */

import { PLACEHOLDER_LIKE, type SecretPatterns } from './secret-tag.ts';

/** What secret values (and their encodings) turn into in anything the plugin gets back. */
export const REDACTED = '[redacted]';

/** Scrubbing very short values would mangle every response and hide nothing. */
export const MIN_SCRUBBED_LENGTH = 4;

/**
 * Where a placeholder stands, so how its value is written: `url` (percent-encoded, and found
 * percent-encoded too), `form` (percent-encoded), `json` (escaped inside a JSON string), `raw`.
 */
export type SecretEncoding = 'url' | 'raw' | 'json' | 'form';

/** A secret's value as written where it goes. */
export function encodeSecret(value: string, encoding: SecretEncoding): string {
  switch (encoding) {
    case 'url': case 'form': return encodeURIComponent(value);
    case 'json': return JSON.stringify(value).slice(1, -1);
    case 'raw': return value;
  }
}

/** The names of the call's placeholders in `text` (`url`: percent-encoded ones too). */
export function placeholderNames(text: string, patterns: SecretPatterns, encoding: SecretEncoding): string[] {
  return [...text.matchAll(encoding === 'url' ? patterns.url : patterns.raw)].map((m) => m[1]!);
}

/**
 * `text` with the call's placeholders replaced by `valueOf(name)`, encoded for where they go
 * (`url`: percent-encoded placeholders too); any other text is left as is. `valueOf` may throw to
 * refuse a name.
 */
export function fillPlaceholders(text: string, patterns: SecretPatterns, encoding: SecretEncoding, valueOf: (name: string) => string): string {
  return text.replace(encoding === 'url' ? patterns.url : patterns.raw, (_match, name: string) => encodeSecret(valueOf(name), encoding));
}

export interface HostTemplate { scheme: 'http' | 'https'; name: string; rest: string }

/**
 * `https://{{secret:<tag>:<name>}}` (or `http://`) followed by `/`, `?`, `#` or the end: the one
 * place a secret may stand in a URL's authority, as the whole host. An integration can then fix
 * where its credentials go (the plugin names the host, an admin sets it). Written exactly so: a
 * port, a backslash or anything else right after the placeholder does not make a host template.
 */
export function hostTemplate(url: string, patterns: SecretPatterns): HostTemplate | undefined {
  const m = patterns.hostTemplate.exec(url);
  if (!m) return undefined;
  return { scheme: m[1]!.toLowerCase() as 'http' | 'https', name: m[2]!, rest: url.slice(m[0].length) };
}

/** Why a URL that is not a host template cannot be sent as written: credentials or a placeholder in its authority. */
export function authorityProblem(url: string): string | undefined {
  // Ends where URL parsing ends it for http(s), backslash included.
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\\]*)/.exec(url)?.[1];
  if (authority === undefined) return undefined;
  if (authority.includes('@')) return 'put credentials in an Authorization header, not in the URL';
  // Tagged or not, a placeholder is never part of a host.
  if (PLACEHOLDER_LIKE.test(authority)) {
    return 'a secret can only be the whole host name, as in https://${ctx.secret(\'host\')}/path (a port goes into the secret\'s value), never part of the host, a port or user info';
  }
  return undefined;
}

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const BARE_HOST = new RegExp(`^(${LABEL}(?:\\.${LABEL})*)(?::(\\d{1,5}))?$`);

/**
 * Why a secret's value cannot be the host of a host template, or undefined when it is a bare host
 * name (letters, digits, dashes and dots; one URL parsing accepts, so not `999.1.1.1`), optionally
 * with `:port`. The value is never quoted, so the message can go back to the plugin.
 */
export function bareHostProblem(name: string, value: string): string | undefined {
  const m = BARE_HOST.exec(value);
  if (m && m[1]!.length <= 253 && (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 65535)) && URL.canParse(`https://${value}/`)) return undefined;
  const what = /\{\{|%7B/i.test(value) ? 'it contains a placeholder'
    : /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ? 'it starts with a scheme'
      : value.includes('@') ? 'it contains user info (@)'
        : /[/?#\\]/.test(value) ? 'it contains a path, query or fragment'
          : /\s/.test(value) ? 'it contains whitespace'
            : /:\d*$/.test(value) ? 'its port is not a number from 1 to 65535'
              : 'it is not a valid host name';
  return `secret "${name}" is the URL's host, but ${what}: its value must be a bare host name such as api.example.com, optionally with :port (no scheme, path, user info or placeholder)`;
}

/**
 * `Basic {{secret:<tag>:<user>}}:{{secret:<tag>:<password>}}`, exactly: an `authorization` header
 * the host sends as `Basic base64(user:password)` (RFC 7617, UTF-8) once it has filled in the
 * secrets, since the plugin, holding only placeholders, cannot encode them.
 */
export function basicTemplate(header: string, value: string, patterns: SecretPatterns): { user: string; password: string } | undefined {
  const m = header.toLowerCase() === 'authorization' ? patterns.basic.exec(value) : null;
  return m ? { user: m[1]!, password: m[2]! } : undefined;
}

/**
 * `Basic base64(user:password)` (`header`) and the pair it encodes (`pair`, to be scrubbed like a
 * value); an Error when the user name has a colon (RFC 7617 forbids it: the server would split it
 * there). `userName`: the user's secret name, for the message.
 */
export function basicCredentials(userName: string, user: string, password: string): { header: string; pair: string } {
  if (user.includes(':')) throw new Error(`Secret "${userName}" is the user name of basic auth, which cannot contain ":"`);
  const pair = `${user}:${password}`;
  return { header: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`, pair };
}

/** Every form a value may come back in: as sent, URL-encoded, escaped in a JSON string (slashes too, as some servers write them), base64. */
export function scrubbedForms(value: string): string[] {
  if (value.length < MIN_SCRUBBED_LENGTH) return [];
  const escaped = JSON.stringify(value).slice(1, -1);
  const bytes = Buffer.from(value, 'utf8');
  return [value, encodeURIComponent(value), escaped, escaped.replaceAll('/', '\\/'), bytes.toString('base64'), bytes.toString('base64url')];
}

/**
 * `text` with every one of `forms` (from `scrubbedForms`) replaced by `[redacted]`, never by a
 * placeholder, which the plugin could send again to have it filled in. Longest first, across all
 * secrets: one value inside another is not cut in half.
 */
export function redact(text: string, forms: Iterable<string>): string {
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
  return out;
}
