/**
 * Stops credentials from leaving in a model's answer: well-known API key and token formats, JWTs,
 * PEM private keys and the organization's own secret values, each replaced by REDACTED.
 *
 * `redactCredentials` works on a whole text; `createOutputFilter` on a stream of deltas, holding
 * back any tail that could still turn out to be (part of) a credential, so a key split across
 * deltas never leaks, not even its first characters. Both run the same scanner, and the stream's
 * output equals redactCredentials of the whole text however the text was split.
 *
 * The scanners are hand-written loops over prefix hits, linear in the input: no regular
 * expression here can backtrack over more than a few dozen characters.
 */

export const REDACTED = '[REDACTED CREDENTIAL]';

/**
 * How many trailing characters the stream always holds back. It must exceed the longest partial
 * match of the bounded patterns (a PEM BEGIN line, an AgentFlow key: ~110 characters); the
 * open-ended ones (long tokens, an open PEM block, long org secrets) are held explicitly.
 */
export const HOLD = 256;

/** Org secrets shorter than this are too likely to occur in ordinary text. */
export const MIN_SECRET_LENGTH = 8;

export type CredentialKind =
  | 'openai_key' | 'anthropic_key' | 'google_api_key' | 'aws_access_key_id' | 'github_token' | 'slack_token'
  | 'stripe_key' | 'agentflow_api_key' | 'jwt' | 'private_key' | 'org_secret';

export interface OutputFilter {
  /** Takes the next delta; returns the text that is now safe to emit (possibly ''). */
  push(delta: string): string;
  /** Ends the stream: returns everything still held, redacted. The filter can then be reused. */
  flush(): string;
  /** The kinds redacted so far, each once. */
  readonly found: readonly CredentialKind[];
}

/** `text` with every credential replaced by REDACTED, and the kinds found (each once). */
export function redactCredentials(text: string, orgSecrets: readonly string[]): { text: string; found: CredentialKind[] } {
  const { spans } = scan(text, 0, compileSecrets(orgSecrets), true);
  const found = new Set<CredentialKind>();
  for (const s of spans) for (const k of s.kinds) found.add(k);
  return { text: render(text, 0, text.length, spans), found: [...found] };
}

/** `redactCredentials` over every string in a JSON value (tool-call arguments, tool output), keys included. */
export function redactCredentialsDeep<T>(value: T, orgSecrets: readonly string[]): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactCredentials(v, orgSecrets).text;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [walk(k) as string, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export function createOutputFilter(orgSecrets: readonly string[]): OutputFilter {
  const secrets = compileSecrets(orgSecrets);
  const found = new Set<CredentialKind>();
  // The last character already emitted: the scanners look one character back ("ask-…" is no key).
  let context = '';
  let buffer = '';
  // Scanning costs O(buffer), so a buffer pinned by a long open candidate is rescanned only after
  // it has grown by half, and a normal one every SCAN_STEP characters: linear overall.
  let nextScanAt = 0;

  const emit = (final: boolean): string => {
    const text = context + buffer;
    const from = context.length;
    const { spans, openAt } = scan(text, from, secrets, final);
    let cut = final ? text.length : Math.min(text.length - HOLD, openAt);
    // Spans are sorted and disjoint: at most one crosses the cut, and it is held back whole.
    const crossing = spans.find((s) => s.start < cut && s.end > cut);
    if (crossing) cut = crossing.start;
    if (cut <= from) return '';
    for (const s of spans) if (s.end <= cut) for (const k of s.kinds) found.add(k);
    const out = render(text, from, cut, spans);
    context = text.slice(cut - 1, cut);
    buffer = text.slice(cut);
    return out;
  };

  return {
    push(delta) {
      buffer += delta;
      if (buffer.length < nextScanAt) return '';
      const out = emit(false);
      nextScanAt = Math.max(HOLD + SCAN_STEP, buffer.length + Math.max(SCAN_STEP, (buffer.length - HOLD) >> 1));
      return out;
    },
    flush() {
      const out = buffer ? emit(true) : '';
      context = '';
      buffer = '';
      nextScanAt = 0;
      return out;
    },
    get found() {
      return [...found];
    },
  };
}

const SCAN_STEP = 32;

// ---- scanning ---------------------------------------------------------------------------------

/** A redacted range; overlapping findings are merged, so a span may have several kinds. */
interface Span { start: number; end: number; kinds: CredentialKind[] }

interface ScanResult {
  /** Sorted, disjoint. */
  spans: Span[];
  /**
   * Streaming only: the earliest position where a credential may be in progress, i.e. where the
   * verdict depends on text not received yet (Infinity if none). Nothing from there on is emitted.
   */
  openAt: number;
}

/**
 * Finds credentials in `text` starting at `from` (`text[from - 1]` is context only). With
 * `final` false, the text is a prefix of something longer and `openAt` is computed.
 */
function scan(text: string, from: number, secrets: readonly Secret[], final: boolean): ScanResult {
  const found: Span[] = [];
  let openAt = Infinity;
  const open = (at: number) => {
    openAt = Math.min(openAt, at);
  };
  for (const rule of TOKEN_RULES) scanToken(rule, text, from, final, found, open);
  scanJwts(text, from, final, found, open);
  scanPem(text, from, final, found, open);
  for (const secret of secrets) scanSecret(secret, text, from, final, found, open);
  return { spans: merge(found), openAt };
}

function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out.at(-1);
    // Overlapping (not merely touching) findings become one span, so no fragment escapes.
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      for (const k of s.kinds) if (!last.kinds.includes(k)) last.kinds.push(k);
    } else {
      out.push({ start: s.start, end: s.end, kinds: [...s.kinds] });
    }
  }
  return out;
}

