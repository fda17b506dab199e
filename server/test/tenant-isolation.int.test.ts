import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromGlobalId, toGlobalId } from '../src/graphql/ids.ts';
import { addMember, errorCode, gql, ok, registerAccount, startTestServer, subscribe, testDatabase, wsClient, type Account, type Auth, type TestServer } from './helpers.ts';

const NODE = 'query($id: ID!) { node(id: $id) { id __typename } }';
const EVENTS = 'subscription { organizationEvents { type organizationId } }';
const INVITE = 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }';
const RENAME = 'mutation($i: RenameOrganizationInput!) { renameOrganization(input: $i) { name } }';
const CREATE_KEY = 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;

/** An organization with one object of every type, and the global ID of each. */
interface Tenant { owner: Account; admin: Account; member: Account; keySecret: string; ids: Record<string, string> }
let A: Tenant;
let B: Tenant;

const as = (account: Account, orgId = account.orgId): Auth => ({ token: account.token, org: orgId });

async function membershipOf(account: Account, orgId: string): Promise<string> {
  const row = await server.deps.db.selectFrom('memberships').select('id')
    .where('organization_id', '=', fromGlobalId(orgId, 'Organization')).where('user_id', '=', fromGlobalId(account.userId, 'User'))
    .executeTakeFirstOrThrow();
  return toGlobalId('Membership', row.id);
}

async function tenant(name: string): Promise<Tenant> {
  const owner = await registerAccount(server, { organizationName: name });
  const admin = await addMember(server, owner, 'ADMIN');
  const member = await addMember(server, owner, 'MEMBER');
  const invitation = ok(await gql(server, INVITE, { i: { email: `pending-${name.toLowerCase()}@example.com`, role: 'VIEWER' } }, as(owner))).inviteMember.id;
  const key = ok(await gql(server, CREATE_KEY, { i: { name: `${name} key`, role: 'OWNER' } }, as(owner))).createApiKey;
  const audit = ok(await gql(server, '{ auditLog(first: 1) { edges { node { id } } } }', {}, as(owner))).auditLog.edges[0].node.id;
  const outbox = ok(await gql(server, '{ organization { outbox(first: 1) { id } } }', {}, as(owner))).organization.outbox[0].id;
  return {
    owner, admin, member, keySecret: key.secret,
    ids: {
      Organization: owner.orgId,
      Membership: await membershipOf(member, owner.orgId),
      Invitation: invitation,
      ApiKey: key.apiKey.id,
      AuditEntry: audit,
      User: member.userId,
      OutboxEmail: outbox,
    },
  };
}

/** B's rows as they are: a refused call must leave them exactly so. */
async function rowsOf(t: Tenant) {
  const orgId = fromGlobalId(t.ids.Organization!, 'Organization');
  const d = server.deps.db;
  return {
    organization: await d.selectFrom('organizations').select(['name', 'updated_at']).where('id', '=', orgId).execute(),
    memberships: await d.selectFrom('memberships').select(['id', 'user_id', 'role']).where('organization_id', '=', orgId).orderBy('id').execute(),
    invitations: await d.selectFrom('invitations').select(['id', 'revoked_at', 'accepted_at']).where('organization_id', '=', orgId).orderBy('id').execute(),
    apiKeys: await d.selectFrom('api_keys').select(['id', 'role', 'revoked_at']).where('organization_id', '=', orgId).orderBy('id').execute(),
    audit: await d.selectFrom('audit_log').select('id').where('organization_id', '=', orgId).orderBy('id').execute(),
  };
}

beforeAll(async () => {
  db = await testDatabase();
  server = await startTestServer(db.url);
  A = await tenant('Alpha');
  B = await tenant('Beta');
});
afterAll(async () => { await server?.stop(); await db?.drop(); });

