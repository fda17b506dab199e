import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { unauthenticated } from '../../lib/errors.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { organizationsOfUser, type Organization } from '../organizations/organization.repository.ts';
import { hashToken, randomToken } from './tokens.ts';
import type { User } from './user.repository.ts';

export interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  user: User;
  organization: Organization | null;
}

async function issueRefreshToken(db: Executor, deps: Deps, sessionId: string): Promise<string> {
  const token = randomToken();
  await db.insertInto('refresh_tokens').values({
    token_hash: hashToken(token),
    session_id: sessionId,
    expires_at: new Date(Date.now() + deps.config.refreshTokenTtlSeconds * 1000),
  }).execute();
  return token;
}

async function payload(db: Executor, deps: Deps, user: User, sessionId: string, refreshToken: string): Promise<AuthPayload> {
  const access = await deps.accessTokens.sign({ userId: user.id, sessionId });
  const [organization] = await organizationsOfUser(db, user.id);
  return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, user, organization: organization ?? null };
}

/** Starts a session (one refresh-token family) for a user who just proved who they are. */
export async function startSession(db: Executor, deps: Deps, caller: Caller, user: User): Promise<AuthPayload> {
  const session = await db.insertInto('sessions')
    .values({ user_id: user.id, ip: caller.ip, user_agent: caller.userAgent?.slice(0, 512) ?? null })
    .returning('id').executeTakeFirstOrThrow();
  return payload(db, deps, user, session.id, await issueRefreshToken(db, deps, session.id));
}

/**
 * Rotates a refresh token. The conditional UPDATE lets exactly one of two parallel refreshes
 * win. Presenting a token that was already rotated (outside a short grace period that absorbs
 * two tabs refreshing at once) is treated as theft: the whole session family is revoked.
 */
export async function refreshSession(deps: Deps, caller: Caller, token: string): Promise<AuthPayload> {
  const tokenHash = hashToken(token);
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('refresh_tokens').set({ used_at: new Date() })
      .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', new Date())
      .where(({ exists, selectFrom }) => exists(selectFrom('sessions').select('id')
        .whereRef('sessions.id', '=', 'refresh_tokens.session_id').where('revoked_at', 'is', null)))
      .returning('session_id').executeTakeFirst();
    if (claimed) {
      const user = await trx.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['users.id', 'users.email', 'users.name']).where('sessions.id', '=', claimed.session_id).executeTakeFirstOrThrow();
      const refreshToken = await issueRefreshToken(trx, deps, claimed.session_id);
      await writeAudit(trx, caller, { organizationId: null, action: 'session.refresh', targetType: 'Session', targetId: claimed.session_id, actorUserId: user.id, actorLabel: user.email });
      return { ok: await payload(trx, deps, user, claimed.session_id, refreshToken) };
    }
    const known = await trx.selectFrom('refresh_tokens').select(['session_id', 'used_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
    const reused = known?.used_at && Date.now() - new Date(known.used_at).getTime() > deps.config.refreshReuseGraceSeconds * 1000;
    if (known && reused) {
      const revoked = await trx.updateTable('sessions').set({ revoked_at: new Date(), revoked_reason: 'refresh token reuse' })
        .where('id', '=', known.session_id).where('revoked_at', 'is', null).returning('user_id').executeTakeFirst();
      if (revoked) await writeAudit(trx, caller, { organizationId: null, action: 'session.revoke_reuse', targetType: 'Session', targetId: known.session_id, actorUserId: revoked.user_id });
    }
    return { ok: null };
  });
  if (!outcome.ok) throw unauthenticated('Invalid or expired refresh token; sign in again');
  return outcome.ok;
}

export async function logout(deps: Deps, caller: Caller): Promise<boolean> {
  const user = caller.user!;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ revoked_at: new Date(), revoked_reason: 'logout' })
      .where('id', '=', user.sessionId).where('revoked_at', 'is', null).execute();
    await writeAudit(trx, caller, { organizationId: null, action: 'session.logout', targetType: 'Session', targetId: user.sessionId });
  });
  return true;
}

/** Ends every session of a user (after a password reset). */
export async function revokeAllSessions(db: Executor, userId: string, reason: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}