/** `text[from, to)` with the spans inside it replaced. */
function render(text: string, from: number, to: number, spans: readonly Span[]): string {
  let out = '';
  let last = from;
  for (const s of spans) {
    if (s.end > to) break;
    out += text.slice(last, s.start) + REDACTED;
    last = s.end;
  }
  return out + text.slice(last, to);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isAlnum = (c: number) => isDigit(c) || isUpper(c) || isLower(c);
const isBase64Url = (c: number) => isAlnum(c) || c === 45 || c === 95;
const isUpperAlnum = (c: number) => isDigit(c) || isUpper(c);
const isAlnumUnderscore = (c: number) => isAlnum(c) || c === 95;
const isAlnumHyphen = (c: number) => isAlnum(c) || c === 45;

// ---- prefixed tokens --------------------------------------------------------------------------

/**
 * A token: a prefix (not preceded by a letter or digit) then a body of `body` characters whose
 * length is in [min, max]. Open-ended rules (max Infinity) must have a `valid` check that stays
 * false for any suffix of a body it rejects: the scanner skips a rejected run as a whole.
 */
interface TokenRule {
  prefix: RegExp;
  body: (c: number) => boolean;
  min: number;
  max: number;
  kind: (body: string) => CredentialKind;
  valid?: (body: string) => boolean;
}

const prefixes = (...p: string[]) => new RegExp(`(?<![A-Za-z0-9])(?:${p.join('|')})`, 'g');

/** Real keys are random: prose like "sk-learn-pipeline-v2" lacks a mix of cases and digits. */
const looksRandom = (body: string) => /\d/.test(body) && /[A-Z]/.test(body) && /[a-z]/.test(body);

const TOKEN_RULES: readonly TokenRule[] = [
  // OpenAI (sk-…, sk-proj-…, sk-svcacct-…) and Anthropic (sk-ant-…) share the prefix.
  { prefix: prefixes('sk-'), body: isBase64Url, min: 20, max: Infinity, valid: looksRandom, kind: (b) => (b.startsWith('ant-') ? 'anthropic_key' : 'openai_key') },
  { prefix: prefixes('AIza'), body: isBase64Url, min: 35, max: 35, kind: () => 'google_api_key' },
  { prefix: prefixes('AKIA', 'ASIA'), body: isUpperAlnum, min: 16, max: 16, kind: () => 'aws_access_key_id' },
  { prefix: prefixes('ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_'), body: isAlnum, min: 36, max: Infinity, kind: () => 'github_token' },
  { prefix: prefixes('github_pat_'), body: isAlnumUnderscore, min: 22, max: Infinity, kind: () => 'github_token' },
  { prefix: prefixes('xox[abpr]-'), body: isAlnumHyphen, min: 10, max: Infinity, kind: () => 'slack_token' },
  { prefix: prefixes('[sr]k_(?:live|test)_'), body: isAlnum, min: 16, max: Infinity, kind: () => 'stripe_key' },
  // afk_<12 alphanumerics>_<43 base64url>, as api-key.service.ts issues them.
  { prefix: prefixes('afk_'), body: isBase64Url, min: 56, max: 56, valid: (b) => /^[A-Za-z0-9]{12}_/.test(b), kind: () => 'agentflow_api_key' },
];

function scanToken(rule: TokenRule, text: string, from: number, final: boolean, out: Span[], open: (at: number) => void): void {
  const re = rule.prefix;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    const bodyStart = start + m[0].length;
    // One past the maximum is enough to know a fixed-length body is too long.
    const limit = Math.min(text.length, bodyStart + rule.max + 1);
    let end = bodyStart;
    while (end < limit && rule.body(text.charCodeAt(end))) end++;
    if (!final && end === text.length) {
      open(start); // the body may go on in the next delta
      return;
    }
    const body = text.slice(bodyStart, end);
    if (body.length >= rule.min && body.length <= rule.max && (rule.valid?.(body) ?? true)) {
      out.push({ start, end, kinds: [rule.kind(body)] });
      re.lastIndex = end;
    } else if (rule.max === Infinity) {
      re.lastIndex = end; // any later hit inside this run has a shorter body, rejected too
    }
  }
}

