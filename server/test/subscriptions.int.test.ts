import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { addMember, gql, ok, registerAccount, startTestServer, subscribe, testDatabase, wsClient, type Account, type TestServer } from './helpers.ts';
import { spawnServer, type ServerProcess } from './processes.ts';

const EVENTS = 'subscription { organizationEvents { type organizationId membershipId role } }';
const CHANGE_ROLE = 'mutation($i: ChangeMemberRoleInput!) { changeMemberRole(input: $i) { id role } }';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
let owner: Account;
beforeAll(async () => {
  db = await testDatabase();
  server = await startTestServer(db.url, { LOG_LEVEL: 'error' });
  owner = await registerAccount(server);
});
afterAll(async () => { await server?.stop(); await db?.drop(); });

async function membershipIdOf(account: Account): Promise<string> {
  const data = ok(await gql(server, '{ organization { members { edges { node { id user { id } } } } } }', {}, { token: owner.token, org: owner.orgId }));
  return data.organization.members.edges.find((e: any) => e.node.user.id === account.userId).node.id;
}

/** Resolves with the close event's code when the server closes the socket. */
function closeCode(client: ReturnType<typeof wsClient>): Promise<number> {
  return new Promise((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
}

describe('organizationEvents over graphql-ws', () => {
  it('delivers a role change to a subscribed member, authenticated in connection_init', async () => {
    const member = await addMember(server, owner, 'MEMBER');
    const client = wsClient(server, { authorization: `Bearer ${member.token}`, organizationId: owner.orgId });
    const sub = subscribe(client, EVENTS, 1);
    await sub.ready;
    ok(await gql(server, CHANGE_ROLE, { i: { membershipId: await membershipIdOf(member), role: 'ADMIN' } }, { token: owner.token, org: owner.orgId }));
    const { events, error } = await sub.done;
    expect(error).toBeUndefined();
    expect(events[0].data.organizationEvents).toMatchObject({ type: 'MEMBER_ROLE_CHANGED', organizationId: owner.orgId, role: 'ADMIN' });
    await client.dispose();
  });

  it('closes with 4401 without credentials or with a bad token', async () => {
    for (const params of [{}, { authorization: 'Bearer nonsense' }]) {
      const client = wsClient(server, params);
      const closed = closeCode(client);
      const sub = subscribe(client, EVENTS, 1);
      expect(await closed).toBe(4401);
      expect((await sub.done).events).toHaveLength(0);
    }
  });

  it('closes with 4403 for an organization the caller is not in', async () => {
    const stranger = await registerAccount(server);
    const client = wsClient(server, { authorization: `Bearer ${stranger.token}`, organizationId: owner.orgId });
    const closed = closeCode(client);
    subscribe(client, EVENTS, 1);
    expect(await closed).toBe(4403);
  });

  it('refuses the WebSocket upgrade from a foreign Origin', async () => {
    const client = wsClient(server, { authorization: `Bearer ${owner.token}` }, { origin: 'https://evil.example' });
    const { error } = await subscribe(client, EVENTS, 1).done;
    expect(error).toBeDefined();
  });

  it('re-checks access per operation: after logout a new subscribe is refused with 4401', async () => {
    const member = await addMember(server, owner, 'VIEWER');
    const client = wsClient(server, { authorization: `Bearer ${member.token}` });
    const first = subscribe(client, EVENTS, 1);
    await first.ready;
    ok(await gql(server, 'mutation { logout }', {}, { token: member.token }));
    const closed = closeCode(client);
    subscribe(client, EVENTS, 1);
    expect(await closed).toBe(4401);
  });

  it('stops delivering to a member who was removed', async () => {
    const member = await addMember(server, owner, 'MEMBER');
    const client = wsClient(server, { authorization: `Bearer ${member.token}`, organizationId: owner.orgId });
    const sub = subscribe(client, EVENTS, 2);
    await sub.ready;
    ok(await gql(server, 'mutation($id: ID!) { removeMember(membershipId: $id) }', { id: await membershipIdOf(member) }, { token: owner.token, org: owner.orgId }));
    const { events, error } = await sub.done;
    expect(events).toHaveLength(0);
    expect(JSON.stringify(error)).toContain('FORBIDDEN');
  });
});

describe('pub/sub across processes (Postgres LISTEN/NOTIFY)', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => { [a, b] = await Promise.all([spawnServer(db.url, 'api'), spawnServer(db.url, 'api')]); });
  afterAll(async () => { await Promise.all([a?.stop(), b?.stop()]); });

  it('an event published by one server process reaches a subscriber of another', async () => {
    const member = await addMember(server, owner, 'MEMBER');
    expect(a.url).not.toBe(b.url);
    const client = wsClient(a, { authorization: `Bearer ${member.token}`, organizationId: owner.orgId });
    const sub = subscribe(client, EVENTS, 2);
    await sub.ready;
    // Both changes go through process B; the subscriber is connected to process A.
    const mid = await membershipIdOf(member);
    ok(await gql(b, CHANGE_ROLE, { i: { membershipId: mid, role: 'VIEWER' } }, { token: owner.token, org: owner.orgId }));
    ok(await gql(b, 'mutation($i: RenameOrganizationInput!) { renameOrganization(input: $i) { name } }', { i: { name: 'Renamed across processes' } }, { token: owner.token, org: owner.orgId }));
    const { events, error } = await sub.done;
    expect(error).toBeUndefined();
    expect(events.map((e) => e.data.organizationEvents.type)).toEqual(['MEMBER_ROLE_CHANGED', 'ORGANIZATION_RENAMED']);
    await client.dispose();
  });
});

describe('shutdown', () => {
  it('ends open subscriptions instead of waiting for clients to leave', async () => {
    const own = await startTestServer(db.url);
    const account = await registerAccount(own);
    const client = wsClient(own, { authorization: `Bearer ${account.token}` });
    const closed = closeCode(client);
    const sub = subscribe(client, EVENTS, 1);
    await sub.ready;
    await own.stop();
    expect(await closed).toBe(1001); // going away: clients reconnect
  });
});

/** A raw socket speaking graphql-transport-ws, to misbehave on purpose. */
function rawSocket(): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => { ws.once('open', () => resolve({ ws, closed })); ws.once('error', reject); });
}

describe('graphql-ws protocol limits', () => {
  it('closes with 4429 on a second connection_init', async () => {
    const { ws, closed } = await rawSocket();
    const init = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${owner.token}` } });
    ws.send(init);
    ws.send(init);
    expect(await closed).toBe(4429);
  });

  it('closes with 4408 when connection_init never comes', async () => {
    const { closed } = await rawSocket();
    expect(await closed).toBe(4408);
  }, 15_000);
});
