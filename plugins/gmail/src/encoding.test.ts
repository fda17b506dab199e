import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, base64UrlOfText, latin1Decode, utf8Decode, utf8Encode } from './encoding.ts';

// Node's Buffer is the reference; the plugin's own helpers must agree with it byte for byte.
const SAMPLES = ['', 'a', 'ab', 'abc', 'Hello, world!', 'Grüße aus Köln', 'naïve café – “quotes”', '日本語のテキスト', '😀 emoji 👩‍👩‍👧 family', '\u0000\u007f\u0080\u07ff\u0800\uffff', 'x'.repeat(10_000) + 'é'];

describe('utf8', () => {
  it.each(SAMPLES)('encodes and decodes %j like Buffer', (text) => {
    const bytes = utf8Encode(text);
    expect(bytes).toEqual([...Buffer.from(text, 'utf8')]);
    expect(utf8Decode(bytes)).toBe(text);
  });

  it('encodes a lone surrogate as U+FFFD, like TextEncoder', () => {
    expect(utf8Encode('a\ud800b')).toEqual([...new TextEncoder().encode('a\ud800b')]);
    expect(utf8Encode('\udc00')).toEqual([0xef, 0xbf, 0xbd]);
  });

  it('decodes malformed bytes to U+FFFD, like TextDecoder', () => {
    for (const bytes of [[0xff], [0xc3], [0xe2, 0x82], [0xe2, 0x82, 0x61], [0xed, 0xa0, 0x80], [0xe0, 0x80, 0x80], [0xf0, 0x80], [0xc0, 0xaf], [0x61, 0x80, 0x62], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98]]) {
      expect(utf8Decode(bytes), JSON.stringify(bytes)).toBe(new TextDecoder().decode(new Uint8Array(bytes)));
    }
  });

  it('reads Latin-1', () => {
    expect(latin1Decode([0x47, 0x72, 0xfc, 0xdf, 0x65])).toBe('Grüße');
  });
});

describe('base64', () => {
  it.each(SAMPLES)('encodes and decodes %j like Buffer (standard and url-safe)', (text) => {
    const bytes = [...Buffer.from(text, 'utf8')];
    expect(base64Encode(bytes)).toBe(Buffer.from(text).toString('base64'));
    expect(base64Encode(bytes, true)).toBe(Buffer.from(text).toString('base64url'));
    expect(base64Decode(Buffer.from(text).toString('base64'))).toEqual(bytes);
    expect(base64Decode(Buffer.from(text).toString('base64url'))).toEqual(bytes);
    expect(base64UrlOfText(text)).toBe(Buffer.from(text).toString('base64url'));
  });

  it('covers every byte value', () => {
    const all = Array.from({ length: 256 }, (_, i) => i);
    expect(base64Encode(all, true)).toBe(Buffer.from(all).toString('base64url'));
    expect(base64Decode(Buffer.from(all).toString('base64'))).toEqual(all);
  });

  it('ignores line breaks and rejects other characters', () => {
    expect(utf8Decode(base64Decode('SGVs\r\nbG8='))).toBe('Hello');
    expect(() => base64Decode('SGVs*bG8')).toThrow("Not base64: unexpected character '*'");
  });
});
