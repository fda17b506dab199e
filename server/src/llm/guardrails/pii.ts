/**
 * PII detection and redaction for prompts and answers: e-mail addresses, phone numbers, payment
 * cards, IBANs and US social security numbers.
 *
 * Everything is found with hand-written scanners rather than big regular expressions, so the
 * work stays linear in the input however hostile it is (a regex like `[\w.+-]+@…` retried at
 * every position of a long run is quadratic). Numbers use checksums and shapes to keep false
 * positives (years, prices, order numbers, dates, versions, IP addresses) out.
 */

export type PiiKind = 'email' | 'phone' | 'card' | 'iban' | 'ssn';

/** One finding: `text.slice(start, end)` is the PII. */
export interface PiiMatch { kind: PiiKind; start: number; end: number }

const PLACEHOLDERS: Record<PiiKind, string> = { email: '[EMAIL]', phone: '[PHONE]', card: '[CARD]', iban: '[IBAN]', ssn: '[SSN]' };

/** When findings overlap, the more specific (better validated) kind names the merged span. */
const PRIORITY: Record<PiiKind, number> = { email: 5, iban: 4, card: 3, ssn: 2, phone: 1 };

/** Every PII finding in `text`, sorted by position and never overlapping. */
export function findPii(text: string): PiiMatch[] {
  return mergeOverlaps([...findEmails(text), ...findIbans(text), ...findNumberPii(text)]);
}

/** `text` with each finding replaced by its placeholder, and the kinds found (each once). */
export function redactPii(text: string): { text: string; found: PiiKind[] } {
  const matches = findPii(text);
  if (matches.length === 0) return { text, found: [] };
  let out = '';
  let last = 0;
  const found = new Set<PiiKind>();
  for (const m of matches) {
    out += text.slice(last, m.start) + PLACEHOLDERS[m.kind];
    last = m.end;
    found.add(m.kind);
  }
  return { text: out + text.slice(last), found: [...found] };
}

/**
 * Overlapping findings (a phone number inside an e-mail address, digits of an IBAN that also
 * look like a card) become one span covering both, so no fragment of either is left behind.
 */
function mergeOverlaps(matches: PiiMatch[]): PiiMatch[] {
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiMatch[] = [];
  for (const m of matches) {
    const last = out.at(-1);
    if (last && m.start < last.end) {
      last.end = Math.max(last.end, m.end);
      if (PRIORITY[m.kind] > PRIORITY[last.kind]) last.kind = m.kind;
    } else {
      out.push({ ...m });
    }
  }
  return out;
}

// ---- characters -------------------------------------------------------------------------------
// charCodeAt outside the string is NaN, which every test below rejects: no bounds checks needed.

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isDigit(c) || isLetter(c);
/** ASCII word characters only: non-Latin scripts without spaces (CJK) must not glue a number to a word. */
const isWordChar = (c: number) => isAlnum(c) || c === 95;
const DOT = 46;
const HYPHEN = 45;
const SPACE = 32;
const NBSP = 0xa0;

// ---- e-mail -----------------------------------------------------------------------------------

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;
// The usual characters of a local part (RFC 5321 allows more, but those are mostly punctuation in prose).
const isLocalChar = (c: number) => isAlnum(c) || c === DOT || c === 95 || c === 37 || c === 43 || c === HYPHEN;
const isDomainChar = (c: number) => isAlnum(c) || c === DOT || c === HYPHEN;

/** Anchors on each '@' and scans a bounded distance either side: linear in the input. */
function findEmails(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (at - start < LOCAL_MAX && isLocalChar(text.charCodeAt(start - 1))) start--;
    if (isLocalChar(text.charCodeAt(start - 1))) continue; // a local part longer than 64: not an address
    while (start < at && text.charCodeAt(start) === DOT) start++; // a local part cannot start with a dot
    if (start === at) continue;
    const end = domainEnd(text, at + 1);
    if (end !== -1) out.push({ kind: 'email', start, end });
  }
  return out;
}

