import { base64Decode, base64Encode, latin1Decode, utf8Decode, utf8Encode } from './encoding.ts';

/** RFC 5322 messages: building one to send, and reading the parts Gmail hands back. */

export interface OutgoingMessage {
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
}

const CRLF = '\r\n';
// A plain address: no display name, no comments, nothing that could end the header line.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Addresses from a list or a comma/semicolon separated string, each checked. */
export function parseAddresses(value: string | string[] | undefined, field: string): string[] {
  if (value === undefined) return [];
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/[,;]/)).map((v) => v.trim()).filter(Boolean);
  for (const address of list) {
    if (!ADDRESS.test(address)) throw new Error(`${field}: "${address}" is not an email address (give plain addresses such as ana@example.com)`);
  }
  return list;
}

const isAscii = (text: string): boolean => /^[\x20-\x7e]*$/.test(text);

/**
 * A header value in RFC 2047 encoded words when it is not plain ASCII: `=?UTF-8?B?...?=`, each
 * word at most 75 characters and never splitting a character, folded onto continuation lines.
 */
export function encodeHeaderValue(value: string): string {
  if (isAscii(value)) return value;
  const words: number[][] = [];
  let chunk: number[] = [];
  for (const ch of value) {
    const bytes = utf8Encode(ch);
    // 45 bytes -> 60 base64 characters; with "=?UTF-8?B?" and "?=" the word stays within 75.
    if (chunk.length + bytes.length > 45) {
      words.push(chunk);
      chunk = [];
    }
    chunk.push(...bytes);
  }
  if (chunk.length) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64Encode(w)}?=`).join(`${CRLF} `);
}

/** Base64 folded at 76 characters, as RFC 2045 requires for a base64 body. */
const foldBase64 = (b64: string): string => b64.replace(/.{1,76}/g, (line) => `${line}${CRLF}`);

/**
 * The message Gmail sends (it adds From, Date and Message-ID itself): a UTF-8 text/plain body in
 * base64, so any text and any line length survive transport.
 */
export function buildMessage(message: OutgoingMessage): string {
  if (/[\r\n]/.test(message.subject)) throw new Error('The subject must be one line');
  const headers = [
    `To: ${message.to.join(', ')}`,
    ...(message.cc?.length ? [`Cc: ${message.cc.join(', ')}`] : []),
    `Subject: ${encodeHeaderValue(message.subject)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: base64',
  ];
  const body = message.body.replace(/\r?\n/g, CRLF);
  return `${headers.join(CRLF)}${CRLF}${CRLF}${foldBase64(base64Encode(utf8Encode(body)))}`;
}

/** A part of a message as Gmail's API represents it (users.messages.get, format=full). */
export interface GmailPart {
  partId?: string;
  mimeType?: string;
  filename?: string;
  headers?: { name: string; value: string }[];
  body?: { size?: number; data?: string; attachmentId?: string };
  parts?: GmailPart[];
}

export const headerOf = (part: GmailPart | undefined, name: string): string | undefined =>
  part?.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** Text from bytes in a MIME charset; anything but Latin-1 variants is read as UTF-8. */
export function decodeCharset(bytes: readonly number[], charset: string | undefined): string {
  const name = (charset ?? 'utf-8').toLowerCase();
  // windows-1252 differs from Latin-1 only in 0x80-0x9f (curly quotes, dashes): close enough to read.
  return ['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252'].includes(name) ? latin1Decode(bytes) : utf8Decode(bytes);
}

const charsetOf = (contentType: string | undefined): string | undefined => /charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?ISO-8859-1?Q?...?=`) in a header value. */
export function decodeHeaderValue(value: string): string {
  // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g, '$1')
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (whole, charset: string, encoding: string, text: string) => {
      try {
        const bytes = encoding.toUpperCase() === 'B' ? base64Decode(text) : quotedPrintableWordBytes(text);
        return decodeCharset(bytes, charset.replace(/\*.*$/, ''));
      } catch {
        return whole;
      }
    });
}

function quotedPrintableWordBytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...utf8Encode(ch));
  }
  return bytes;
}

const isAttachment = (part: GmailPart): boolean =>
  Boolean(part.filename) || Boolean(part.body?.attachmentId) || /^\s*attachment/i.test(headerOf(part, 'Content-Disposition') ?? '');

/** Depth first, the first inline part of `mimeType` that carries data. */
function findPart(part: GmailPart, mimeType: string): GmailPart | undefined {
  if (part.mimeType?.toLowerCase() === mimeType && !isAttachment(part) && part.body?.data !== undefined) return part;
  for (const child of part.parts ?? []) {
    const found = findPart(child, mimeType);
    if (found) return found;
  }
  return undefined;
}

/** Gmail hands bodies over already transfer-decoded, as base64url of the raw bytes. */
function partText(part: GmailPart): string {
  return decodeCharset(base64Decode(part.body?.data ?? ''), charsetOf(headerOf(part, 'Content-Type')));
}

/** Readable text from HTML: tags dropped, block ends as line breaks, common entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/gi, ' ').replace(/&lt;/gi, '<').replace(/&gt;/gi, '>').replace(/&quot;/gi, '"').replace(/&#39;|&apos;/gi, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Math.min(Number(n), 0x10ffff)))
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The message's text: its text/plain part, else its HTML part as text, else nothing. */
export function messageText(payload: GmailPart): { text: string; format: 'text' | 'html' | 'none' } {
  const plain = findPart(payload, 'text/plain');
  if (plain) return { text: partText(plain), format: 'text' };
  const html = findPart(payload, 'text/html');
  if (html) return { text: htmlToText(partText(html)), format: 'html' };
  return { text: '', format: 'none' };
}

/** The message's attachments: name, type and size (their content is not fetched). */
export function attachments(payload: GmailPart): { filename: string; mimeType: string; size: number }[] {
  const found: { filename: string; mimeType: string; size: number }[] = [];
  const walk = (part: GmailPart) => {
    if (part.filename && isAttachment(part)) found.push({ filename: part.filename, mimeType: part.mimeType ?? 'application/octet-stream', size: part.body?.size ?? 0 });
    for (const child of part.parts ?? []) walk(child);
  };
  walk(payload);
  return found;
}
