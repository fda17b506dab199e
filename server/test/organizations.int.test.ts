import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId, toGlobalId } from '../src/graphql/ids.ts';
import { addMember, AUTH_FIELDS, errorCode, gql, ok, registerAccount, startTestServer, testDatabase, type Account, type Auth, type TestServer } from './helpers.ts';

const CREATE_ORG = 'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id name role } }';
const RENAME = 'mutation($i: RenameOrganizationInput!) { renameOrganization(input: $i) { id name } }';
const INVITE = 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id email role status invitedBy { id } expiresAt } }';
const REVOKE_INVITE = 'mutation($id: ID!) { revokeInvitation(id: $id) { id status } }';
const ACCEPT = 'mutation($t: String!) { acceptInvitation(token: $t) { id name role } }';
const PREVIEW = 'query($t: String!) { invitation(token: $t) { organizationName email role invitedByName status } }';
const INVITATIONS = '{ organization { invitations { id email role status } } }';
const CHANGE_ROLE = 'mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { id role user { id } } }';
const REMOVE = 'mutation($id: ID!) { removeMember(membershipId: $id) }';
const LEAVE = 'mutation { leaveOrganization }';
const CREATE_KEY = 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id name prefix role createdBy { id } revokedAt } } }';
const REVOKE_KEY = 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';
const API_KEYS = '{ organization { apiKeys { id name prefix role lastUsedAt revokedAt } } }';
const VIEWER_ORGS = '{ viewer { organizations { id name role } } }';
const MEMBERS = 'query($first: Int, $after: String) { organization { members(first: $first, after: $after) { totalCount edges { cursor node { id role user { id email } } } pageInfo { hasNextPage endCursor } } } }';
const AUDIT = 'query($first: Int, $after: String, $action: String) { auditLog(first: $first, after: $after, action: $action) { edges { node { id action actorType actorLabel targetType targetId ip userAgent details createdAt } } pageInfo { hasNextPage endCursor } } }';
const OUTBOX = '{ organization { outbox { id to subject text status } } }';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  db = await testDatabase();
  // Many sign-ups from one IP: lift the per-IP register limit for this file.
  server = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '100000' });
});
afterAll(async () => { await server?.stop(); await db?.drop(); });

const as = (account: Account, orgId = account.orgId): Auth => ({ token: account.token, org: orgId });
const raw = (globalId: string, typename: string) => fromGlobalId(globalId, typename);
let n = 0;
const uniqueEmail = (label = 'invitee') => `${label}-${++n}-${Date.now().toString(36)}@example.com`;

async function membershipOf(account: Account, orgId: string): Promise<string | undefined> {
  const row = await server.deps.db.selectFrom('memberships').select('id')
    .where('organization_id', '=', raw(orgId, 'Organization')).where('user_id', '=', raw(account.userId, 'User')).executeTakeFirst();
  return row && toGlobalId('Membership', row.id);
}

/** The newest e-mail to an address, with the invitation token its link carries. */
async function lastMailTo(email: string) {
  const row = await server.deps.db.selectFrom('email_outbox').selectAll().where('recipient', '=', email).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return { ...row, token: /\/invite\/([A-Za-z0-9_-]+)/.exec(row.body)?.[1] };
}

async function invite(inviter: Account, email: string, role: string) {
  const invitation = ok(await gql(server, INVITE, { i: { email, role } }, as(inviter))).inviteMember;
  return { invitation, token: (await lastMailTo(email.toLowerCase())).token! };
}

