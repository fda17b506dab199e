import { describe, expect, it } from 'vitest';
import { findPii, redactPii, type PiiKind } from './pii.ts';

const redact = (text: string) => redactPii(text).text;
/** The kind of the only finding in `text` covering exactly `value`, or undefined if there is none. */
const kindOf = (text: string, value: string): PiiKind | undefined => {
  const start = text.indexOf(value);
  const hits = findPii(text).filter((m) => m.start === start && m.end === start + value.length);
  return hits[0]?.kind;
};

describe('emails', () => {
  it.each([
    'bob@example.com',
    'bob.smith+newsletter@mail.eu.example.co.uk',
    'first_last-99%x@sub-domain.example.io',
    'UPPER.Case@Example.COM',
  ])('finds %s', (email) => {
    expect(redact(`write to ${email} today`)).toBe('write to [EMAIL] today');
  });

  it('keeps sentence punctuation and brackets out of the match', () => {
    expect(redact('Mail bob@example.com.')).toBe('Mail [EMAIL].');
    expect(redact('<bob@example.com>, (alice@example.org)')).toBe('<[EMAIL]>, ([EMAIL])');
    expect(redact('"bob@example.com"; .bob@example.com')).toBe('"[EMAIL]"; .[EMAIL]');
  });

  it('handles unicode right next to an address', () => {
    expect(redact('«bob@example.com»')).toBe('«[EMAIL]»');
    expect(redact('→bob@example.com←')).toBe('→[EMAIL]←');
    expect(redact('邮件bob@example.com。')).toBe('邮件[EMAIL]。');
    expect(redact('café: bob@example.com 😀')).toBe('café: [EMAIL] 😀');
  });

  it('ignores things that only look like addresses', () => {
    for (const text of ['@mention', 'user@localhost', 'a@b', 'x@1.2.3.4', 'email me @ home', 'foo@.com', '@@@', 'npm i @scope/pkg@1.2.3']) {
      expect(redact(text)).toBe(text);
    }
  });

  it('rejects a local part longer than 64 characters', () => {
    const text = `${'a'.repeat(65)}@example.com`;
    expect(redact(text)).toBe(text);
    expect(redact(`${'a'.repeat(64)}@example.com`)).toBe('[EMAIL]');
  });
});

