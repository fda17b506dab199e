import { z } from 'zod';
import type { Caller, Deps } from '../../graphql/context.ts';
import { AppError, badInput, conflict, ErrorCode, isUniqueViolation } from '../../lib/errors.ts';
import { rateLimitKey } from '../../http/request-info.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { claimInvitation } from '../invitations/invitation.service.ts';
import { insertOrganizationWithOwner } from '../organizations/organization.repository.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { revokeAllSessions, startSession, type AuthPayload } from './session.service.ts';
import { hashToken, randomToken } from './tokens.ts';
import { findUserByEmail } from './user.repository.ts';
import { emailSchema, organizationNameSchema, parseInput, passwordSchema, personNameSchema } from './validation.ts';

const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

const registerSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: personNameSchema,
  organizationName: organizationNameSchema.nullish(),
  invitationToken: z.string().min(1).max(200).nullish(),
}).refine((v) => v.organizationName || v.invitationToken, { message: 'Organization name is required', path: ['organizationName'] });

/** Per-account and per-IP limits for the endpoints that guess at passwords or send e-mail. */
async function limitAuthAttempt(deps: Deps, caller: Caller, kind: string, email: string | null): Promise<void> {
  const { limit, windowSeconds } = deps.config.loginRateLimit;
  const keys = [{ key: `${kind}:ip:${rateLimitKey(caller.ip)}`, limit: limit * 5 }];
  if (email) keys.push({ key: `${kind}:account:${email}`, limit });
  await deps.rateLimiter.hit(keys, windowSeconds);
}

export async function register(deps: Deps, caller: Caller, input: unknown): Promise<AuthPayload> {
  const data = parseInput(registerSchema, input);
  await limitAuthAttempt(deps, caller, 'register', null);
  const passwordHash = await hashPassword(data.password);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const user = await trx.insertInto('users')
        .values({ email: data.email, name: data.name, password_hash: passwordHash })
        .returning(['id', 'email', 'name']).executeTakeFirstOrThrow();
      const asUser: Caller = { ...caller, user: { ...user, sessionId: '' } };
      if (data.invitationToken) {
        await claimInvitation(trx, deps, asUser, data.invitationToken);
      } else {
        const { organization } = await insertOrganizationWithOwner(trx, data.organizationName!, user.id);
        await writeAudit(trx, asUser, { organizationId: organization.id, action: 'organization.create', targetType: 'Organization', targetId: organization.id, details: { name: organization.name } });
      }
      await writeAudit(trx, asUser, { organizationId: null, action: 'user.register', targetType: 'User', targetId: user.id });
      return startSession(trx, deps, caller, user);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_key')) throw conflict('An account with this email already exists');
    throw err;
  }
}

const INVALID_LOGIN = 'Invalid email or password';

/** Known and unknown e-mails get the same answer, after the same amount of hashing work. */
export async function login(deps: Deps, caller: Caller, input: unknown): Promise<AuthPayload> {
  const data = parseInput(z.object({ email: emailSchema, password: z.string().max(256) }), input);
  await limitAuthAttempt(deps, caller, 'login', data.email);
  const found = await findUserByEmail(deps.db, data.email);
  const ok = await verifyPassword(found?.password_hash, data.password);
  if (!found || !ok) {
    await writeAudit(deps.db, caller, { organizationId: null, action: 'user.login_failed', targetType: 'User', targetId: found?.id, actorLabel: data.email });
    throw new AppError(ErrorCode.UNAUTHENTICATED, INVALID_LOGIN);
  }
  const user = { id: found.id, email: found.email, name: found.name };
  return deps.db.transaction().execute(async (trx) => {
    await writeAudit(trx, caller, { organizationId: null, action: 'user.login', targetType: 'User', targetId: user.id, actorUserId: user.id, actorLabel: user.email });
    return startSession(trx, deps, caller, user);
  });
}

/** Always answers true, so the response never tells whether an account exists. */
export async function requestPasswordReset(deps: Deps, caller: Caller, rawEmail: unknown): Promise<boolean> {
  const email = parseInput(emailSchema, rawEmail);
  await limitAuthAttempt(deps, caller, 'password_reset', email);
  const user = await findUserByEmail(deps.db, email);
  await deps.db.transaction().execute(async (trx) => {
    await writeAudit(trx, caller, { organizationId: null, action: 'user.password_reset_request', targetType: 'User', targetId: user?.id, actorLabel: email });
    if (!user) return;
    const token = randomToken();
    await trx.insertInto('password_resets').values({ token_hash: hashToken(token), user_id: user.id, expires_at: new Date(Date.now() + RESET_TOKEN_TTL_MS) }).execute();
    await deps.mailer.enqueue(trx, {
      organizationId: null,
      createdBy: user.id,
      to: user.email,
      subject: 'Reset your AgentFlow password',
      text: `Someone asked to reset the password of your AgentFlow account.\n\nSet a new password within 30 minutes:\n${deps.config.publicUrl}/reset-password?token=${token}\n\nIf it was not you, ignore this e-mail.`,
    });
  });
  return true;
}

/**
 * Single use: the token is claimed by a conditional update before any hashing work, then every
 * other reset link and every session of the user end.
 */
export async function resetPassword(deps: Deps, caller: Caller, input: unknown): Promise<boolean> {
  const data = parseInput(z.object({ token: z.string().min(1).max(200), password: passwordSchema }), input);
  await limitAuthAttempt(deps, caller, 'password_reset_confirm', null);
  const done = await deps.db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('password_resets').set({ used_at: new Date() })
      .where('token_hash', '=', hashToken(data.token)).where('used_at', 'is', null).where('expires_at', '>', new Date())
      .returning('user_id').executeTakeFirst();
    if (!claimed) return false;
    const passwordHash = await hashPassword(data.password);
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: new Date() }).where('id', '=', claimed.user_id).execute();
    await trx.updateTable('password_resets').set({ used_at: new Date() }).where('user_id', '=', claimed.user_id).where('used_at', 'is', null).execute();
    await revokeAllSessions(trx, claimed.user_id, 'password reset');
    await writeAudit(trx, caller, { organizationId: null, action: 'user.password_reset', targetType: 'User', targetId: claimed.user_id, actorUserId: claimed.user_id });
    return true;
  });
  if (!done) throw badInput('This reset link is invalid or has expired; ask for a new one', { field: 'token' });
  return true;
}