describe('node(id)', () => {
  it("loads every kind of object of the caller's own organization", async () => {
    for (const [typename, id] of Object.entries(A.ids)) {
      const r = ok(await gql(server, NODE, { id }, as(A.owner)));
      expect(r.node, typename).toEqual({ id, __typename: typename });
    }
  });

  it("is NOT_FOUND for every object of another organization, for a user and for an API key", async () => {
    // The IDs are real: B's owner can load each of them.
    for (const id of Object.values(B.ids)) ok(await gql(server, NODE, { id }, as(B.owner)));

    for (const auth of [as(A.admin), as(A.owner), { token: A.keySecret }]) {
      for (const [typename, id] of Object.entries(B.ids)) {
        const r = await gql(server, NODE, { id }, auth);
        expect({ typename, code: errorCode(r), data: r.data }).toEqual({ typename, code: 'NOT_FOUND', data: null });
      }
    }
  });

  it('is NOT_FOUND for an ID of the wrong type, an unknown type or a malformed ID', async () => {
    const membershipUuid = fromGlobalId(A.ids.Membership!, 'Membership');
    const ids = [
      toGlobalId('ApiKey', membershipUuid), // a real row, under another type's name
      toGlobalId('Organization', membershipUuid),
      toGlobalId('Workflow', membershipUuid), // no such type
      toGlobalId('AuditEntry', 'not-a-number'),
      'not base64 at all!',
      Buffer.from('no-colon').toString('base64'),
      '',
    ];
    for (const id of ids) {
      const r = await gql(server, NODE, { id }, as(A.owner));
      expect({ id, code: errorCode(r) }).toEqual({ id, code: 'NOT_FOUND' });
    }
  });
});

