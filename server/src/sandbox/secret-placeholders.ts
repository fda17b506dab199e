/**
 * `{{secret:<name>}}` placeholders in a plugin's outgoing request, filled in on the host so the
 * plugin never holds a value, and the values scrubbed from what comes back.
 */

/** The placeholder as written, or percent-encoded (URL paths encode braces; encodeURIComponent encodes all of it). */
const ENCODED = /(?:\{|%7B)(?:\{|%7B)secret(?::|%3A)([A-Za-z][A-Za-z0-9_]{0,63})(?:\}|%7D)(?:\}|%7D)/gi;
const RAW = /\{\{secret:([A-Za-z][A-Za-z0-9_]{0,63})\}\}/g;

/** Scrubbing very short values would mangle every response and hide nothing. */
const MIN_SCRUBBED_LENGTH = 4;

export type Encoding = 'url' | 'raw' | 'json' | 'form';

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

export function secretNamesIn(text: string, encoding: Encoding): string[] {
  return [...text.matchAll(encoding === 'url' ? ENCODED : RAW)].map((m) => m[1]!);
}

/**
 * `https://{{secret:<name>}}` (or `http://`) followed by `/`, `?`, `#` or the end: the one place a
 * secret may stand in a URL's authority, as the whole host. An integration can then fix where its
 * credentials go (the plugin names the host, an admin sets it). Written exactly so: a port, a
 * backslash or anything else right after the placeholder does not make a host template.
 */
const HOST_TEMPLATE = /^([Hh][Tt][Tt][Pp][Ss]?):\/\/\{\{secret:([A-Za-z][A-Za-z0-9_]{0,63})\}\}(?=[/?#]|$)/;

export interface HostTemplate { scheme: 'http' | 'https'; name: string; rest: string }

export function hostTemplate(url: string): HostTemplate | undefined {
  const m = HOST_TEMPLATE.exec(url);
  if (!m) return undefined;
  return { scheme: m[1]!.toLowerCase() as 'http' | 'https', name: m[2]!, rest: url.slice(m[0].length) };
}

/** Why a URL that is not a host template cannot be sent as written: credentials or a secret in its authority. */
export function authorityProblem(url: string): string | undefined {
  // Ends where URL parsing ends it for http(s), backslash included.
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\\]*)/.exec(url)?.[1];
  if (authority === undefined) return undefined;
  if (authority.includes('@')) return 'put credentials in an Authorization header, not in the URL';
  if (new RegExp(ENCODED.source, 'i').test(authority)) {
    return 'a secret can only be the whole host name, as in https://{{secret:<name>}}/path (a port goes into the secret\'s value), never part of the host, a port or user info';
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
 * `Basic {{secret:<user>}}:{{secret:<password>}}`, exactly: an `authorization` header the host
 * sends as `Basic base64(user:password)` (RFC 7617, UTF-8) once it has filled in the secrets,
 * since the plugin, holding only placeholders, cannot encode them.
 */
const BASIC_TEMPLATE = /^Basic \{\{secret:([A-Za-z][A-Za-z0-9_]{0,63})\}\}:\{\{secret:([A-Za-z][A-Za-z0-9_]{0,63})\}\}$/;

export function basicTemplate(header: string, value: string): { user: string; password: string } | undefined {
  const m = header.toLowerCase() === 'authorization' ? BASIC_TEMPLATE.exec(value) : null;
  return m ? { user: m[1]!, password: m[2]! } : undefined;
}

function encode(value: string, encoding: Encoding): string {
  switch (encoding) {
    case 'url': case 'form': return encodeURIComponent(value);
    case 'json': return JSON.stringify(value).slice(1, -1);
    case 'raw': return value;
  }
}

/**
 * The secrets of one sandbox call: only declared names resolve (so a plugin cannot name another
 * plugin's or organization's secret: `resolveSecret` is already scoped to its own, and anything
 * undeclared is refused before a request is made), each resolved once.
 */
export class CallSecrets {
  private readonly values = new Map<string, Promise<string>>();
  private readonly known = new Map<string, string>();
  /** Values made from secrets (a basic auth pair), with what they scrub back to. */
  private readonly derived = new Map<string, string>();

  constructor(
    private readonly declared: readonly string[],
    private readonly resolve: (name: string) => Promise<string>,
  ) {}

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

  /** Fills loaded secrets into `text`, encoded for where they go. */
  fill(text: string, encoding: Encoding): string {
    return text.replace(encoding === 'url' ? ENCODED : RAW, (_, name: string) => encode(this.known.get(name)!, encoding));
  }

  /** A loaded secret's value (for the host of a host template). */
  value(name: string): string {
    return this.known.get(name)!;
  }

  /**
   * `Basic base64(user:password)` from two loaded secrets; the pair and its encoding are scrubbed
   * (back to `{{secret:<user>}}:{{secret:<password>}}`) and never follow a redirect elsewhere.
   */
  basic(user: string, password: string): string {
    const userValue = this.known.get(user)!;
    // RFC 7617: the user-id cannot contain a colon; the server would split it at the wrong place.
    if (userValue.includes(':')) throw new SecretError(`Secret "${user}" is the user name of basic auth, which cannot contain ":"`);
    const pair = `${userValue}:${this.known.get(password)!}`;
    const encoded = Buffer.from(pair, 'utf8').toString('base64');
    this.derived.set(pair, `{{secret:${user}}}:{{secret:${password}}}`);
    return `Basic ${encoded}`;
  }

  /** The text with every loaded value (and its common encodings) turned back into its placeholder. */
  scrub(text: string): string {
    const forms = new Map<string, string>();
    const add = (value: string, placeholder: string) => {
      if (value.length < MIN_SCRUBBED_LENGTH) return;
      const escaped = JSON.stringify(value).slice(1, -1);
      // As sent, URL-encoded, escaped in a JSON string (slashes too, as some servers write them), base64.
      for (const form of [value, encodeURIComponent(value), escaped, escaped.replaceAll('/', '\\/'), Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')]) {
        if (!forms.has(form)) forms.set(form, placeholder);
      }
    };
    for (const [pair, placeholder] of this.derived) add(pair, placeholder);
    for (const [name, value] of this.known) add(value, `{{secret:${name}}}`);
    // Longest first, across all secrets: one value inside another is not cut in half.
    let out = text;
    for (const form of [...forms.keys()].sort((a, b) => b.length - a.length)) out = out.split(form).join(forms.get(form)!);
    return out;
  }

  get hasValues(): boolean {
    return this.known.size > 0;
  }

  /** Whether a header value carries a secret (it is not forwarded across origins on redirect). */
  carries(text: string): boolean {
    for (const value of this.known.values()) if (text.includes(value)) return true;
    for (const pair of this.derived.keys()) if (text.includes(Buffer.from(pair, 'utf8').toString('base64'))) return true;
    return false;
  }
}