describe('phone numbers', () => {
  it.each([
    '+1 (555) 123-4567',
    '+1 555 123 4567',
    '+1-555-123-4567',
    '+44 20 7946 0958',
    '+44 (0)20 7946 0958',
    '+33 1 23 45 67 89',
    '+4915112345678',
    '+81 3-1234-5678',
    '(555) 123-4567',
    '(555)123-4567',
    '(+44) 20 7946 0958',
    '555-123-4567',
    '555.123.4567',
    '555 123 4567',
    '1-555-123-4567',
    '020 7946 0958',
    '01 23 45 67 89',
    '01.23.45.67.89',
    '030 12345678',
  ])('finds %s', (phone) => {
    const text = `call ${phone} now`;
    expect(kindOf(text, phone)).toBe('phone');
    expect(redact(text)).toBe('call [PHONE] now');
  });

  it.each([
    'in 2024',
    'in 1999 2000 2001',
    'costs $1,234,567.89',
    'costs 1 234 567 €',
    'order 12345',
    'order #123456789',
    'id 1234567890',
    'timestamp 1700000000',
    'on 2024-01-15',
    'on 15.01.2024',
    'on 01/15/2024 at 10:30',
    'version 1.2.3',
    'build 10.0.19041.1234',
    'host 192.168.100.200',
    'host 010.100.200.200',
    'pi is 3.14159265358979',
    'values 100 200 300 400',
    'sum 12345+123456789',
    'invalid SSN 000-12-3456',
  ])('leaves "%s" alone', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('splits two numbers separated by a space', () => {
    expect(redact('call 555-123-4567 555-987-6543')).toBe('call [PHONE] [PHONE]');
    expect(redact('(555) 123-4567 (555) 987-6543')).toBe('[PHONE] [PHONE]');
    expect(redact('555-123-4567, 555-987-6543 or +1 555 000 1111')).toBe('[PHONE], [PHONE] or [PHONE]');
  });
});

describe('payment cards', () => {
  it.each([
    ['4111111111111111', 'Visa'],
    ['4111 1111 1111 1111', 'Visa with spaces'],
    ['4111-1111-1111-1111', 'Visa with hyphens'],
    ['4111 1111-1111 1111', 'mixed separators'],
    ['5500 0000 0000 0004', 'Mastercard'],
    ['378282246310005', 'Amex'],
    ['3782 822463 10005', 'Amex grouping (also phone-shaped: the card wins)'],
    ['6011111111111117', 'Discover'],
    ['4222222222222', '13 digits'],
  ])('finds %s (%s)', (card) => {
    const text = `pay with ${card}.`;
    expect(kindOf(text, card)).toBe('card');
    expect(redact(text)).toBe('pay with [CARD].');
  });

  it('requires the Luhn check', () => {
    for (const text of ['4111111111111112', '4111 1111 1111 1112', '1234567812345678', '0000 0000 0000 0000']) expect(redact(text)).toBe(text);
  });

  it('takes the card out of a longer run of groups', () => {
    expect(redact('4111 1111 1111 1111 12/27')).toBe('[CARD] 12/27');
    expect(redact('ref 12 4111 1111 1111 1111')).toContain('[CARD]');
  });

  it('leaves a longer hyphenated serial alone', () => {
    expect(redact('key 4111-1111-1111-1111-1111')).toBe('key 4111-1111-1111-1111-1111');
  });
});

describe('IBANs', () => {
  it.each([
    'GB82WEST12345698765432',
    'GB82 WEST 1234 5698 7654 32',
    'gb82 west 1234 5698 7654 32',
    'DE89370400440532013000',
    'DE89 3704 0044 0532 0130 00',
    'FR1420041010050500013M02606',
    'NL91ABNA0417164300',
    'BE68539007547034',
    'NO9386011117947',
  ])('finds %s', (iban) => {
    const text = `IBAN: ${iban}, thanks`;
    expect(kindOf(text, iban)).toBe('iban');
    expect(redact(text)).toBe('IBAN: [IBAN], thanks');
  });

  it('rejects a wrong checksum, length or country', () => {
    for (const text of ['GB83WEST12345698765432', 'GB82WEST1234569876543', 'GB82WEST123456987654321', 'ZZ82WEST12345698765432', 'XGB82WEST12345698765432']) {
      expect(redact(text)).toBe(text);
    }
  });

  it('stops at the IBAN in a sentence', () => {
    expect(redact('to DE89 3704 0044 0532 0130 00 please')).toBe('to [IBAN] please');
  });
});

describe('SSNs', () => {
  it('finds valid ones', () => {
    expect(redact('SSN 123-45-6789.')).toBe('SSN [SSN].');
    expect(kindOf('078-05-1120', '078-05-1120')).toBe('ssn');
  });

  it.each(['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456', '123-00-4567', '123-45-0000', '123-45-67890', '1234-45-6789', '123 45 6789'])(
    'rejects %s',
    (ssn) => {
      expect(redact(`SSN ${ssn}`)).toBe(`SSN ${ssn}`);
    },
  );
});

describe('redactPii', () => {
  it('returns the same string when there is nothing to redact', () => {
    const text = 'Nothing to see here: 42 apples, version 2.1, call me maybe.';
    const result = redactPii(text);
    expect(result.text).toBe(text);
    expect(result.found).toEqual([]);
    expect(redactPii('').text).toBe('');
  });

  it('redacts several kinds in one string, each kind reported once', () => {
    const result = redactPii('bob@example.com, 555-123-4567, alice@example.org, 4111 1111 1111 1111, GB82WEST12345698765432, 123-45-6789');
    expect(result.text).toBe('[EMAIL], [PHONE], [EMAIL], [CARD], [IBAN], [SSN]');
    expect(result.found).toEqual(['email', 'phone', 'card', 'iban', 'ssn']);
  });

  it('handles PII at the very start and end', () => {
    expect(redact('bob@example.com')).toBe('[EMAIL]');
    expect(redact('4111111111111111 and +44 20 7946 0958')).toBe('[CARD] and [PHONE]');
  });

  it('does not redact numbers glued to letters', () => {
    for (const text of ['ID4111111111111111', 'abc555-123-4567', 'SKU-555-123-4567', 'x555-123-4567y', '555-123-4567-A', 'hash a123456789012b']) {
      expect(redact(text)).toBe(text);
    }
  });

  it('merges overlapping findings under the most specific kind', () => {
    expect(redact('555-123-4567@example.com')).toBe('[EMAIL]');
    const matches = findPii('x 555-123-4567@example.com y');
    expect(matches).toEqual([{ kind: 'email', start: 2, end: 26 }]);
  });

  it('reports positions', () => {
    expect(findPii('a bob@example.com b 555-123-4567')).toEqual([
      { kind: 'email', start: 2, end: 17 },
      { kind: 'phone', start: 20, end: 32 },
    ]);
  });
});

describe('hostile input', () => {
  // Quadratic scanning would take minutes on these; the linear scanners finish in milliseconds,
  // so the test timeout is the guard and the assertions are about correctness.
  const SIZE = 200_000;
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };

  it('scans 200 KB of digits, hyphens and @ without finding PII in noise', () => {
    const noise = Array.from({ length: SIZE }, () => '0123456789-@'[Math.floor(random() * 12)]).join('');
    for (const m of findPii(noise)) expect(m.kind).not.toBe('email');
  });

  it.each([
    ['1-'.repeat(SIZE / 2), 0],
    ['@'.repeat(SIZE), 0],
    [`${'a'.repeat(SIZE)}@example.com`, 0],
    [`bob@${'a.'.repeat(SIZE / 2)}`, 0],
    ['a@'.repeat(SIZE / 2), 0],
    ['4111-'.repeat(SIZE / 5), 0],
    ['9'.repeat(SIZE), 0],
    ['+1 '.repeat(SIZE / 3), 0],
    ['gb82 '.repeat(SIZE / 5), 0],
    ['bob@example.com '.repeat(SIZE / 16), SIZE / 16],
    ['555-123-4567, '.repeat(SIZE / 14), Math.floor(SIZE / 14)],
  ])('stays linear (%#)', (text, count) => {
    expect(findPii(text)).toHaveLength(count);
  });
});
