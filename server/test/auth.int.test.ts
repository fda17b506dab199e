import { randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/graphql/ids.ts';
import { deriveKey } from '../src/modules/auth/tokens.ts';
import {
  addMember, errorCode, gql, ok, registerAccount, startTestServer, testDatabase, TEST_SECRET,
  type Account, type Auth, type GqlResult, type TestServer,
} from './helpers.ts';

// ---------------------------------------------------------------------------------------------
// Operations and helpers
// ---------------------------------------------------------------------------------------------

const PAYLOAD = 'accessToken refreshToken user { id email } organization { id name role }';
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { ${PAYLOAD} } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { ${PAYLOAD} } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { ${PAYLOAD} } }`;
const LOGOUT = 'mutation { logout }';
const REQUEST_RESET = 'mutation($email: String!) { requestPasswordReset(email: $email) }';
const RESET = 'mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }';
const VIEWER = '{ viewer { id email } }';
const ORGANIZATION = '{ organization { id name role } }';
const RENAME = 'mutation($name: String!) { renameOrganization(input: { name: $name }) { id name } }';

const PASSWORD = 'correct horse battery staple';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
// This file registers and signs in many accounts from 127.0.0.1; the rate limits get their own
// server below, so the shared one gets a limit this file never reaches.
beforeAll(async () => { db = await testDatabase(); server = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '1000' }); });
afterAll(async () => { await server?.stop(); await db?.drop(); });

const uniq = () => randomBytes(4).toString('hex');
const uniqueEmail = (prefix = 'user') => `${prefix}-${uniq()}@example.com`;

const register = (input: Record<string, unknown>, target: { graphqlUrl: string } = server) => gql(target, REGISTER, { input });
const login = (email: string, password: string, auth: Auth = {}, target: { graphqlUrl: string } = server) =>
  gql(target, LOGIN, { input: { email, password } }, auth);
const refresh = (token: string, target: { graphqlUrl: string } = server) => gql(target, REFRESH, { t: token });
const viewer = (token: string) => gql(server, VIEWER, {}, { token });

/** The raw uuid behind a Relay global ID. */
const rawId = (globalId: string, type: string) => fromGlobalId(globalId, type);

const countRows = async (table: 'users' | 'organizations' | 'memberships' | 'sessions') =>
  Number((await server.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

/** Row counts of the tables an account touches. */
async function accountRowCounts() {
  return { users: await countRows('users'), organizations: await countRows('organizations'), memberships: await countRows('memberships'), sessions: await countRows('sessions') };
}

const passwordHashOf = async (email: string) =>
  (await server.deps.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;

/** The session a freshly registered account's tokens belong to. */
async function sessionOf(account: Account) {
  return server.deps.db.selectFrom('sessions').selectAll().where('user_id', '=', rawId(account.userId, 'User')).executeTakeFirstOrThrow();
}

const sessionCount = async (account: Account) =>
  (await server.deps.db.selectFrom('sessions').select('id').where('user_id', '=', rawId(account.userId, 'User')).execute()).length;

/** Client IPs for the rate-limited server, which reads X-Forwarded-For (TRUST_PROXY). */
const fromIp = (ip: string): Auth => ({ headers: { 'x-forwarded-for': ip } });

/** The active organization, with a raw Authorization header (or none). */
const organizationWith = (authorization: string | undefined) =>
  gql(server, ORGANIZATION, {}, authorization === undefined ? {} : { headers: { authorization } });

const validRegistration = () => ({ email: uniqueEmail('bad'), password: PASSWORD, name: 'Valid Name', organizationName: `Org ${uniq()}` });

/** Asks for a password reset and returns the token from the e-mail it wrote to the outbox. */
async function resetTokenFor(email: string): Promise<string> {
  expect(ok(await gql(server, REQUEST_RESET, { email })).requestPasswordReset).toBe(true);
  const mail = await server.deps.db.selectFrom('email_outbox').selectAll().where('recipient', '=', email)
    .orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  expect(mail.organization_id).toBeNull();
  const link = /(\S+)\/reset-password\?token=([\w-]+)/.exec(mail.body);
  expect(link, mail.body).not.toBeNull();
  expect(link![1]).toBe(server.deps.config.publicUrl);
  return link![2]!;
}

/** Signs an access token with jose directly, as src/modules/auth/tokens.ts does, with overrides. */
async function signAccess(claims: { sub: string; sid: string }, opts: { secret?: string; purpose?: string; issuer?: string; audience?: string; exp?: number; alg?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(opts.issuer ?? 'agentflow')
    .setAudience(opts.audience ?? 'agentflow-api')
    .setIssuedAt(now - 60)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(deriveKey(opts.secret ?? TEST_SECRET, opts.purpose ?? 'access-token'));
}

function expectAuthPayload(result: GqlResult, email: string) {
  const payload = Object.values(ok(result))[0];
  expect(payload).toEqual({
    accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    refreshToken: expect.stringMatching(/^[\w-]{40,}$/),
    user: { id: expect.any(String), email: email.toLowerCase() },
    organization: { id: expect.any(String), name: expect.any(String), role: 'OWNER' },
  });
  return payload as { accessToken: string; refreshToken: string; user: { id: string; email: string }; organization: { id: string; name: string } };
}

// ---------------------------------------------------------------------------------------------

describe('register', () => {
  it('creates the user, an organization they own, and a working session', async () => {
    const email = uniqueEmail();
    const payload = expectAuthPayload(await register({ email, password: PASSWORD, name: 'Ada', organizationName: 'Analytical Engines' }), email);
    expect(payload.organization.name).toBe('Analytical Engines');

    const membership = await server.deps.db.selectFrom('memberships').select(['role', 'organization_id'])
      .where('user_id', '=', rawId(payload.user.id, 'User')).execute();
    expect(membership).toEqual([{ role: 'owner', organization_id: rawId(payload.organization.id, 'Organization') }]);
    expect(ok(await viewer(payload.accessToken)).viewer).toEqual({ id: payload.user.id, email });
  });

  it('stores the e-mail lower-cased and never the password itself', async () => {
    const email = `Mixed.Case-${uniq()}@Example.COM`;
    const payload = expectAuthPayload(await register({ email, password: PASSWORD, name: 'Mixed', organizationName: 'Mixed Org' }), email);
    const row = await server.deps.db.selectFrom('users').select(['email', 'password_hash']).where('id', '=', rawId(payload.user.id, 'User')).executeTakeFirstOrThrow();
    expect(row.email).toBe(email.toLowerCase());
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  describe('rejects bad input and writes nothing', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['an email without a domain', { email: 'someone@' }, 'email'],
      ['a password shorter than 10 characters', { password: 'short1234' }, 'password'],
      ['a missing organization name', { organizationName: undefined }, 'organizationName'],
      ['a blank organization name', { organizationName: '   ' }, 'organizationName'],
      ['an organization name over 100 characters', { organizationName: 'o'.repeat(101) }, 'organizationName'],
      ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name'],
      ['a blank name', { name: '  ' }, 'name'],
    ])('%s is BAD_USER_INPUT', async (_label, change, field) => {
      const input = { ...validRegistration(), ...change };
      const before = await accountRowCounts();
      const result = await register(input);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0]!.extensions!.details).toEqual({ field });
      expect(result.data?.register ?? null).toBeNull();
      expect(await accountRowCounts()).toEqual(before);
    });
  });

  it('a duplicate e-mail, in any letter case, is CONFLICT and leaves no user, organization or membership behind', async () => {
    const local = `dup-${uniq()}`;
    ok(await register({ email: `${local}@x.com`, password: PASSWORD, name: 'First', organizationName: 'First Org' }));
    const before = await accountRowCounts();
    const orgName = `Second Org ${uniq()}`;

    for (const email of [`${local}@x.com`, `${local.toUpperCase()}@X.COM`, `  ${local}@x.com `]) {
      const result = await register({ email, password: PASSWORD, name: 'Second', organizationName: orgName });
      expect(errorCode(result), email).toBe('CONFLICT');
    }
    expect(await accountRowCounts()).toEqual(before);
    expect(await server.deps.db.selectFrom('organizations').select('id').where('name', '=', orgName).execute()).toEqual([]);
  });
});

describe('login', () => {
  it('returns the same shape as register, with a new session', async () => {
    const account = await registerAccount(server);
    const payload = expectAuthPayload(await login(account.email, account.password), account.email);
    expect(payload.user.id).toBe(account.userId);
    expect(payload.organization.id).toBe(account.orgId);
    expect(payload.refreshToken).not.toBe(account.refreshToken);
    const sessions = await server.deps.db.selectFrom('sessions').select('id').where('user_id', '=', rawId(account.userId, 'User')).execute();
    expect(sessions).toHaveLength(2);
    expect(ok(await viewer(payload.accessToken)).viewer.email).toBe(account.email);
  });

  it('accepts the e-mail in another letter case', async () => {
    const account = await registerAccount(server);
    const payload = expectAuthPayload(await login(account.email.toUpperCase(), account.password), account.email);
    expect(payload.user.id).toBe(account.userId);
  });

  it('answers a wrong password and an unknown e-mail identically, and starts no session', async () => {
    const account = await registerAccount(server);
    const sessionsBefore = (await accountRowCounts()).sessions;
    const wrongPassword = await login(account.email, 'not the right password');
    const unknownEmail = await login(uniqueEmail('nobody'), 'not the right password');
    expect(errorCode(wrongPassword)).toBe('UNAUTHENTICATED');
    expect(errorCode(unknownEmail)).toBe('UNAUTHENTICATED');
    expect(unknownEmail.errors![0]!.message).toBe(wrongPassword.errors![0]!.message);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.data).toEqual(wrongPassword.data);
    expect((await accountRowCounts()).sessions).toBe(sessionsBefore);
  });

  it('a malformed e-mail is BAD_USER_INPUT', async () => {
    const result = await login('not-an-email', PASSWORD);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });
});

describe('rate limiting', () => {
  // Its own server: a low limit, and client IPs taken from X-Forwarded-For so each test is
  // its own address. A window of 10^9 seconds cannot roll over during the run (the next
  // boundary is in 2033), so no counter resets mid-test.
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '1000000000', TRUST_PROXY: 'true' });
  });
  afterAll(async () => { await limited?.stop(); });

  let ipCounter = 0;
  const newIp = () => `203.0.113.${++ipCounter}`;

  it('the 4th login on one account is RATE_LIMITED, even with the right password and from another IP', async () => {
    const account = await registerAccount(server);
    const ip = newIp();
    for (let i = 0; i < 3; i++) expect(errorCode(await login(account.email, 'wrong password!!', fromIp(ip), limited))).toBe('UNAUTHENTICATED');
    const sessionsBefore = await sessionCount(account);

    const fourth = await login(account.email, account.password, fromIp(ip), limited);
    expect(errorCode(fourth)).toBe('RATE_LIMITED');
    expect(fourth.errors![0]!.extensions!.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    expect(errorCode(await login(account.email, account.password, fromIp(newIp()), limited))).toBe('RATE_LIMITED');
    expect(await sessionCount(account)).toBe(sessionsBefore);
  });

  it('counts attempts on a differently cased e-mail as the same account', async () => {
    const account = await registerAccount(server);
    for (let i = 0; i < 3; i++) expect(errorCode(await login(account.email.toUpperCase(), 'wrong password!!', fromIp(newIp()), limited))).toBe('UNAUTHENTICATED');
    expect(errorCode(await login(account.email, account.password, fromIp(newIp()), limited))).toBe('RATE_LIMITED');
  });

  it('other accounts from the same IP still sign in until the IP reaches 5x the limit', async () => {
    const ip = newIp();
    const blocked = await registerAccount(server);
    for (let i = 0; i < 4; i++) await login(blocked.email, 'wrong password!!', fromIp(ip), limited);
    expect(errorCode(await login(blocked.email, blocked.password, fromIp(ip), limited))).toBe('RATE_LIMITED');
    // 5 attempts counted on this IP so far; the IP limit is 15.
    const others = await Promise.all([1, 2, 3, 4].map(() => registerAccount(server)));
    let attempts = 5;
    for (const other of others) {
      for (let i = 0; i < 3 && attempts < 15; i++, attempts++) {
        expectAuthPayload(await login(other.email, other.password, fromIp(ip), limited), other.email);
      }
    }
    expect(attempts).toBe(15);
    const fresh = await registerAccount(server);
    expect(errorCode(await login(fresh.email, fresh.password, fromIp(ip), limited))).toBe('RATE_LIMITED');
    expect(await sessionCount(fresh)).toBe(1); // only the one register started
    // The same account from another address is fine: it was the IP that was limited.
    expectAuthPayload(await login(fresh.email, fresh.password, fromIp(newIp()), limited), fresh.email);
  });

  it('requestPasswordReset answers true for known and unknown e-mails and is limited per account', async () => {
    const account = await registerAccount(server);
    const unknown = uniqueEmail('ghost');
    const ip = newIp();
    for (let i = 0; i < 3; i++) {
      expect(ok(await gql(limited, REQUEST_RESET, { email: account.email }, fromIp(ip))).requestPasswordReset).toBe(true);
      expect(ok(await gql(limited, REQUEST_RESET, { email: unknown }, fromIp(ip))).requestPasswordReset).toBe(true);
    }
    expect(errorCode(await gql(limited, REQUEST_RESET, { email: account.email }, fromIp(ip)))).toBe('RATE_LIMITED');
    expect(errorCode(await gql(limited, REQUEST_RESET, { email: unknown }, fromIp(ip)))).toBe('RATE_LIMITED');

    const resets = await server.deps.db.selectFrom('password_resets').select('token_hash').where('user_id', '=', rawId(account.userId, 'User')).execute();
    expect(resets).toHaveLength(3);
    const mails = await server.deps.db.selectFrom('email_outbox').select('recipient').where('recipient', 'in', [account.email, unknown]).execute();
    expect(mails.map((m) => m.recipient)).toEqual([account.email, account.email, account.email]);
  });
});

describe('access tokens', () => {
  let account: Account;
  let claims: { sub: string; sid: string };
  beforeAll(async () => {
    account = await registerAccount(server);
    claims = { sub: rawId(account.userId, 'User'), sid: (await sessionOf(account)).id };
  });

  it('a token signed the way the server signs is accepted (the control for the cases below)', async () => {
    const token = await signAccess(claims);
    expect(ok(await organizationWith(`Bearer ${token}`)).organization.id).toBe(account.orgId);
  });

  it('no token: viewer is null and organization is UNAUTHENTICATED', async () => {
    expect(ok(await gql(server, VIEWER)).viewer).toBeNull();
    expect(errorCode(await organizationWith(undefined))).toBe('UNAUTHENTICATED');
  });

  const bad: [string, () => Promise<string>][] = [
    ['garbage', async () => 'Bearer not.a.jwt'],
    ['a scheme other than Bearer', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a bare token without "Bearer"', async () => account.token],
    ['a flipped signature character', async () => {
      const [h, p, s] = account.token.split('.') as [string, string, string];
      const i = 10; // a middle character: every one of its bits is signature
      return `Bearer ${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
    }],
    ['a payload swapped under a valid signature', async () => {
      const [h, , s] = account.token.split('.') as [string, string, string];
      const other = await signAccess({ sub: claims.sub, sid: '00000000-0000-4000-8000-000000000000' });
      return `Bearer ${h}.${other.split('.')[1]}.${s}`;
    }],
    ['another secret', async () => `Bearer ${await signAccess(claims, { secret: 'another-secret-that-is-also-long-enough-0123' })}`],
    ['the right secret but another purpose', async () => `Bearer ${await signAccess(claims, { purpose: 'refresh-token' })}`],
    ['alg "none"', async () => `Bearer ${new UnsecuredJWT({ sid: claims.sid }).setSubject(claims.sub).setIssuer('agentflow').setAudience('agentflow-api').setExpirationTime('10m').encode()}`],
    ['alg HS512 with the right key', async () => `Bearer ${await signAccess(claims, { alg: 'HS512' })}`],
    ['the wrong issuer', async () => `Bearer ${await signAccess(claims, { issuer: 'someone-else' })}`],
    ['the wrong audience', async () => `Bearer ${await signAccess(claims, { audience: 'another-api' })}`],
    ['an expired token', async () => `Bearer ${await signAccess(claims, { exp: Math.floor(Date.now() / 1000) - 120 })}`],
  ];
  it.each(bad)('%s is UNAUTHENTICATED', async (_label, header) => {
    const result = await organizationWith(await header());
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
    expect(result.data?.organization ?? null).toBeNull();
  });

  it('an expired token says so', async () => {
    const result = await organizationWith(`Bearer ${await signAccess(claims, { exp: Math.floor(Date.now() / 1000) - 120 })}`);
    expect(result.errors![0]!.message).toMatch(/expired/);
  });

  it('logout ends the session at once: its access and refresh tokens stop working', async () => {
    const other = await registerAccount(server);
    expect(ok(await gql(server, LOGOUT, {}, { token: other.token })).logout).toBe(true);
    expect(errorCode(await gql(server, ORGANIZATION, {}, { token: other.token }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await refresh(other.refreshToken))).toBe('UNAUTHENTICATED');
    expect(await sessionOf(other)).toMatchObject({ revoked_at: expect.any(Date), revoked_reason: 'logout' });
  });

  it('logout without a token is UNAUTHENTICATED', async () => {
    expect(errorCode(await gql(server, LOGOUT))).toBe('UNAUTHENTICATED');
  });
});

