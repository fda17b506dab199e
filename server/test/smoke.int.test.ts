import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, ok, registerAccount, startTestServer, testDatabase, type TestServer } from './helpers.ts';

let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => { db = await testDatabase(); server = await startTestServer(db.url); });
afterAll(async () => { await server?.stop(); await db?.drop(); });

describe('smoke', () => {
  it('registers and reads the viewer', async () => {
    const a = await registerAccount(server);
    const r = ok(await gql(server, '{ viewer { email organizations { role } } }', {}, { token: a.token }));
    expect(r.viewer.organizations[0].role).toBe('OWNER');
  });
});