/** JWTs (and JWEs): eyJ… then at least two more '.'-separated base64url segments. */
function scanJwts(text: string, from: number, final: boolean, out: Span[], open: (at: number) => void): void {
  const re = /(?<![A-Za-z0-9])eyJ/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    let p = start;
    let segments = 0;
    for (;;) {
      while (isBase64Url(text.charCodeAt(p))) p++;
      segments++;
      if (text.charCodeAt(p) === 46 && isBase64Url(text.charCodeAt(p + 1))) {
        p++;
        continue;
      }
      break;
    }
    // Ending in a segment or a trailing '.', the token may continue in the next delta.
    if (!final && (p === text.length || (p + 1 === text.length && text.charCodeAt(p) === 46))) {
      open(start);
      return;
    }
    if (segments >= 3) out.push({ start, end: p, kinds: ['jwt'] });
    // A later "eyJ" inside this token has no more segments than it: skip it either way.
    re.lastIndex = p;
  }
}

const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY-----/g;
const PEM_END = /-----END (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY-----/g;

/** PEM private keys, BEGIN to END; a block never closed runs to the end of the text. */
function scanPem(text: string, from: number, final: boolean, out: Span[], open: (at: number) => void): void {
  PEM_BEGIN.lastIndex = from;
  for (let begin = PEM_BEGIN.exec(text); begin; begin = PEM_BEGIN.exec(text)) {
    PEM_END.lastIndex = begin.index + begin[0].length;
    const end = PEM_END.exec(text);
    if (!end) {
      if (final) out.push({ start: begin.index, end: text.length, kinds: ['private_key'] });
      else open(begin.index);
      return;
    }
    const stop = end.index + end[0].length;
    out.push({ start: begin.index, end: stop, kinds: ['private_key'] });
    PEM_BEGIN.lastIndex = stop;
  }
}

// ---- org secrets ------------------------------------------------------------------------------

/** A literal secret with its KMP failure table, to find a partial match at the end of a buffer. */
interface Secret { value: string; fail: Int32Array }

function compileSecrets(values: readonly string[]): Secret[] {
  const unique = [...new Set(values.filter((v) => v.length >= MIN_SECRET_LENGTH))];
  return unique.map((value) => {
    const fail = new Int32Array(value.length);
    for (let i = 1, k = 0; i < value.length; i++) {
      while (k > 0 && value[i] !== value[k]) k = fail[k - 1] ?? 0;
      if (value[i] === value[k]) k++;
      fail[i] = k;
    }
    return { value, fail };
  });
}

function scanSecret(secret: Secret, text: string, from: number, final: boolean, out: Span[], open: (at: number) => void): void {
  const { value, fail } = secret;
  for (let at = text.indexOf(value, from); at !== -1; at = text.indexOf(value, at + 1)) {
    out.push({ start: at, end: at + value.length, kinds: ['org_secret'] });
  }
  if (final) return;
  // The longest suffix of the text that is a proper prefix of the secret is held back.
  let k = 0;
  for (let i = Math.max(from, text.length - value.length + 1); i < text.length; i++) {
    while (k > 0 && text[i] !== value[k]) k = fail[k - 1] ?? 0;
    if (text[i] === value[k]) k++;
    if (k === value.length) k = fail[k - 1] ?? 0;
  }
  if (k > 0) open(text.length - k);
}