describe('refreshSession', () => {
  it('rotates: new tokens work, the old refresh token then fails', async () => {
    const account = await registerAccount(server);
    const rotated = expectAuthPayload(await refresh(account.refreshToken), account.email);
    expect(rotated.refreshToken).not.toBe(account.refreshToken);
    expect(ok(await viewer(rotated.accessToken)).viewer.id).toBe(account.userId);

    expect(errorCode(await refresh(account.refreshToken))).toBe('UNAUTHENTICATED');
    // Within the grace period a replay is only refused: the session lives on.
    expect(ok(await viewer(rotated.accessToken)).viewer.id).toBe(account.userId);
    expectAuthPayload(await refresh(rotated.refreshToken), account.email);
    expect((await sessionOf(account)).revoked_at).toBeNull();
  });

  it('of two parallel refreshes of one token exactly one wins, and the winner\'s tokens work', async () => {
    const account = await registerAccount(server);
    const results = await Promise.all([refresh(account.refreshToken), refresh(account.refreshToken)]);
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map(errorCode)).toEqual(['UNAUTHENTICATED']);

    const won = expectAuthPayload(winners[0]!, account.email);
    expect(ok(await viewer(won.accessToken)).viewer.id).toBe(account.userId);
    expectAuthPayload(await refresh(won.refreshToken), account.email);
    const tokens = await server.deps.db.selectFrom('refresh_tokens').select('used_at').where('session_id', '=', (await sessionOf(account)).id).execute();
    expect(tokens).toHaveLength(3); // the original, the winner's, and the one just issued
  });

  it('an unknown refresh token is UNAUTHENTICATED', async () => {
    expect(errorCode(await refresh(randomBytes(32).toString('base64url')))).toBe('UNAUTHENTICATED');
    expect(errorCode(await refresh(''))).toBe('UNAUTHENTICATED');
  });

  it('an expired refresh token is UNAUTHENTICATED', async () => {
    const account = await registerAccount(server);
    await server.deps.db.updateTable('refresh_tokens').set({ expires_at: new Date(Date.now() - 1000) })
      .where('session_id', '=', (await sessionOf(account)).id).execute();
    expect(errorCode(await refresh(account.refreshToken))).toBe('UNAUTHENTICATED');
  });

  describe('reuse after the grace period', () => {
    let strict: TestServer;
    beforeAll(async () => { strict = await startTestServer(db.url, { REFRESH_REUSE_GRACE_SECONDS: '0' }); });
    afterAll(async () => { await strict?.stop(); });

    it('revokes the whole family: the newest refresh and access tokens stop working too', async () => {
      const account = await registerAccount(server);
      const second = expectAuthPayload(await refresh(account.refreshToken, strict), account.email);
      const third = expectAuthPayload(await refresh(second.refreshToken, strict), account.email);
      expect(ok(await viewer(third.accessToken)).viewer.id).toBe(account.userId);

      expect(errorCode(await refresh(account.refreshToken, strict))).toBe('UNAUTHENTICATED');

      expect(errorCode(await refresh(third.refreshToken, strict))).toBe('UNAUTHENTICATED');
      expect(errorCode(await gql(server, ORGANIZATION, {}, { token: third.accessToken }))).toBe('UNAUTHENTICATED');
      expect(await sessionOf(account)).toMatchObject({ revoked_at: expect.any(Date), revoked_reason: 'refresh token reuse' });
      // Signing in again starts a new, unrelated family.
      expectAuthPayload(await login(account.email, account.password), account.email);
    });
  });
});

