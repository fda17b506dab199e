import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { unauthenticated } from '../../lib/errors.ts';

const ISSUER = 'agentflow';
const AUDIENCE = 'agentflow-api';
const ALGORITHM = 'HS256';

/** An opaque, URL-safe secret with 256 bits of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** What we store for opaque tokens (refresh, reset, invitation, API key): never the token itself. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Derives a purpose-bound key from APP_SECRET so one secret can serve several uses. */
export function deriveKey(appSecret: string, purpose: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hkdfSync('sha256', appSecret, 'agentflow', purpose, 32));
}

export interface AccessClaims { userId: string; sessionId: string }

export function createAccessTokens(appSecret: string, ttlSeconds: number) {
  // Imported once: handing jose raw bytes would re-import the key on every request.
  const key = crypto.subtle.importKey('raw', deriveKey(appSecret, 'access-token'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return {
    async sign(claims: AccessClaims): Promise<{ token: string; expiresAt: Date }> {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const token = await new SignJWT({ sid: claims.sessionId })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(await key);
      return { token, expiresAt };
    },
    /** Verifies signature (HS256 only), issuer, audience and expiry. */
    async verify(token: string): Promise<AccessClaims> {
      try {
        const { payload } = await jwtVerify(token, await key, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new Error('claims');
        return { userId: payload.sub, sessionId: payload.sid };
      } catch (err) {
        const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
        throw unauthenticated(expired ? 'Your session has expired; refresh it or sign in again' : 'Invalid access token');
      }
    },
  };
}
export type AccessTokens = ReturnType<typeof createAccessTokens>;