async function count(table: 'users' | 'organizations' | 'memberships' | 'invitations' | 'email_outbox' | 'api_keys' | 'audit_log'): Promise<number> {
  const r = await server.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
const counts = async () => ({
  users: await count('users'), organizations: await count('organizations'), memberships: await count('memberships'),
  invitations: await count('invitations'), outbox: await count('email_outbox'), apiKeys: await count('api_keys'), audit: await count('audit_log'),
});

describe('creating and renaming organizations', () => {
  it('makes the creator OWNER, and viewer.organizations lists every organization with its role', async () => {
    const user = await registerAccount(server, { organizationName: 'First' });
    const other = await registerAccount(server, { organizationName: 'Elsewhere' });
    const { token } = await invite(other, user.email, 'VIEWER');
    ok(await gql(server, ACCEPT, { t: token }, as(user)));

    const created = ok(await gql(server, CREATE_ORG, { i: { name: '  Second  ' } }, as(user))).createOrganization;
    expect(created).toMatchObject({ name: 'Second', role: 'OWNER' });

    const orgs = ok(await gql(server, VIEWER_ORGS, {}, as(user))).viewer.organizations;
    expect(orgs).toEqual([
      { id: user.orgId, name: 'First', role: 'OWNER' },
      { id: other.orgId, name: 'Elsewhere', role: 'VIEWER' },
      { id: created.id, name: 'Second', role: 'OWNER' },
    ]);
    // The new organization can be made active and shows the caller's role there.
    expect(ok(await gql(server, '{ organization { id role } }', {}, as(user, created.id))).organization).toEqual({ id: created.id, role: 'OWNER' });
  });

  it('refuses an empty or too long name (BAD_USER_INPUT) and creates nothing', async () => {
    const user = await registerAccount(server);
    const before = await counts();
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const r = await gql(server, CREATE_ORG, { i: { name } }, as(user));
      expect({ name, code: errorCode(r) }).toEqual({ name, code: 'BAD_USER_INPUT' });
    }
    expect(await counts()).toEqual(before);
  });

  it('renames the active organization; an empty or 101-character name is BAD_USER_INPUT and changes nothing', async () => {
    const owner = await registerAccount(server, { organizationName: 'Original' });
    const orgId = raw(owner.orgId, 'Organization');
    const nameInDb = async () => (await server.deps.db.selectFrom('organizations').select('name').where('id', '=', orgId).executeTakeFirstOrThrow()).name;

    for (const name of ['', '   ', 'x'.repeat(101)]) {
      const auditBefore = await count('audit_log');
      const r = await gql(server, RENAME, { i: { name } }, as(owner));
      expect({ name, code: errorCode(r) }).toEqual({ name, code: 'BAD_USER_INPUT' });
      expect(await nameInDb()).toBe('Original');
      expect(await count('audit_log')).toBe(auditBefore);
    }

    const hundred = 'y'.repeat(100);
    expect(ok(await gql(server, RENAME, { i: { name: hundred } }, as(owner))).renameOrganization).toEqual({ id: owner.orgId, name: hundred });
    expect(await nameInDb()).toBe(hundred);
    const [entry] = ok(await gql(server, AUDIT, { first: 1 }, as(owner))).auditLog.edges;
    expect(entry.node).toMatchObject({ action: 'organization.rename', details: { from: 'Original', to: hundred } });
  });
});

