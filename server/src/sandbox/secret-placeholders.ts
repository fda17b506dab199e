/**
 * The placeholders of one sandbox call in its outgoing requests, filled in on the host so the
 * plugin never holds a value, and the values scrubbed from what comes back.
 *
 * Placeholders are unforgeable: `ctx.secret(name)` returns `{{secret:<tag>:<name>}}` with the
 * call's random tag (plugin-sdk/src/host/secret-tag.ts), and only that form is filled in.
 * Anything else shaped like a placeholder (`{{secret:<name>}}` written into the tool's input by a
 * model under prompt injection, a guessed tag, another call's tag) is plain text and is sent as
 * written: it names no secret, so there is nothing to fill or refuse. Values come back as
 * `[redacted]`, never as a placeholder, so an echoed response cannot be sent again to be filled.
 */
import { PLACEHOLDER_LIKE, secretPatterns, type SecretPatterns } from '@agentflow/plugin-sdk/host';

/** What secret values (and their encodings) turn into in anything the plugin gets back. */
export const REDACTED = '[redacted]';

/** Scrubbing very short values would mangle every response and hide nothing. */
const MIN_SCRUBBED_LENGTH = 4;

export type Encoding = 'url' | 'raw' | 'json' | 'form';

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

export interface HostTemplate { scheme: 'http' | 'https'; name: string; rest: string }

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

function encode(value: string, encoding: Encoding): string {
  switch (encoding) {
    case 'url': case 'form': return encodeURIComponent(value);
    case 'json': return JSON.stringify(value).slice(1, -1);
    case 'raw': return value;
  }
}

/**
 * The secrets of one sandbox call: only placeholders with the call's tag count, only declared
 * names resolve (so a plugin cannot name another plugin's or organization's secret:
 * `resolveSecret` is already scoped to its own, and anything undeclared is refused before a
 * request is made), each resolved once.
 */
export class CallSecrets {
  private readonly patterns: SecretPatterns;
  private readonly values = new Map<string, Promise<string>>();
  private readonly known = new Map<string, string>();
  /** Values made from secrets (a basic auth pair). */
  private readonly derived = new Set<string>();

  /** `tag`: the call's secret tag, the one its `ctx.secret` puts into placeholders. */
  constructor(
    tag: string,
    private readonly declared: readonly string[],
    private readonly resolve: (name: string) => Promise<string>,
  ) {
    this.patterns = secretPatterns(tag);
  }

  /** The names of this call's placeholders in `text` (`url`: percent-encoded ones too). */
  namesIn(text: string, encoding: Encoding): string[] {
    return [...text.matchAll(encoding === 'url' ? this.patterns.url : this.patterns.raw)].map((m) => m[1]!);
  }

  /**
   * `https://{{secret:<tag>:<name>}}` (or `http://`) followed by `/`, `?`, `#` or the end: the one
   * place a secret may stand in a URL's authority, as the whole host. An integration can then fix
   * where its credentials go (the plugin names the host, an admin sets it). Written exactly so: a
   * port, a backslash or anything else right after the placeholder does not make a host template.
   */
  hostTemplate(url: string): HostTemplate | undefined {
    const m = this.patterns.hostTemplate.exec(url);
    if (!m) return undefined;
    return { scheme: m[1]!.toLowerCase() as 'http' | 'https', name: m[2]!, rest: url.slice(m[0].length) };
  }

  /**
   * `Basic {{secret:<tag>:<user>}}:{{secret:<tag>:<password>}}`, exactly: an `authorization`
   * header the host sends as `Basic base64(user:password)` (RFC 7617, UTF-8) once it has filled in
   * the secrets, since the plugin, holding only placeholders, cannot encode them.
   */
  basicTemplate(header: string, value: string): { user: string; password: string } | undefined {
    const m = header.toLowerCase() === 'authorization' ? this.patterns.basic.exec(value) : null;
    return m ? { user: m[1]!, password: m[2]! } : undefined;
  }

  /** Resolves every name, refusing undeclared ones before anything is resolved. */
  async load(names: Iterable<string>): Promise<void> {
    const unique = [...new Set(names)];
    const undeclared = unique.find((name) => !this.declared.includes(name));
    if (undeclared) {
      throw new SecretError(`Secret "${undeclared}" is not declared in this plugin's permissions.secrets (declared: ${this.declared.join(', ') || 'none'})`);
    }
    await Promise.all(unique.map(async (name) => {
      let value = this.values.get(name);
      if (!value) {
        value = this.resolve(name).then((v) => {
          if (typeof v !== 'string' || !v) throw new SecretError(`Secret "${name}" has no value`);
          return v;
        });
        this.values.set(name, value);
        value.catch(() => this.values.delete(name));
      }
      try {
        this.known.set(name, await value);
      } catch (error) {
        throw new SecretError(error instanceof SecretError ? error.message : `Secret "${name}" is not available: ${(error as Error).message}`);
      }
    }));
  }

  /** Fills this call's loaded secrets into `text`, encoded for where they go; any other text is left as is. */
  fill(text: string, encoding: Encoding): string {
    return text.replace(encoding === 'url' ? this.patterns.url : this.patterns.raw, (_, name: string) => encode(this.known.get(name)!, encoding));
  }

  /** A loaded secret's value (for the host of a host template). */
  value(name: string): string {
    return this.known.get(name)!;
  }

  /**
   * `Basic base64(user:password)` from two loaded secrets; the pair and its encoding are scrubbed
   * and never follow a redirect elsewhere.
   */
  basic(user: string, password: string): string {
    const userValue = this.known.get(user)!;
    // RFC 7617: the user-id cannot contain a colon; the server would split it at the wrong place.
    if (userValue.includes(':')) throw new SecretError(`Secret "${user}" is the user name of basic auth, which cannot contain ":"`);
    const pair = `${userValue}:${this.known.get(password)!}`;
    const encoded = Buffer.from(pair, 'utf8').toString('base64');
    this.derived.add(pair);
    return `Basic ${encoded}`;
  }

  /**
   * The text with every loaded value (and its common encodings) replaced by `[redacted]`: never by
   * a placeholder, which the plugin could send again to have it filled in.
   */
  scrub(text: string): string {
    const forms = new Set<string>();
    const add = (value: string) => {
      if (value.length < MIN_SCRUBBED_LENGTH) return;
      const escaped = JSON.stringify(value).slice(1, -1);
      // As sent, URL-encoded, escaped in a JSON string (slashes too, as some servers write them), base64.
      for (const form of [value, encodeURIComponent(value), escaped, escaped.replaceAll('/', '\\/'), Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')]) forms.add(form);
    };
    for (const pair of this.derived) add(pair);
    for (const value of this.known.values()) add(value);
    // Longest first, across all secrets: one value inside another is not cut in half.
    let out = text;
    for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
    return out;
  }

  get hasValues(): boolean {
    return this.known.size > 0;
  }

  /** Whether a header value carries a secret (it is not forwarded across origins on redirect). */
  carries(text: string): boolean {
    for (const value of this.known.values()) if (text.includes(value)) return true;
    for (const pair of this.derived) if (text.includes(Buffer.from(pair, 'utf8').toString('base64'))) return true;
    return false;
  }
}
