import { randomBytes } from 'node:crypto';

/**
 * Secret placeholders are unforgeable. The caller of a sandbox call makes a fresh random tag for
 * it (`createSecretTag()`) and gives the same tag to the call (`SandboxCall.secretTag`) and to that
 * call's fetch bridge. Inside the call `ctx.secret(name)` returns `{{secret:<tag>:<name>}}`, and
 * the bridge fills in only placeholders carrying that tag. Text that came from anywhere else (the
 * tool's input, written by a model that may have read a prompt injection or by a workflow member;
 * a response; another call's output) cannot carry it: the tag is made after the input is fixed and
 * only the guest of that one call, in its own fresh context, ever sees it. Anything else shaped
 * like a placeholder (`{{secret:<name>}}`, a guessed or stale tag) is plain text and goes out as
 * written.
 */

/** A tag: at least 16 random bytes, as lowercase hex. */
export const SECRET_TAG = /^[0-9a-f]{32,128}$/;

/** A fresh tag for one call: 16 random bytes (128 bits), hex. */
export function createSecretTag(): string {
  return randomBytes(16).toString('hex');
}

export function isSecretTag(value: unknown): value is string {
  return typeof value === 'string' && SECRET_TAG.test(value);
}

const NAME = '[A-Za-z][A-Za-z0-9_]{0,63}';

/** The placeholder `ctx.secret(name)` returns in the call with this tag. */
export function taggedPlaceholder(tag: string, name: string): string {
  return `{{secret:${tag}:${name}}}`;
}

/** Where the placeholders of one call are recognised; each captures the secret's name (two for `basic`). */
export interface SecretPatterns {
  /** As written (headers, bodies). Global. */
  raw: RegExp;
  /** As written or percent-encoded, braces and colons alike (URL paths encode braces; encodeURIComponent all of it). Global. */
  url: RegExp;
  /**
   * `https://{{secret:<tag>:<name>}}` (or `http://`) followed by `/`, `?`, `#` or the end: the one
   * place a secret may stand in a URL's authority, as the whole host. Captures the scheme, then the name.
   */
  hostTemplate: RegExp;
  /** `Basic {{secret:<tag>:<user>}}:{{secret:<tag>:<password>}}`, exactly. */
  basic: RegExp;
}

/** The patterns of the call with this tag (which must be a valid tag: it goes into them as is). */
export function secretPatterns(tag: string): SecretPatterns {
  if (!isSecretTag(tag)) throw new TypeError('a secret tag is 32 to 128 lowercase hex characters (use createSecretTag())');
  const placeholder = `\\{\\{secret:${tag}:(${NAME})\\}\\}`;
  return {
    raw: new RegExp(placeholder, 'g'),
    url: new RegExp(`(?:\\{|%7[Bb])(?:\\{|%7[Bb])secret(?::|%3[Aa])${tag}(?::|%3[Aa])(${NAME})(?:\\}|%7[Dd])(?:\\}|%7[Dd])`, 'g'),
    hostTemplate: new RegExp(`^([Hh][Tt][Tt][Pp][Ss]?):\\/\\/${placeholder}(?=[/?#]|$)`),
    basic: new RegExp(`^Basic ${placeholder}:${placeholder}$`),
  };
}

/**
 * Anything that looks like the start of a placeholder, tagged or not, written or percent-encoded:
 * never valid in a URL's authority (except as a host template), so refused there.
 */
export const PLACEHOLDER_LIKE = /(?:\{|%7B)(?:\{|%7B)secret(?::|%3A)/i;
