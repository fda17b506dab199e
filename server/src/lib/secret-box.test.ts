import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey } from '../modules/auth/tokens.ts';
import { createSecretBox, UnknownKeyError } from './secret-box.ts';

const OLD = 'a-test-app-secret-that-is-long-enough-1234';
const NEW = 'the-next-app-secret-that-is-long-enough-99';
const box = createSecretBox(OLD);

/** A value in the format written before rotation existed: `v1.<iv>.<ciphertext>.<tag>`. */
function sealV1(appSecret: string, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(appSecret, 'secret-box-v1'), iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

describe('secret box', () => {
  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('sk-live-secret', 'org:1:provider:openai');
    expect(sealed).not.toContain('sk-live-secret');
    expect(sealed).toMatch(/^v2\.[A-Za-z0-9_-]{8}\./);
    expect(box.open(sealed, 'org:1:provider:openai')).toBe('sk-live-secret');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  it('refuses a value moved to another owner, a tampered value and another key', () => {
    const sealed = box.seal('sk-live-secret', 'org:1:provider:openai');
    expect(() => box.open(sealed, 'org:2:provider:openai')).toThrow('unable to authenticate data');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('sk-live-secreT').toString('base64url');
    expect(() => box.open(parts.join('.'), 'org:1:provider:openai')).toThrow('unable to authenticate data');
    expect(() => createSecretBox(NEW).open(sealed, 'org:1:provider:openai')).toThrow(UnknownKeyError);
    expect(() => createSecretBox(NEW).open(sealed, 'org:1:provider:openai')).toThrow('neither APP_SECRET nor one of APP_SECRET_PREVIOUS');
    expect(() => box.open('garbage', 'org:1:provider:openai')).toThrow('Unrecognised sealed secret');
    expect(() => box.open('v2.x.y', 'org:1:provider:openai')).toThrow('Unrecognised sealed secret');
  });

  it('a forged key id does not make another key try the value', () => {
    const sealed = createSecretBox(NEW).seal('secret', 'c').split('.');
    sealed[1] = box.seal('x', 'c').split('.')[1]!; // claim the old key sealed it
    expect(() => createSecretBox(OLD, [NEW]).open(sealed.join('.'), 'c')).toThrow('unable to authenticate data');
  });
});

describe('key rotation', () => {
  const rotated = createSecretBox(NEW, [OLD]);

  it('seals with the current key and opens values of the previous ones, by key id', () => {
    const old = box.seal('sk-old', 'ctx');
    expect(rotated.open(old, 'ctx')).toBe('sk-old');
    const fresh = rotated.seal('sk-new', 'ctx');
    expect(fresh.split('.')[1]).not.toBe(old.split('.')[1]);
    expect(rotated.open(fresh, 'ctx')).toBe('sk-new');
    // The new key alone opens what it sealed; the old key alone does not.
    expect(createSecretBox(NEW).open(fresh, 'ctx')).toBe('sk-new');
    expect(() => box.open(fresh, 'ctx')).toThrow(UnknownKeyError);
  });

  it('still opens the v1 format, sealed with the current or a previous key', () => {
    expect(box.open(sealV1(OLD, 'legacy', 'ctx'), 'ctx')).toBe('legacy');
    expect(rotated.open(sealV1(OLD, 'legacy-old-key', 'ctx'), 'ctx')).toBe('legacy-old-key');
    expect(rotated.open(sealV1(NEW, 'legacy-new-key', 'ctx'), 'ctx')).toBe('legacy-new-key');
    expect(() => rotated.open(sealV1(OLD, 'legacy', 'ctx'), 'other ctx')).toThrow('unable to authenticate data');
    expect(() => createSecretBox(NEW).open(sealV1(OLD, 'legacy', 'ctx'), 'ctx')).toThrow('unable to authenticate data');
  });

  it('tells current values from those rotation must re-seal', () => {
    expect(rotated.isCurrent(rotated.seal('x', 'c'))).toBe(true);
    expect(rotated.isCurrent(box.seal('x', 'c'))).toBe(false);
    expect(rotated.isCurrent(sealV1(NEW, 'x', 'c'))).toBe(false);
    expect(rotated.isCurrent('garbage')).toBe(false);
  });

  it('re-sealing moves a value from the old key to the new one for good', () => {
    const old = box.seal('sk-moving', 'ctx');
    const moved = rotated.seal(rotated.open(old, 'ctx'), 'ctx');
    // Once APP_SECRET_PREVIOUS is emptied, only re-sealed values open.
    const after = createSecretBox(NEW);
    expect(after.open(moved, 'ctx')).toBe('sk-moving');
    expect(() => after.open(old, 'ctx')).toThrow(UnknownKeyError);
  });

  it('ignores APP_SECRET repeated in the previous list', () => {
    const same = createSecretBox(NEW, [NEW, OLD]);
    expect(same.open(rotated.seal('v', 'c'), 'c')).toBe('v');
  });
});
