import { describe, expect, it } from 'vitest';
import { buildMessage, decodeHeaderValue, encodeHeaderValue, htmlToText, parseAddresses } from './mime.ts';

/** Decodes `=?UTF-8?B?...?=` words with Node, to check what the plugin encoded. */
const nodeDecodeWords = (value: string) =>
  value.replace(/\r\n /g, '').replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

describe('encodeHeaderValue', () => {
  it('leaves ASCII alone', () => {
    expect(encodeHeaderValue('Q4 numbers (draft)')).toBe('Q4 numbers (draft)');
  });

  it('encodes other text as RFC 2047 words of at most 75 characters, never splitting a character', () => {
    const subject = 'Résumé de la réunion – prochaines étapes ✓ 😀 '.repeat(3);
    const encoded = encodeHeaderValue(subject);
    for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(nodeDecodeWords(encoded)).toBe(subject);
    expect(decodeHeaderValue(encoded.replace(/\r\n/g, ''))).toBe(subject);
  });
});

describe('decodeHeaderValue', () => {
  it('decodes B and Q words in UTF-8 and Latin-1, joining adjacent words', () => {
    expect(decodeHeaderValue('=?UTF-8?B?UsOpc3Vtw6k=?= =?UTF-8?Q?_et_caf=C3=A9?=')).toBe('Résumé et café');
    expect(decodeHeaderValue('=?ISO-8859-1?Q?Gr=FC=DFe?= aus Berlin')).toBe('Grüße aus Berlin');
    expect(decodeHeaderValue('Ana Silva <ana@example.com>')).toBe('Ana Silva <ana@example.com>');
  });
});

describe('parseAddresses', () => {
  it('takes lists and comma or semicolon separated strings', () => {
    expect(parseAddresses(['ana@example.com', ' bo@example.org '], 'to')).toEqual(['ana@example.com', 'bo@example.org']);
    expect(parseAddresses('ana@example.com, bo@example.org; cy@example.net', 'to')).toEqual(['ana@example.com', 'bo@example.org', 'cy@example.net']);
  });

  it('refuses anything that could smuggle a header', () => {
    expect(() => parseAddresses('ana@example.com\r\nBcc: eve@evil.example', 'to')).toThrow('to: "ana@example.com\r\nBcc: eve@evil.example" is not an email address');
    expect(() => parseAddresses(['Ana <ana@example.com>'], 'cc')).toThrow('cc: "Ana <ana@example.com>" is not an email address');
    expect(() => parseAddresses(['not-an-address'], 'to')).toThrow(/is not an email address/);
  });
});

describe('buildMessage', () => {
  it('writes RFC 5322 headers and a base64 UTF-8 body with CRLF lines of at most 76 characters', () => {
    const body = 'Hi Ana,\n\nThe numbers are attached — see you Thursday.\n' + 'Long line '.repeat(30);
    const message = buildMessage({ to: ['ana@example.com', 'bo@example.org'], cc: ['cy@example.net'], subject: 'Q4 numbers', body });
    const [head, encoded] = message.split('\r\n\r\n');
    expect(head).toBe([
      'To: ana@example.com, bo@example.org',
      'Cc: cy@example.net',
      'Subject: Q4 numbers',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset="UTF-8"',
      'Content-Transfer-Encoding: base64',
    ].join('\r\n'));
    const lines = encoded!.split('\r\n').filter(Boolean);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(76);
    expect(Buffer.from(lines.join(''), 'base64').toString('utf8')).toBe(body.replace(/\n/g, '\r\n'));
  });

  it('refuses a multi-line subject', () => {
    expect(() => buildMessage({ to: ['ana@example.com'], subject: 'Hi\r\nBcc: eve@evil.example', body: '' })).toThrow('The subject must be one line');
  });
});

describe('htmlToText', () => {
  it('keeps the text and the line structure', () => {
    expect(htmlToText('<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>Ana</b>,</p><p>Fish &amp; chips&#33;<br>Bye</p><script>x()</script></body></html>'))
      .toBe('Hello Ana,\nFish & chips!\nBye');
  });
});