describe('invitations', () => {
  let owner: Account;
  beforeAll(async () => { owner = await registerAccount(server, { organizationName: 'Inviting Inc', name: 'Olivia Owner' }); });

  it('e-mails a link, lists the invitation as pending, and previews it without signing in', async () => {
    const email = uniqueEmail();
    const invitation = ok(await gql(server, INVITE, { i: { email, role: 'ADMIN' } }, as(owner))).inviteMember;
    expect(invitation).toMatchObject({ email, role: 'ADMIN', status: 'PENDING', invitedBy: { id: owner.userId } });

    const mail = await lastMailTo(email);
    expect(mail.organization_id).toBe(raw(owner.orgId, 'Organization'));
    expect(mail.body).toContain(`${server.deps.config.publicUrl}/invite/${mail.token}`);
    expect(mail.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const pending = ok(await gql(server, INVITATIONS, {}, as(owner))).organization.invitations;
    expect(pending).toContainEqual({ id: invitation.id, email, role: 'ADMIN', status: 'PENDING' });

    const preview = await gql(server, PREVIEW, { t: mail.token });
    expect(preview.errors).toBeUndefined();
    expect(preview.data!.invitation).toEqual({ organizationName: 'Inviting Inc', email, role: 'ADMIN', invitedByName: 'Olivia Owner', status: 'PENDING' });
    expect(ok(await gql(server, PREVIEW, { t: 'no-such-token' })).invitation).toBeNull();
  });

  it('re-inviting the same address replaces the pending invitation', async () => {
    const email = uniqueEmail();
    const first = await invite(owner, email, 'VIEWER');
    const second = await invite(owner, email, 'MEMBER');
    expect(second.token).not.toBe(first.token);

    const forEmail = ok(await gql(server, INVITATIONS, {}, as(owner))).organization.invitations.filter((i: any) => i.email === email);
    expect(forEmail).toEqual([{ id: second.invitation.id, email, role: 'MEMBER', status: 'PENDING' }]);
    expect(ok(await gql(server, PREVIEW, { t: first.token })).invitation.status).toBe('REVOKED');

    const invitee = await registerAccount(server, { email });
    expect(errorCode(await gql(server, ACCEPT, { t: first.token }, as(invitee)))).toBe('BAD_USER_INPUT');
    expect(ok(await gql(server, ACCEPT, { t: second.token }, as(invitee))).acceptInvitation).toMatchObject({ id: owner.orgId, role: 'MEMBER' });
  });

  it('inviting an existing member is CONFLICT and a malformed address BAD_USER_INPUT; neither writes anything', async () => {
    const member = await addMember(server, owner, 'MEMBER');
    const before = await counts();
    expect(errorCode(await gql(server, INVITE, { i: { email: member.email, role: 'ADMIN' } }, as(owner)))).toBe('CONFLICT');
    expect(errorCode(await gql(server, INVITE, { i: { email: member.email.toUpperCase(), role: 'ADMIN' } }, as(owner)))).toBe('CONFLICT');
    for (const email of ['not-an-email', '', 'a@', `${'x'.repeat(250)}@example.com`]) {
      const r = await gql(server, INVITE, { i: { email, role: 'MEMBER' } }, as(owner));
      expect({ email, code: errorCode(r) }).toEqual({ email, code: 'BAD_USER_INPUT' });
    }
    expect(await counts()).toEqual(before);
  });

  it('is accepted by a signed-in user with the invited address, who becomes a member with the invited role', async () => {
    const email = uniqueEmail();
    const { invitation, token } = await invite(owner, email, 'ADMIN');
    const invitee = await registerAccount(server, { email });

    const joined = ok(await gql(server, ACCEPT, { t: token }, as(invitee))).acceptInvitation;
    expect(joined).toEqual({ id: owner.orgId, name: 'Inviting Inc', role: 'ADMIN' });
    expect(ok(await gql(server, VIEWER_ORGS, {}, as(invitee))).viewer.organizations.map((o: any) => [o.id, o.role]))
      .toEqual([[invitee.orgId, 'OWNER'], [owner.orgId, 'ADMIN']]);
    expect(ok(await gql(server, '{ organization { role } }', {}, as(invitee, owner.orgId))).organization.role).toBe('ADMIN');
    expect(ok(await gql(server, PREVIEW, { t: token })).invitation.status).toBe('ACCEPTED');
    expect(ok(await gql(server, INVITATIONS, {}, as(owner))).organization.invitations.map((i: any) => i.id)).not.toContain(invitation.id);

    // A second use of the same link is refused and adds nothing.
    const before = await counts();
    expect(errorCode(await gql(server, ACCEPT, { t: token }, as(invitee)))).toBe('BAD_USER_INPUT');
    expect(await counts()).toEqual(before);
  });

  it('sent to another address is FORBIDDEN for the caller, and stays pending for its addressee', async () => {
    const email = uniqueEmail();
    const { token } = await invite(owner, email, 'MEMBER');
    const stranger = await registerAccount(server);
    const before = await counts();
    expect(errorCode(await gql(server, ACCEPT, { t: token }, as(stranger)))).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect(await membershipOf(stranger, owner.orgId)).toBeUndefined();
    expect(ok(await gql(server, PREVIEW, { t: token })).invitation.status).toBe('PENDING');
    // Registering with someone else's invitation is refused too, and no account is left behind.
    const r = await gql(server, `mutation($i: RegisterInput!) { register(input: $i) { ${AUTH_FIELDS} } }`, { i: { email: uniqueEmail('thief'), password: 'correct horse battery staple', name: 'Thief', invitationToken: token } });
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('revoked or expired cannot be accepted (BAD_USER_INPUT)', async () => {
    const revokedEmail = uniqueEmail();
    const revoked = await invite(owner, revokedEmail, 'MEMBER');
    expect(ok(await gql(server, REVOKE_INVITE, { id: revoked.invitation.id }, as(owner))).revokeInvitation.status).toBe('REVOKED');
    expect(errorCode(await gql(server, REVOKE_INVITE, { id: revoked.invitation.id }, as(owner)))).toBe('CONFLICT');

    const expiredEmail = uniqueEmail();
    const expired = await invite(owner, expiredEmail, 'MEMBER');
    await server.deps.db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 60_000) }).where('id', '=', raw(expired.invitation.id, 'Invitation')).execute();
    expect(ok(await gql(server, PREVIEW, { t: expired.token })).invitation.status).toBe('EXPIRED');
    expect(ok(await gql(server, INVITATIONS, {}, as(owner))).organization.invitations.map((i: any) => i.id)).not.toContain(expired.invitation.id);

    for (const [email, token] of [[revokedEmail, revoked.token], [expiredEmail, expired.token]] as const) {
      const invitee = await registerAccount(server, { email });
      const before = await counts();
      expect({ email, code: errorCode(await gql(server, ACCEPT, { t: token }, as(invitee))) }).toEqual({ email, code: 'BAD_USER_INPUT' });
      expect(await counts()).toEqual(before);
      expect(await membershipOf(invitee, owner.orgId)).toBeUndefined();
    }
  });

  it('register with invitationToken joins the inviting organization instead of creating one', async () => {
    const email = uniqueEmail();
    const { token } = await invite(owner, email, 'VIEWER');
    const orgsBefore = await count('organizations');
    const r = ok(await gql(server, `mutation($i: RegisterInput!) { register(input: $i) { ${AUTH_FIELDS} } }`, { i: { email, password: 'correct horse battery staple', name: 'Joiner', invitationToken: token } })).register;
    expect(r.organization).toEqual({ id: owner.orgId, name: 'Inviting Inc', role: 'VIEWER' });
    expect(await count('organizations')).toBe(orgsBefore);
    expect(ok(await gql(server, VIEWER_ORGS, {}, { token: r.accessToken })).viewer.organizations).toEqual([{ id: owner.orgId, name: 'Inviting Inc', role: 'VIEWER' }]);
  });
});