/** The end of the domain starting at `from`, or -1 if there is no plausible `label.tld` there. */
function domainEnd(text: string, from: number): number {
  let end = from;
  while (end - from < DOMAIN_MAX && isDomainChar(text.charCodeAt(end))) end++;
  while (end > from && text.charCodeAt(end - 1) === HYPHEN) end--;
  const labels = text.slice(from, end).split('.');
  // An empty label ("a..b", or the full stop ending a sentence) ends the domain.
  const empty = labels.indexOf('');
  if (empty !== -1) labels.length = empty;
  // The top-level domain starts with a letter: "bob@10.0.0.1" is not an address.
  while (labels.length >= 2 && !isTld(labels.at(-1) ?? '')) labels.pop();
  if (labels.length < 2) return -1;
  return from + labels.join('.').length;
}

const isTld = (label: string) => label.length >= 2 && isLetter(label.charCodeAt(0));

// ---- IBAN -------------------------------------------------------------------------------------

/** IBAN length by country (SWIFT IBAN registry). The length makes the spaced form unambiguous. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28,
  LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24,
  SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** IBANs, compact or in groups of four, any case, verified by length and the mod-97 checksum. */
function findIbans(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (let i = 0; i + 4 <= text.length; i++) {
    if (!isLetter(text.charCodeAt(i)) || isWordChar(text.charCodeAt(i - 1))) continue;
    if (!isLetter(text.charCodeAt(i + 1)) || !isDigit(text.charCodeAt(i + 2)) || !isDigit(text.charCodeAt(i + 3))) continue;
    const length = IBAN_LENGTHS[String.fromCharCode(text.charCodeAt(i) & ~32, text.charCodeAt(i + 1) & ~32)];
    if (length === undefined) continue;
    let count = 0;
    let p = i;
    while (count < length) {
      const c = text.charCodeAt(p);
      if (isAlnum(c)) {
        count++;
        p++;
      } else if ((c === SPACE || c === NBSP) && count % 4 === 0 && isAlnum(text.charCodeAt(p + 1))) {
        p++; // the printed form groups by four
      } else {
        break;
      }
    }
    if (count !== length || isWordChar(text.charCodeAt(p)) || !ibanChecksumOk(text.slice(i, p).replace(/[ \u00a0]/g, ''))) continue;
    out.push({ kind: 'iban', start: i, end: p });
    i = p - 1;
  }
  return out;
}

/** ISO 7064 mod 97-10: move the first four characters to the end, letters become 10..35, remainder 1. */
function ibanChecksumOk(iban: string): boolean {
  const s = (iban.slice(4) + iban.slice(0, 4)).toUpperCase();
  let rest = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (isDigit(c)) rest = (rest * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rest = (rest * 100 + (c - 55)) % 97;
    else return false;
  }
  return rest === 1;
}

// ---- numbers: cards, SSNs, phones -------------------------------------------------------------

/**
 * A run of digit groups joined by short separators ("+1 (555) 123-4567", "4111 1111 1111 1111").
 * `seps[k]` is the text between group k-1 and group k (`seps[0]` is empty).
 */
interface Chain {
  groups: { start: number; end: number }[];
  seps: string[];
  /** The first group follows a '+' (an international number)… */
  plus: boolean;
  /** …or a '(' (an area code, or "(+44)"). */
  paren: boolean;
  /** Where the chain starts, its '+' and '(' included, and where its last group ends. */
  start: number;
  end: number;
}

const SEPARATOR_CHARS = new Set([' ', '-', '.', '(', ')', '\u00a0']);
const SEPARATORS = new Set([' ', '-', '.', '\u00a0', ')', ') ', ')-', ').', '(', ' (', '-(']);
const MAX_SEPARATOR = 3;

/** Splits the text into digit chains in one pass. */
function findChains(text: string): Chain[] {
  const chains: Chain[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const before = text[i - 1];
    const plus = before === '+';
    // "(555) …", and "(+44) …" where the country code is the parenthesised group.
    const paren = before === '(' || (plus && text[i - 2] === '(');
    const chain: Chain = { groups: [], seps: [''], plus, paren, start: i - (plus ? 1 : 0) - (paren ? 1 : 0), end: i };
    let p = i;
    for (;;) {
      let q = p;
      while (isDigit(text.charCodeAt(q))) q++;
      chain.groups.push({ start: p, end: q });
      let s = q;
      while (s - q < MAX_SEPARATOR && s < text.length && SEPARATOR_CHARS.has(text.charAt(s))) s++;
      const sep = text.slice(q, s);
      if (isDigit(text.charCodeAt(s)) && SEPARATORS.has(sep)) {
        chain.seps.push(sep);
        p = s;
        continue;
      }
      chain.end = q;
      i = q;
      break;
    }
    chains.push(chain);
  }
  return chains;
}