describe('password reset', () => {
  const NEW_PASSWORD = 'a brand new passphrase';

  it('e-mails a link, sets the new password, and ends every existing session', async () => {
    const account = await registerAccount(server);
    const second = expectAuthPayload(await login(account.email, account.password), account.email);
    const token = await resetTokenFor(account.email);

    expect(ok(await gql(server, RESET, { input: { token, password: NEW_PASSWORD } })).resetPassword).toBe(true);

    expect(errorCode(await login(account.email, account.password))).toBe('UNAUTHENTICATED');
    expectAuthPayload(await login(account.email, NEW_PASSWORD), account.email);
    for (const access of [account.token, second.accessToken]) {
      expect(errorCode(await gql(server, ORGANIZATION, {}, { token: access }))).toBe('UNAUTHENTICATED');
    }
    for (const refreshToken of [account.refreshToken, second.refreshToken]) expect(errorCode(await refresh(refreshToken))).toBe('UNAUTHENTICATED');
    const sessions = await server.deps.db.selectFrom('sessions').select(['revoked_reason']).where('user_id', '=', rawId(account.userId, 'User'))
      .orderBy('created_at').execute();
    expect(sessions.map((s) => s.revoked_reason)).toEqual(['password reset', 'password reset', null]);
  });

  it('a token works once; the second use is BAD_USER_INPUT and changes nothing', async () => {
    const account = await registerAccount(server);
    const token = await resetTokenFor(account.email);
    ok(await gql(server, RESET, { input: { token, password: NEW_PASSWORD } }));
    const hash = await passwordHashOf(account.email);

    const again = await gql(server, RESET, { input: { token, password: 'yet another passphrase' } });
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    expect(await passwordHashOf(account.email)).toBe(hash);
    expectAuthPayload(await login(account.email, NEW_PASSWORD), account.email);
  });

  it('an expired token is BAD_USER_INPUT and leaves the password and sessions alone', async () => {
    const account = await registerAccount(server);
    const token = await resetTokenFor(account.email);
    await server.deps.db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', rawId(account.userId, 'User')).execute();
    const hash = await passwordHashOf(account.email);

    expect(errorCode(await gql(server, RESET, { input: { token, password: NEW_PASSWORD } }))).toBe('BAD_USER_INPUT');
    expect(await passwordHashOf(account.email)).toBe(hash);
    expect((await sessionOf(account)).revoked_at).toBeNull();
    expect(ok(await viewer(account.token)).viewer.id).toBe(account.userId);
  });

  it('an unknown token is BAD_USER_INPUT', async () => {
    expect(errorCode(await gql(server, RESET, { input: { token: randomBytes(32).toString('base64url'), password: NEW_PASSWORD } }))).toBe('BAD_USER_INPUT');
  });

  it('a short new password is BAD_USER_INPUT, leaves the password unchanged and the token unused', async () => {
    const account = await registerAccount(server);
    const token = await resetTokenFor(account.email);
    const hash = await passwordHashOf(account.email);

    const result = await gql(server, RESET, { input: { token, password: 'short' } });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.extensions!.details).toEqual({ field: 'password' });
    expect(await passwordHashOf(account.email)).toBe(hash);
    const reset = await server.deps.db.selectFrom('password_resets').select('used_at').where('user_id', '=', rawId(account.userId, 'User')).executeTakeFirstOrThrow();
    expect(reset.used_at).toBeNull();
    expect((await sessionOf(account)).revoked_at).toBeNull();
    // The token is still good for a valid password.
    ok(await gql(server, RESET, { input: { token, password: NEW_PASSWORD } }));
  });

  it('an unknown e-mail gets true and no e-mail or reset row', async () => {
    const email = uniqueEmail('ghost');
    expect(ok(await gql(server, REQUEST_RESET, { email })).requestPasswordReset).toBe(true);
    expect(await server.deps.db.selectFrom('email_outbox').select('id').where('recipient', '=', email).execute()).toEqual([]);
  });

  it('a malformed e-mail is BAD_USER_INPUT', async () => {
    expect(errorCode(await gql(server, REQUEST_RESET, { email: 'nope' }))).toBe('BAD_USER_INPUT');
  });
});