describe('members', () => {
  it('changeMemberRole changes the role, which applies on the next request', async () => {
    const owner = await registerAccount(server);
    const member = await addMember(server, owner, 'VIEWER');
    expect(errorCode(await gql(server, INVITE, { i: { email: uniqueEmail(), role: 'MEMBER' } }, as(member)))).toBe('FORBIDDEN');
    const membershipId = (await membershipOf(member, owner.orgId))!;
    const changed = ok(await gql(server, CHANGE_ROLE, { i: { membershipId, role: 'ADMIN' } }, as(owner))).changeMemberRole;
    expect(changed).toEqual({ id: membershipId, role: 'ADMIN', user: { id: member.userId } });
    expect(ok(await gql(server, '{ organization { role } }', {}, as(member))).organization.role).toBe('ADMIN');
    ok(await gql(server, INVITE, { i: { email: uniqueEmail(), role: 'MEMBER' } }, as(member)));
  });

  it('removeMember: the removed user is NOT_FOUND in that organization from the next request on', async () => {
    const owner = await registerAccount(server);
    const member = await addMember(server, owner, 'MEMBER');
    expect(ok(await gql(server, '{ organization { id } }', {}, as(member))).organization.id).toBe(owner.orgId);
    const membershipId = (await membershipOf(member, owner.orgId))!;
    expect(ok(await gql(server, REMOVE, { id: membershipId }, as(owner))).removeMember).toBe(membershipId);
    expect(await membershipOf(member, owner.orgId)).toBeUndefined();
    expect(errorCode(await gql(server, '{ organization { id } }', {}, as(member, owner.orgId)))).toBe('NOT_FOUND');
    // Removing again: the membership is gone.
    expect(errorCode(await gql(server, REMOVE, { id: membershipId }, as(owner)))).toBe('NOT_FOUND');
  });

  it('leaveOrganization removes the caller from the active organization', async () => {
    const owner = await registerAccount(server);
    const member = await addMember(server, owner, 'ADMIN');
    expect(ok(await gql(server, LEAVE, {}, as(member))).leaveOrganization).toBe(owner.orgId);
    expect(await membershipOf(member, owner.orgId)).toBeUndefined();
    expect(ok(await gql(server, VIEWER_ORGS, {}, { token: member.token })).viewer.organizations).toEqual([]);
    expect(errorCode(await gql(server, '{ organization { id } }', {}, as(member, owner.orgId)))).toBe('NOT_FOUND');
  });

  it('pages through members with first/after, oldest first, with totalCount', async () => {
    const owner = await registerAccount(server);
    const others = [];
    for (const role of ['ADMIN', 'MEMBER', 'VIEWER', 'MEMBER']) others.push(await addMember(server, owner, role));
    const expected = [owner, ...others].map((a) => a.userId);

    const seen: string[] = [];
    let after: string | null = null;
    const pages: number[] = [];
    for (;;) {
      const page: any = ok(await gql(server, MEMBERS, { first: 2, after }, as(owner))).organization.members;
      expect(page.totalCount).toBe(5);
      pages.push(page.edges.length);
      seen.push(...page.edges.map((e: any) => e.node.user.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(expected);
    const all = ok(await gql(server, MEMBERS, {}, as(owner))).organization.members;
    expect(all.edges.map((e: any) => e.node.role)).toEqual(['OWNER', 'ADMIN', 'MEMBER', 'VIEWER', 'MEMBER']);
    expect(all.pageInfo.hasNextPage).toBe(false);

    for (const vars of [{ after: 'not-a-cursor' }, { after: '1' }, { first: -1 }]) {
      expect({ vars, code: errorCode(await gql(server, MEMBERS, vars, as(owner))) }).toEqual({ vars, code: 'BAD_USER_INPUT' });
    }
  });
});

describe('API keys', () => {
  let owner: Account;
  beforeAll(async () => { owner = await registerAccount(server); });

  it('returns the secret once; the list and the database hold only its prefix', async () => {
    const created = ok(await gql(server, CREATE_KEY, { i: { name: 'CI', role: 'MEMBER' } }, as(owner))).createApiKey;
    expect(created.secret).toMatch(/^afk_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({ name: 'CI', role: 'MEMBER', createdBy: { id: owner.userId }, revokedAt: null });
    expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
    const secretPart = created.secret.slice(created.apiKey.prefix.length + 1);

    const list = await gql(server, API_KEYS, {}, as(owner));
    expect(ok(list).organization.apiKeys).toContainEqual({ id: created.apiKey.id, name: 'CI', prefix: created.apiKey.prefix, role: 'MEMBER', lastUsedAt: null, revokedAt: null });
    const listJson = JSON.stringify(list);
    expect(listJson).not.toContain(created.secret);
    expect(listJson).not.toContain(secretPart);

    const stored = JSON.stringify(await server.deps.db.selectFrom('api_keys').selectAll().execute());
    const audit = JSON.stringify(await server.deps.db.selectFrom('audit_log').selectAll().execute());
    for (const where of [stored, audit]) {
      expect(where).not.toContain(created.secret);
      expect(where).not.toContain(secretPart);
    }
  });

  it('authenticates as Authorization: Bearer <key> with its own role', async () => {
    const { secret } = ok(await gql(server, CREATE_KEY, { i: { name: 'read-only', role: 'VIEWER' } }, as(owner))).createApiKey;
    const org = ok(await gql(server, '{ organization { id role } viewer { id } }', {}, { token: secret }));
    expect(org).toEqual({ organization: { id: owner.orgId, role: 'VIEWER' }, viewer: null });

    const before = await counts();
    expect(errorCode(await gql(server, INVITE, { i: { email: uniqueEmail(), role: 'VIEWER' } }, { token: secret }))).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);

    const { secret: adminKey } = ok(await gql(server, CREATE_KEY, { i: { name: 'automation', role: 'ADMIN' } }, as(owner))).createApiKey;
    ok(await gql(server, INVITE, { i: { email: uniqueEmail(), role: 'VIEWER' } }, { token: adminKey }));
    const [entry] = ok(await gql(server, AUDIT, { first: 1 }, as(owner))).auditLog.edges;
    expect(entry.node).toMatchObject({ action: 'invitation.create', actorType: 'API_KEY', actorLabel: 'API key automation' });
  });

  it('cannot have a higher role than its creator: an admin creating an OWNER key is FORBIDDEN', async () => {
    const admin = await addMember(server, owner, 'ADMIN');
    const before = await counts();
    expect(errorCode(await gql(server, CREATE_KEY, { i: { name: 'too strong', role: 'OWNER' } }, as(admin)))).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect(ok(await gql(server, CREATE_KEY, { i: { name: 'fine', role: 'ADMIN' } }, as(admin))).createApiKey.apiKey.role).toBe('ADMIN');
  });

  it('a revoked key is UNAUTHENTICATED at once; revoking it twice is CONFLICT', async () => {
    const { secret, apiKey } = ok(await gql(server, CREATE_KEY, { i: { name: 'short-lived', role: 'ADMIN' } }, as(owner))).createApiKey;
    ok(await gql(server, '{ organization { id } }', {}, { token: secret }));
    const revoked = ok(await gql(server, REVOKE_KEY, { id: apiKey.id }, as(owner))).revokeApiKey;
    expect(revoked.revokedAt).not.toBeNull();
    expect(errorCode(await gql(server, '{ organization { id } }', {}, { token: secret }))).toBe('UNAUTHENTICATED');

    const before = await server.deps.db.selectFrom('api_keys').select('revoked_at').where('id', '=', raw(apiKey.id, 'ApiKey')).executeTakeFirstOrThrow();
    const auditBefore = await count('audit_log');
    expect(errorCode(await gql(server, REVOKE_KEY, { id: apiKey.id }, as(owner)))).toBe('CONFLICT');
    expect(await server.deps.db.selectFrom('api_keys').select('revoked_at').where('id', '=', raw(apiKey.id, 'ApiKey')).executeTakeFirstOrThrow()).toEqual(before);
    expect(await count('audit_log')).toBe(auditBefore);
  });
});

describe('audit log', () => {
  let owner: Account;
  let member: Account;
  beforeAll(async () => {
    owner = await registerAccount(server, { organizationName: 'Audited' });
    member = await addMember(server, owner, 'MEMBER');
    for (const name of ['Audited 2', 'Audited 3']) ok(await gql(server, RENAME, { i: { name } }, as(owner)));
    ok(await gql(server, CHANGE_ROLE, { i: { membershipId: await membershipOf(member, owner.orgId), role: 'VIEWER' } }, as(owner)));
  });

  const entries = async (vars: Record<string, unknown>) => ok(await gql(server, AUDIT, vars, as(owner))).auditLog;

  it('pages newest first with first/after', async () => {
    const all = (await entries({ first: 200 })).edges.map((e: any) => e.node);
    expect(all.map((e: any) => e.action)).toEqual(['member.role_change', 'organization.rename', 'organization.rename', 'invitation.accept', 'invitation.create', 'organization.create']);
    const ids = all.map((e: any) => BigInt(raw(e.id, 'AuditEntry')));
    expect([...ids].sort((a, b) => (a < b ? 1 : -1))).toEqual(ids);

    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await entries({ first: 4, after });
      paged.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all.map((e: any) => e.id));

    for (const vars of [{ after: 'garbage' }, { after: '99999999999999999999999' }, { after: '-1' }, { first: -1 }]) {
      expect({ vars, code: errorCode(await gql(server, AUDIT, vars, as(owner))) }).toEqual({ vars, code: 'BAD_USER_INPUT' });
    }
  });

  it('filters by action prefix, taking % and _ literally', async () => {
    expect((await entries({ action: 'organization.' })).edges.map((e: any) => e.node.action)).toEqual(['organization.rename', 'organization.rename', 'organization.create']);
    expect((await entries({ action: 'member.' })).edges.map((e: any) => e.node.action)).toEqual(['member.role_change']);
    expect((await entries({ action: '%' })).edges).toEqual([]);
    expect((await entries({ action: 'member_' })).edges).toEqual([]);
  });

  it('shows the actor, their IP and the target', async () => {
    const [entry] = (await entries({ action: 'member.role_change' })).edges;
    expect(entry.node).toMatchObject({
      actorType: 'USER',
      actorLabel: owner.email,
      targetType: 'Membership',
      targetId: (await membershipOf(member, owner.orgId))!, // a global ID, usable with node()
      details: { email: member.email, from: 'member', to: 'viewer' },
    });
    expect(entry.node.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(entry.node.userAgent).toEqual(expect.any(String));
  });

  it('is FORBIDDEN for members and viewers', async () => {
    const viewer = await addMember(server, owner, 'VIEWER');
    for (const who of [member, viewer]) expect(errorCode(await gql(server, AUDIT, { first: 5 }, as(who, owner.orgId)))).toBe('FORBIDDEN');
    const admin = await addMember(server, owner, 'ADMIN');
    expect((await gql(server, AUDIT, { first: 5 }, as(admin, owner.orgId))).errors).toBeUndefined();
  });
});

describe('dev outbox', () => {
  it('shows owners every e-mail, admins only those they caused, and is FORBIDDEN for members and viewers', async () => {
    const owner = await registerAccount(server);
    const admin = await addMember(server, owner, 'ADMIN');
    const ownerInvite = await invite(owner, uniqueEmail(), 'OWNER');
    const adminEmail = uniqueEmail();
    const adminInvite = await invite(admin, adminEmail, 'MEMBER');

    // An admin must not pick up the link of an owner invitation (it would make them owner).
    const adminView = ok(await gql(server, OUTBOX, {}, as(admin))).organization.outbox;
    expect(adminView.map((m: any) => m.to)).toEqual([adminEmail]);
    expect(adminView[0].text).toContain(`/invite/${adminInvite.token}`);
    const ownerView = ok(await gql(server, OUTBOX, {}, as(owner))).organization.outbox;
    expect(ownerView.map((m: any) => m.text).join()).toContain(`/invite/${ownerInvite.token}`);
    // Only this organization's e-mails.
    const invited = await server.deps.db.selectFrom('invitations').select('email').where('organization_id', '=', raw(owner.orgId, 'Organization')).execute();
    expect(ownerView.every((m: any) => invited.some((i) => i.email === m.to))).toBe(true);

    for (const role of ['MEMBER', 'VIEWER']) {
      const who = await addMember(server, owner, role);
      expect({ role, code: errorCode(await gql(server, OUTBOX, {}, as(who))) }).toEqual({ role, code: 'FORBIDDEN' });
    }
  });
});

describe('concurrent invitations', () => {
  it('leave exactly one open invitation per address; a loser gets CONFLICT', async () => {
    const owner = await registerAccount(server);
    const email = uniqueEmail('race');
    const results = await Promise.all(Array.from({ length: 5 }, () => gql(server, INVITE, { i: { email, role: 'MEMBER' } }, as(owner))));
    const codes = results.map((r) => errorCode(r) ?? 'OK');
    expect(codes.filter((c) => c !== 'OK' && c !== 'CONFLICT')).toEqual([]);
    expect(codes).toContain('OK');
    const open = await server.deps.db.selectFrom('invitations').select('id').where('email', '=', email)
      .where('accepted_at', 'is', null).where('revoked_at', 'is', null).execute();
    expect(open).toHaveLength(1);
  });
});

describe('Organization.permissions', () => {
  it("lists the caller's permissions from the server's table, per role", async () => {
    const owner = await registerAccount(server);
    const viewer = await addMember(server, owner, 'VIEWER');
    const Q = '{ organization { role permissions } }';
    const mine = ok(await gql(server, Q, {}, as(owner))).organization;
    expect(mine.permissions).toEqual(expect.arrayContaining(['members:manage', 'owners:manage', 'auditLog:read']));
    const theirs = ok(await gql(server, Q, {}, as(viewer))).organization;
    expect(theirs.permissions).toEqual(['organization:read', 'members:read', 'agents:read', 'workflows:read', 'plugins:read', 'integrations:read']);
  });
});