/**
 * A chain glued to a word ("ID4111…", "abc-555-123-4567", "v1.2.3") is an identifier, not PII.
 * A hyphen between them still glues; a full stop does not ("call 555-123-4567.Thanks").
 */
function glued(text: string, at: number, step: 1 | -1): boolean {
  const c = text.charCodeAt(at);
  return isWordChar(c) || (c === HYPHEN && isWordChar(text.charCodeAt(at + step)));
}

const hasSpace = (sep: string) => sep.includes(' ') || sep.includes('\u00a0');

/** The fewest digits of any number kind (SSNs and phones have 9). */
const MIN_NUMBER_DIGITS = 9;

/** Cards, SSNs and phones inside digit chains; each chain is claimed most specific kind first. */
function findNumberPii(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const chain of findChains(text)) {
    const g = chain.groups.length;
    if (chain.groups.reduce((n, grp) => n + grp.end - grp.start, 0) < MIN_NUMBER_DIGITS) continue;
    const digitsBefore = [0];
    for (const grp of chain.groups) digitsBefore.push((digitsBefore.at(-1) ?? 0) + grp.end - grp.start);
    const digitCount = (i: number, j: number) => (digitsBefore[j + 1] ?? 0) - (digitsBefore[i] ?? 0);
    // A finding may only begin or end where the chain meets a space (or its own ends, if not glued):
    // "1234-5678-9012-3456-7890" is one serial number, never a card plus leftovers.
    const canStart = (i: number) => (i === 0 ? !glued(text, chain.start - 1, -1) : hasSpace(chain.seps[i] ?? ''));
    const canEnd = (j: number) => (j === g - 1 ? !glued(text, chain.end, 1) : hasSpace(chain.seps[j + 1] ?? ''));
    const claimed = Array.from({ length: g }, () => false);

    const claim = (kind: PiiKind, maxDigits: number, minDigits: number, accept: (i: number, j: number) => boolean) => {
      for (let i = 0; i < g; i++) {
        if (claimed[i] || !canStart(i)) continue;
        // Each group has at least one digit, so a finding spans at most maxDigits groups.
        let last = Math.min(g - 1, i + maxDigits - 1);
        for (let k = i; k <= last; k++) if (claimed[k]) last = k - 1;
        for (let j = last; j >= i; j--) {
          const n = digitCount(i, j);
          if (n > maxDigits) continue;
          if (n < minDigits) break;
          if (!canEnd(j) || !accept(i, j)) continue;
          claimed.fill(true, i, j + 1);
          const start = kind === 'phone' ? phoneStart(chain, i) : (chain.groups[i]?.start ?? 0);
          out.push({ kind, start, end: chain.groups[j]?.end ?? 0 });
          i = j;
          break;
        }
      }
    };
    const digitsOf = (i: number, j: number) => text.slice(chain.groups[i]?.start, chain.groups[j]?.end).replace(/\D/g, '');
    claim('card', 19, 13, (i, j) => isCard(chain, i, j, digitsOf(i, j)));
    claim('ssn', 9, 9, (i, j) => isSsn(text, chain, i, j));
    claim('phone', 15, 9, (i, j) => isPhone(text, chain, i, j, digitCount(i, j)));
  }
  return out;
}

/** Where a phone number starting at group i begins: its '+' or '(' included. */
const phoneStart = (chain: Chain, i: number) => (i === 0 ? chain.start : (chain.groups[i]?.start ?? 0) - (opensParen(chain, i) ? 1 : 0));
/** Group i follows an opening parenthesis. */
const opensParen = (chain: Chain, i: number) => (i === 0 ? chain.paren : (chain.seps[i] ?? '').endsWith('('));