describe('roles come from the database on every request', () => {
  it('a demoted admin is FORBIDDEN on the very next request with the same access token', async () => {
    const owner = await registerAccount(server);
    const admin = await addMember(server, owner, 'ADMIN');
    const asAdmin: Auth = { token: admin.token, org: owner.orgId };
    expect(ok(await gql(server, RENAME, { name: 'Renamed by admin' }, asAdmin)).renameOrganization.name).toBe('Renamed by admin');

    const members = ok(await gql(server, '{ organization { members { edges { node { id user { id } } } } } }', {}, { token: owner.token, org: owner.orgId }));
    const membershipId = members.organization.members.edges.find((e: any) => e.node.user.id === admin.userId).node.id;
    const changed = ok(await gql(server, 'mutation($id: ID!) { changeMemberRole(input: { membershipId: $id, role: MEMBER }) { role } }', { id: membershipId }, { token: owner.token, org: owner.orgId }));
    expect(changed.changeMemberRole.role).toBe('MEMBER');

    const refused = await gql(server, RENAME, { name: 'Renamed after demotion' }, asAdmin);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    const org = await server.deps.db.selectFrom('organizations').select('name').where('id', '=', rawId(owner.orgId, 'Organization')).executeTakeFirstOrThrow();
    expect(org.name).toBe('Renamed by admin');
    expect(ok(await gql(server, ORGANIZATION, {}, asAdmin)).organization.role).toBe('MEMBER');
  });
});