describe("mutations aimed at another organization's objects", () => {
  const CHANGE_ROLE = 'mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { id } }';
  const attempts = (t: Tenant): [string, string, Record<string, unknown>][] => [
    ['changeMemberRole', CHANGE_ROLE, { i: { membershipId: t.ids.Membership, role: 'VIEWER' } }],
    ['removeMember', 'mutation($id: ID!) { removeMember(membershipId: $id) }', { id: t.ids.Membership }],
    ['revokeInvitation', 'mutation($id: ID!) { revokeInvitation(id: $id) { id } }', { id: t.ids.Invitation }],
    ['revokeApiKey', 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: t.ids.ApiKey }],
  ];

  it("are NOT_FOUND and leave the other organization's rows unchanged", async () => {
    const before = await rowsOf(B);
    for (const auth of [as(A.admin), as(A.owner), { token: A.keySecret }]) {
      for (const [name, document, variables] of attempts(B)) {
        const r = await gql(server, document, variables, auth);
        expect({ name, code: errorCode(r) }).toEqual({ name, code: 'NOT_FOUND' });
      }
    }
    expect(await rowsOf(B)).toEqual(before);
  });

  it('with an ID of the wrong type are NOT_FOUND, with a malformed ID BAD_USER_INPUT, and change nothing', async () => {
    const before = await rowsOf(A);
    const wrongType = attempts(A).map(([name, document, variables]): [string, string, Record<string, unknown>] =>
      [name, document, JSON.parse(JSON.stringify(variables).replace(/"(membershipId|id)":"[^"]+"/, `"$1":"${A.ids.Organization}"`))]);
    for (const [name, document, variables] of wrongType) {
      expect({ name, code: errorCode(await gql(server, document, variables, as(A.owner))) }).toEqual({ name, code: 'NOT_FOUND' });
    }
    const malformed = attempts(A).map(([name, document, variables]): [string, string, Record<string, unknown>] =>
      [name, document, JSON.parse(JSON.stringify(variables).replace(/"(membershipId|id)":"[^"]+"/, '"$1":"%%% not an id"'))]);
    for (const [name, document, variables] of malformed) {
      expect({ name, code: errorCode(await gql(server, document, variables, as(A.owner))) }).toEqual({ name, code: 'BAD_USER_INPUT' });
    }
    expect(await rowsOf(A)).toEqual(before);
  });
});

describe('choosing the active organization', () => {
  it("X-Organization-Id of an organization the user is not in is NOT_FOUND, for reads and writes", async () => {
    const before = await rowsOf(B);
    const read = await gql(server, '{ organization { id name } }', {}, as(A.admin, B.ids.Organization));
    expect(errorCode(read)).toBe('NOT_FOUND');
    expect(read.data ?? null).toBeNull();
    const write = await gql(server, RENAME, { i: { name: 'Taken over' } }, as(A.owner, B.ids.Organization));
    expect(errorCode(write)).toBe('NOT_FOUND');
    expect(await rowsOf(B)).toEqual(before);
  });

  it('a malformed X-Organization-Id is BAD_USER_INPUT', async () => {
    expect(errorCode(await gql(server, '{ organization { id } }', {}, as(A.admin, 'nonsense')))).toBe('BAD_USER_INPUT');
  });

  it("an API key reaches its own organization only: B's header is NOT_FOUND", async () => {
    const own = ok(await gql(server, '{ organization { id } }', {}, { token: A.keySecret }));
    expect(own.organization.id).toBe(A.ids.Organization);
    expect(ok(await gql(server, '{ organization { id } }', {}, { token: A.keySecret, org: A.ids.Organization })).organization.id).toBe(A.ids.Organization);

    const before = await rowsOf(B);
    expect(errorCode(await gql(server, '{ organization { id } }', {}, { token: A.keySecret, org: B.ids.Organization }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(server, RENAME, { i: { name: 'Taken over' } }, { token: A.keySecret, org: B.ids.Organization }))).toBe('NOT_FOUND');
    expect(await rowsOf(B)).toEqual(before);
  });
});

describe('subscriptions', () => {
  it("refuses a WebSocket whose connectionParams name another organization (close 4403)", async () => {
    const client = wsClient(server, { authorization: `Bearer ${A.admin.token}`, organizationId: B.ids.Organization });
    const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
    const sub = subscribe(client, EVENTS, 1);
    expect(await closed).toBe(4403);
    expect((await sub.done).events).toEqual([]);
    await client.dispose();
  });

  it("never delivers another organization's events", async () => {
    const clientA = wsClient(server, { authorization: `Bearer ${A.admin.token}`, organizationId: A.ids.Organization });
    const clientB = wsClient(server, { authorization: `Bearer ${B.owner.token}`, organizationId: B.ids.Organization });
    const subA = subscribe(clientA, EVENTS, 1000);
    const subB = subscribe(clientB, EVENTS, 1000);
    try {
      // Until A's subscriber demonstrably listens, rename A (each rename is one A event).
      await vi.waitFor(async () => {
        ok(await gql(server, RENAME, { i: { name: 'Alpha' } }, as(A.owner)));
        expect(subA.events.length).toBeGreaterThan(0);
      }, { timeout: 10_000, interval: 100 });
      // B changes something until B's own subscriber has seen it: B's events were flowing.
      await vi.waitFor(async () => {
        ok(await gql(server, RENAME, { i: { name: 'Beta' } }, as(B.owner)));
        expect(subB.events.length).toBeGreaterThan(0);
      }, { timeout: 10_000, interval: 100 });
      // Then one A change of a kind not sent before; once it arrived, everything before it has too.
      ok(await gql(server, INVITE, { i: { email: 'late@example.com', role: 'MEMBER' } }, as(A.owner)));
      await vi.waitFor(() => expect(subA.events.map((e) => e.data.organizationEvents.type)).toContain('INVITATION_CREATED'), { timeout: 10_000 });

      const orgsSeenByA = new Set(subA.events.map((e) => e.data.organizationEvents.organizationId));
      expect([...orgsSeenByA]).toEqual([A.ids.Organization]);
      expect(subA.events.map((e) => e.data.organizationEvents.type).at(-1)).toBe('INVITATION_CREATED');
      expect(new Set(subB.events.map((e) => e.data.organizationEvents.organizationId))).toEqual(new Set([B.ids.Organization]));
      expect(subB.events.some((e) => e.data.organizationEvents.type === 'INVITATION_CREATED')).toBe(false);
    } finally {
      await clientA.dispose();
      await clientB.dispose();
    }
  });
});
