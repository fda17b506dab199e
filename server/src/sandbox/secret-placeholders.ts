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
 *
 * The placeholder rules themselves (matching, filling, host templates, basic auth, scrubbed
 * forms) are plugin-sdk/src/host/secret-placeholders.ts, shared with the test host's bridge; this
 * adds what only the server does: resolving declared secrets once per call.
 */
import {
  basicCredentials, basicTemplate, fillPlaceholders, hostTemplate, placeholderNames, redact, scrubbedForms,
  secretPatterns, type HostTemplate, type SecretEncoding, type SecretPatterns,
} from '@agentflow/plugin-sdk/host';

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
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
  namesIn(text: string, encoding: SecretEncoding): string[] {
    return placeholderNames(text, this.patterns, encoding);
  }

  /** The URL's host template with this call's tag (`hostTemplate` in `@agentflow/plugin-sdk/host`). */
  hostTemplate(url: string): HostTemplate | undefined {
    return hostTemplate(url, this.patterns);
  }

  /** The header's basic auth template with this call's tag (`basicTemplate` in `@agentflow/plugin-sdk/host`). */
  basicTemplate(header: string, value: string): { user: string; password: string } | undefined {
    return basicTemplate(header, value, this.patterns);
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
  fill(text: string, encoding: SecretEncoding): string {
    return fillPlaceholders(text, this.patterns, encoding, (name) => this.known.get(name)!);
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
    let credentials: { header: string; pair: string };
    try {
      credentials = basicCredentials(user, this.known.get(user)!, this.known.get(password)!);
    } catch (error) {
      // RFC 7617: the user-id cannot contain a colon; the server would split it at the wrong place.
      throw new SecretError((error as Error).message);
    }
    this.derived.add(credentials.pair);
    return credentials.header;
  }

  /**
   * The text with every loaded value (and its common encodings) replaced by `[redacted]`: never by
   * a placeholder, which the plugin could send again to have it filled in.
   */
  scrub(text: string): string {
    return redact(text, new Set([...this.derived, ...this.known.values()].flatMap(scrubbedForms)));
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
