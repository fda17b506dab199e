/**
 * UTF-8 and base64 in plain JavaScript: plugin code runs in a bare V8 isolate, which has no
 * TextEncoder, TextDecoder, btoa, atob or Buffer.
 */

/** The UTF-8 bytes of a string (a lone surrogate becomes U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      code = 0xfffd;
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return bytes;
}

/**
 * Text from UTF-8 bytes; malformed sequences become U+FFFD exactly as TextDecoder does (the
 * WHATWG Encoding Standard's decoder: one replacement per maximal invalid subpart).
 */
export function utf8Decode(bytes: readonly number[]): string {
  const units: number[] = [];
  let out = '';
  const emit = (code: number) => {
    if (code >= 0x10000) units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff));
    else units.push(code);
    if (units.length > 8192) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  };
  let code = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (needed === 0) {
      if (b <= 0x7f) emit(b);
      else if (b >= 0xc2 && b <= 0xdf) { needed = 1; code = b & 0x1f; }
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0; // overlong
        if (b === 0xed) upper = 0x9f; // surrogates
        needed = 2;
        code = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90; // overlong
        if (b === 0xf4) upper = 0x8f; // beyond U+10FFFF
        needed = 3;
        code = b & 0x07;
      } else emit(0xfffd);
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is one error; this byte starts afresh.
      code = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      emit(0xfffd);
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    code = (code << 6) | (b & 0x3f);
    if (++seen === needed) {
      emit(code);
      code = needed = seen = 0;
    }
  }
  if (needed) emit(0xfffd);
  return out + String.fromCharCode(...units);
}

/** Text from single-byte ISO-8859-1 (Latin-1) bytes. */
export function latin1Decode(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.slice(i, i + 8192));
  return out;
}

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map<string, number>([...STANDARD].map((c, i) => [c, i]));
for (const [i, c] of [...URL_SAFE].entries()) VALUES.set(c, i);

/** Base64 of bytes: standard with `=` padding, or base64url (RFC 4648 §5) without padding. */
export function base64Encode(bytes: readonly number[], urlSafe = false): string {
  const alphabet = urlSafe ? URL_SAFE : STANDARD;
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
    out += b === undefined ? (urlSafe ? '' : '==') : alphabet[(n >> 6) & 63]! + (c === undefined ? (urlSafe ? '' : '=') : alphabet[n & 63]!);
  }
  return out;
}

/** Bytes from base64 or base64url, padded or not; whitespace is ignored. */
export function base64Decode(text: string): number[] {
  const clean = text.replace(/[\s=]+/g, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const value = VALUES.get(ch);
    if (value === undefined) throw new Error(`Not base64: unexpected character '${ch}'`);
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return bytes;
}

/** base64url of a string's UTF-8 bytes: what Gmail's `raw` field takes. */
export const base64UrlOfText = (text: string): string => base64Encode(utf8Encode(text), true);
