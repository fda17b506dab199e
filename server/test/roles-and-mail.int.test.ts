import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gql, ok, registerAccount, startTestServer, testDatabase } from './helpers.ts';

const INVITE = 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { id } }';

async function outboxRow(server: { deps: { db: any } }, to: string) {
  return server.deps.db.selectFrom('email_outbox').selectAll().where('recipient', '=', to).executeTakeFirst();
}

describe('process roles', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => { db = await testDatabase(); });
  afterAll(async () => { await db?.drop(); });

  it('an api process queues e-mail that only a worker process delivers', async () => {
    const api = await startTestServer(db.url, {}, 'api');
    try {
      const owner = await registerAccount(api);
      ok(await gql(api, INVITE, { i: { email: 'queued@example.com', role: 'MEMBER' } }, { token: owner.token }));
      // The job is durable in pg-boss; with no worker running, the e-mail stays pending.
      expect((await outboxRow(api, 'queued@example.com')).status).toBe('pending');
      const worker = await startTestServer(db.url, {}, 'worker');
      try {
        expect(worker.url).toBe('');
        await vi.waitFor(async () => expect((await outboxRow(api, 'queued@example.com')).status).toBe('logged'), { timeout: 15_000, interval: 100 });
      } finally {
        await worker.stop();
      }
    } finally {
      await api.stop();
    }
  });
});

describe('SMTP delivery', () => {
  const received: { to: string; body: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let body = '';
      stream.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      stream.on('end', () => { received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body }); callback(); });
    },
  });
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let port: number;
  beforeAll(async () => {
    db = await testDatabase();
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    port = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(async () => { await new Promise<void>((r) => smtp.close(() => r())); await db?.drop(); });

  it('sends invitations by SMTP when SMTP_URL is set and keeps no token in the outbox', async () => {
    const server = await startTestServer(db.url, { SMTP_URL: `smtp://127.0.0.1:${port}`, PUBLIC_URL: 'https://agentflow.example' });
    try {
      const owner = await registerAccount(server);
      ok(await gql(server, INVITE, { i: { email: 'smtp@example.com', role: 'VIEWER' } }, { token: owner.token }));
      await vi.waitFor(() => expect(received.some((m) => m.to === 'smtp@example.com')).toBe(true), { timeout: 15_000, interval: 100 });
      expect(received.find((m) => m.to === 'smtp@example.com')!.body).toMatch(/https:\/\/agentflow\.example\/invite\/[A-Za-z0-9_-]{20,}/);
      await vi.waitFor(async () => expect((await outboxRow(server, 'smtp@example.com')).status).toBe('sent'), { timeout: 5000, interval: 50 });
      expect((await outboxRow(server, 'smtp@example.com')).body).not.toContain('/invite/');
    } finally {
      await server.stop();
    }
  });
});