describe('X-Organization-Id', () => {
  it('selects the active organization among the user\'s organizations', async () => {
    const account = await registerAccount(server, { organizationName: 'First Org' });
    const second = ok(await gql(server, 'mutation { createOrganization(input: { name: "Second Org" }) { id name role } }', {}, { token: account.token })).createOrganization;
    expect(second).toEqual({ id: expect.any(String), name: 'Second Org', role: 'OWNER' });

    expect(ok(await gql(server, ORGANIZATION, {}, { token: account.token })).organization).toEqual({ id: account.orgId, name: 'First Org', role: 'OWNER' });
    expect(ok(await gql(server, ORGANIZATION, {}, { token: account.token, org: second.id })).organization).toEqual(second);
    expect(ok(await gql(server, ORGANIZATION, {}, { token: account.token, org: account.orgId })).organization.id).toBe(account.orgId);
  });

  it('a malformed value is BAD_USER_INPUT', async () => {
    const account = await registerAccount(server);
    const result = await gql(server, ORGANIZATION, {}, { token: account.token, org: '!!not-an-id!!' });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.data?.organization ?? null).toBeNull();
  });

  it('a well-formed id of an organization the user is not in is NOT_FOUND', async () => {
    const account = await registerAccount(server);
    const stranger = await registerAccount(server);
    const result = await gql(server, ORGANIZATION, {}, { token: account.token, org: stranger.orgId });
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(result.data?.organization ?? null).toBeNull();
  });

  it('the id of another type (a User) is NOT_FOUND', async () => {
    const account = await registerAccount(server);
    expect(errorCode(await gql(server, ORGANIZATION, {}, { token: account.token, org: account.userId }))).toBe('NOT_FOUND');
  });

  it('a mutation in an organization the user is not in changes nothing', async () => {
    const account = await registerAccount(server);
    const stranger = await registerAccount(server, { organizationName: 'Untouched' });
    expect(errorCode(await gql(server, RENAME, { name: 'Hijacked' }, { token: account.token, org: stranger.orgId }))).toBe('NOT_FOUND');
    const org = await server.deps.db.selectFrom('organizations').select('name').where('id', '=', rawId(stranger.orgId, 'Organization')).executeTakeFirstOrThrow();
    expect(org.name).toBe('Untouched');
  });
});

describe('query size', () => {
  it('an oversized query (3000 tokens) is BAD_USER_INPUT and is not executed', async () => {
    const account = await registerAccount(server);
    const query = `{ ${'viewer { id } '.repeat(750)} }`; // 4 tokens each, plus the braces
    const result = await gql(server, query, {}, { token: account.token });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toMatch(/token/i);
    expect(result.data ?? null).toBeNull();
  });
});
