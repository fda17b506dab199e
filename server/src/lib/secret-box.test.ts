import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.ts';

const box = createSecretBox('a-test-app-secret-that-is-long-enough-1234');

describe('secret box', () => {
  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('sk-live-secret', 'org:1:provider:openai');
    expect(sealed).not.toContain('sk-live-secret');
    expect(box.open(sealed, 'org:1:provider:openai')).toBe('sk-live-secret');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  it('refuses a value moved to another owner, a tampered value and another key', () => {
    const sealed = box.seal('sk-live-secret', 'org:1:provider:openai');
    expect(() => box.open(sealed, 'org:2:provider:openai')).toThrow('unable to authenticate data');
    const parts = sealed.split('.');
    parts[2] = Buffer.from('sk-live-secreT').toString('base64url');
    expect(() => box.open(parts.join('.'), 'org:1:provider:openai')).toThrow('unable to authenticate data');
    expect(() => createSecretBox('another-app-secret-that-is-long-enough-12').open(sealed, 'org:1:provider:openai')).toThrow('unable to authenticate data');
    expect(() => box.open('garbage', 'org:1:provider:openai')).toThrow('Unrecognised sealed secret');
  });
});
