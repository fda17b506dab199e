import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { inject } from 'vitest';
import { WebSocket } from 'ws';
import { startApp, type RunningApp } from '../src/app.ts';
import { loadConfig, type Role } from '../src/config/env.ts';
import { createTestDatabase } from './support/test-database.ts';
import { createLogger } from '../src/lib/logger.ts';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hkdf-0123456789';

/** The environment a test server runs with; override per test. */
export function testEnv(databaseUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    PORT: '0',
    APP_SECRET: TEST_SECRET,
    DATA_DIR: path.join(os.tmpdir(), `agentflow-test-data-${randomBytes(4).toString('hex')}`),
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

/** A fresh database for this test file, cloned from the run's migrated template. */
export function testDatabase() {
  return createTestDatabase(inject('adminUrl'), inject('templateDatabase'));
}

export interface TestServer extends RunningApp { url: string; graphqlUrl: string; wsUrl: string }

/** The real server (HTTP + WebSocket + workers) on a random port against the given database. */
export async function startTestServer(databaseUrl: string, overrides: Record<string, string> = {}, role: Role = 'all'): Promise<TestServer> {
  const config = loadConfig(testEnv(databaseUrl, overrides), () => undefined);
  const app = await startApp(config, role, createLogger(config.logLevel));
  const url = app.url ?? ''; // a worker serves no HTTP
  return { ...app, url, graphqlUrl: `${url}/graphql`, wsUrl: `${url.replace(/^http/, 'ws')}/graphql` };
}

export interface GqlError { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: string[] }
export interface GqlResult<T = Record<string, any>> { data?: T | null; errors?: GqlError[]; status: number }

export interface Auth { token?: string; org?: string; headers?: Record<string, string> }

/** POSTs one GraphQL operation the way any spec-compliant client would. */
export async function gql<T = Record<string, any>>(server: { graphqlUrl: string }, query: string, variables: Record<string, unknown> = {}, auth: Auth = {}): Promise<GqlResult<T>> {
  const res = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.org ? { 'x-organization-id': auth.org } : {}),
      ...auth.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
  return { ...body, status: res.status };
}

/** The data of a result that must have succeeded; fails the test with the errors otherwise. */
export function ok<T>(result: GqlResult<T>): T {
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The single error code of a result that must have failed. */
export function errorCode(result: GqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

export const AUTH_FIELDS = 'accessToken accessTokenExpiresAt refreshToken user { id email name } organization { id name role }';

export interface Account { token: string; refreshToken: string; userId: string; orgId: string; email: string; password: string }

let counter = 0;
/** Registers a user with their own organization. */
export async function registerAccount(server: { graphqlUrl: string }, input: Partial<{ email: string; password: string; name: string; organizationName: string; invitationToken: string }> = {}): Promise<Account> {
  counter += 1;
  const email = input.email ?? `user${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const password = input.password ?? 'correct horse battery staple';
  const r = ok(await gql<{ register: any }>(server, `mutation($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`, {
    input: { email, password, name: input.name ?? `User ${counter}`, ...(input.invitationToken ? { invitationToken: input.invitationToken } : { organizationName: input.organizationName ?? `Org ${counter}` }) },
  }));
  return { token: r.register.accessToken, refreshToken: r.register.refreshToken, userId: r.register.user.id, orgId: r.register.organization.id, email, password };
}

/** Invites an address into the inviter's active organization and returns the emailed token. */
export async function inviteToken(server: TestServer, inviter: Account, email: string, role: string): Promise<string> {
  ok(await gql(server, `mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }`, { i: { email, role } }, { token: inviter.token, org: inviter.orgId }));
  const row = await server.deps.db.selectFrom('email_outbox').select('body').where('recipient', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  return /\/invite\/([A-Za-z0-9_-]+)/.exec(row.body)![1]!;
}

/** Adds a new user to the inviter's organization with the given role. */
export async function addMember(server: TestServer, owner: Account, role: string): Promise<Account> {
  counter += 1;
  const email = `member${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const token = await inviteToken(server, owner, email, role);
  const account = await registerAccount(server, { email, invitationToken: token });
  return { ...account, orgId: owner.orgId };
}

/** A graphql-ws client over the ws package (Node 20 has no global WebSocket). */
export function wsClient(server: { wsUrl: string }, connectionParams: Record<string, unknown>, extra: { origin?: string } = {}): Client {
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, extra.origin ? { headers: { origin: extra.origin } } : {});
    }
  }
  return createClient({ url: server.wsUrl, webSocketImpl: WithHeaders, connectionParams, retryAttempts: 0, lazy: true });
}

/** Collects events of a subscription until `count` arrived (or it errors / closes). */
export function subscribe(client: Client, query: string, count: number): { events: any[]; done: Promise<{ events: any[]; error?: unknown }>; ready: Promise<void> } {
  const events: any[] = [];
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => { resolveReady = r; });
  const done = new Promise<{ events: any[]; error?: unknown }>((resolve) => {
    client.on('connected', () => setTimeout(resolveReady, 50));
    const dispose = client.subscribe({ query }, {
      next: (value) => { events.push(value); if (events.length >= count) { dispose(); resolve({ events }); } },
      error: (error) => { resolveReady(); resolve({ events, error }); },
      complete: () => resolve({ events }),
    });
  });
  return { events, done, ready };
}