/** 13–19 digits, separated (if at all) by spaces or hyphens, passing the Luhn check. */
function isCard(chain: Chain, i: number, j: number, digits: string): boolean {
  if (i === 0 && chain.plus) return false; // "+49151…" is a phone number whatever its checksum
  for (let k = i + 1; k <= j; k++) if (!CARD_SEPARATORS.has(chain.seps[k] ?? '')) return false;
  return digits[0] !== '0' && luhnOk(digits);
}
const CARD_SEPARATORS = new Set([' ', '-', '\u00a0']);

function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = digits.charCodeAt(digits.length - 1 - k) - 48;
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** AAA-GG-SSSS with the never-issued ranges excluded: area 000, 666, 9xx; group 00; serial 0000. */
function isSsn(text: string, chain: Chain, i: number, j: number): boolean {
  if (j !== i + 2 || (i === 0 && chain.plus) || opensParen(chain, i)) return false;
  if (chain.seps[i + 1] !== '-' || chain.seps[i + 2] !== '-') return false;
  const [a, g, s] = [chain.groups[i], chain.groups[i + 1], chain.groups[j]].map((grp) => (grp ? text.slice(grp.start, grp.end) : ''));
  if (a?.length !== 3 || g?.length !== 2 || s?.length !== 4) return false;
  return a !== '000' && a !== '666' && a[0] !== '9' && g !== '00' && s !== '0000';
}

/**
 * A phone number has 9–15 digits (E.164's maximum) and a phone-like shape:
 *  - international: "+CC …" in any grouping;
 *  - an area code in parentheses: "(555) 123-4567", "(020) 7946 0958";
 *  - North American: "555-123-4567", "1 555 123 4567";
 *  - national with a trunk zero (most of Europe): "020 7946 0958", "01 23 45 67 89".
 * A bare run of digits without '+' is left alone: it is far more often an id or a timestamp.
 */
function isPhone(text: string, chain: Chain, i: number, j: number, digits: number): boolean {
  const plus = i === 0 && chain.plus;
  const sizes: number[] = [];
  for (let k = i; k <= j; k++) sizes.push((chain.groups[k]?.end ?? 0) - (chain.groups[k]?.start ?? 0));
  const seps = chain.seps.slice(i + 1, j + 1);

  // Parentheses may wrap one group: the first ("(555) 123", "(+44) 20") or the one after a country code ("+44 (0)20").
  let parenGroup = opensParen(chain, i) ? 0 : -1;
  if (parenGroup === 0 && !seps[0]?.startsWith(')')) return false;
  const uniform: string[] = [];
  for (let k = 0; k < seps.length; k++) {
    const sep = seps[k] ?? '';
    const opens = sep.endsWith('(');
    const closes = sep.startsWith(')');
    if (opens) {
      if (parenGroup !== -1 || !plus || k !== 0 || !seps[1]?.startsWith(')')) return false;
      parenGroup = 1;
    } else if (closes) {
      if (parenGroup !== k) return false;
    } else if (k > 0) {
      uniform.push(sep); // the separator after a country or area code may differ from the rest
    }
  }
  if (uniform.some((s) => s !== uniform[0])) return false;

  if (seps.includes('.')) {
    // Dotted numbers are mostly versions, decimals and IP addresses.
    if (seps.length === 3 && sizes.every((n) => n <= 3)) return false;
    if (sizes.some((n, k) => (n < 2 && !(k === 0 && plus)) || n > 4)) return false;
  }
  if (plus) return true;
  if (parenGroup === 0) return digits <= 12;
  if (seps.length === 0) return false;
  const first = text.charCodeAt(chain.groups[i]?.start ?? 0) - 48;
  const shape = sizes.join(',');
  if (shape === '3,3,4' && first >= 2) return true;
  if (shape === '1,3,3,4' && first === 1) return true;
  // A trunk 0 is followed by an area code, never by another 0 (00 dials abroad).
  const second = text.charCodeAt((chain.groups[i]?.start ?? 0) + 1) - 48;
  return first === 0 && second > 0 && (sizes[0] ?? 0) >= 2 && digits >= 10 && digits <= 12;
}
