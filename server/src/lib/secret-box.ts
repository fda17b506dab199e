import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { deriveKey } from '../modules/auth/tokens.ts';

/**
 * AES-256-GCM for secrets kept in the database (provider keys, webhook secrets, integration
 * credentials). The key is derived from APP_SECRET; each value is bound to its owner through the
 * additional authenticated data (e.g. "org:<id>:provider:openai"), so a ciphertext copied to
 * another row does not decrypt.
 *
 * Rotation: values are sealed with the current APP_SECRET's key and opened with it or with any
 * key of APP_SECRET_PREVIOUS, so a new secret can be deployed first and the stored values
 * re-sealed afterwards (`npm run rotate-secrets -w server`).
 *
 * Formats (base64url parts):
 * - `v2.<key id>.<iv>.<ciphertext>.<tag>`: what `seal` writes. The key id (a keyed hash of the
 *   key, not the key) names the key that sealed it, so opening goes straight to that key.
 * - `v1.<iv>.<ciphertext>.<tag>`: written before rotation existed; opened by trying each key.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
  /** Whether the value is sealed with the current key in the current format (rotation skips it). */
  isCurrent(sealed: string): boolean;
}

interface BoxKey { id: string; key: Uint8Array<ArrayBuffer> }

/** 48 bits: enough to tell a handful of keys apart, and says nothing usable about the key. */
const keyIdOf = (key: Uint8Array): string => createHmac('sha256', key).update('agentflow secret-box key id').digest('base64url').slice(0, 8);

function boxKey(appSecret: string): BoxKey {
  const key = deriveKey(appSecret, 'secret-box-v1');
  return { id: keyIdOf(key), key };
}

function decrypt(key: Uint8Array, iv: string, ciphertext: string, tag: string, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

export class UnknownKeyError extends Error {
  constructor() {
    super('The secret was sealed with a key that is neither APP_SECRET nor one of APP_SECRET_PREVIOUS');
    this.name = 'UnknownKeyError';
  }
}

/** `previousSecrets`: former APP_SECRETs whose values may still be stored (APP_SECRET_PREVIOUS). */
export function createSecretBox(appSecret: string, previousSecrets: readonly string[] = []): SecretBox {
  const current = boxKey(appSecret);
  const keys = [current, ...previousSecrets.filter((s) => s !== appSecret).map(boxKey)];
  const byId = new Map(keys.map((k) => [k.id, k]));
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v2', current.id, ...[iv, ciphertext, cipher.getAuthTag()].map((p) => p.toString('base64url'))].join('.');
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts[0] === 'v2' && parts.length === 5 && parts[2] && parts[4]) {
        const key = byId.get(parts[1]!);
        if (!key) throw new UnknownKeyError();
        return decrypt(key.key, parts[2], parts[3]!, parts[4], context);
      }
      if (parts[0] === 'v1' && parts.length === 4 && parts[1] && parts[3]) {
        // No key id: the current key first (the common case), then the previous ones.
        let failure: unknown;
        for (const { key } of keys) {
          try {
            return decrypt(key, parts[1], parts[2]!, parts[3], context);
          } catch (err) {
            failure ??= err;
          }
        }
        throw failure;
      }
      throw new Error('Unrecognised sealed secret');
    },
    isCurrent(sealed) {
      return sealed.startsWith(`v2.${current.id}.`);
    },
  };
}

