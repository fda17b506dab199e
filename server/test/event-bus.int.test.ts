import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createDb, createPool, type Db } from '../src/db/database.ts';
import { createEventBus, type EventBus, type OrganizationEventPayload } from '../src/graphql/pubsub.ts';
import { createLogger } from '../src/lib/logger.ts';
import { testDatabase } from './helpers.ts';

let database: Awaited<ReturnType<typeof testDatabase>>;
let pool: ReturnType<typeof createPool>;
let db: Db;
let bus: EventBus;
beforeAll(async () => {
  database = await testDatabase();
  pool = createPool(database.url, 4, () => undefined);
  db = createDb(pool);
  bus = await createEventBus(database.url, pool, createLogger('silent'));
});
afterAll(async () => { await bus?.close(); await db?.destroy(); await database?.drop(); });

const event = (n: number): OrganizationEventPayload => ({ type: 'ORGANIZATION_RENAMED', organizationId: 'org-1', membershipId: null, userId: null, role: null, occurredAt: new Date(n).toISOString() });

async function listenerPids(): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'agentflow-listener' AND datname = current_database() AND query LIKE 'LISTEN%'`);
  return rows.map((r) => r.pid);
}

it('delivers once per event, at commit, and never for a rollback', async () => {
  const received: OrganizationEventPayload[] = [];
  const iterator = bus.pubsub.subscribe('org:org-1')[Symbol.asyncIterator]();
  const collect = (async () => { for (let r = await iterator.next(); !r.done; r = await iterator.next()) received.push(r.value); })();
  await db.transaction().execute((trx) => bus.publish(trx, 'org:org-1', event(1)));
  await db.transaction().execute(async (trx) => { await bus.publish(trx, 'org:org-1', event(2)); throw new Error('roll back'); }).catch(() => undefined);
  await db.transaction().execute((trx) => bus.publish(trx, 'org:org-1', event(3)));
  await vi.waitFor(() => expect(received.map((e) => e.occurredAt)).toEqual([event(1).occurredAt, event(3).occurredAt]));
  await iterator.return?.();
  await collect;
});

it('reconnects and re-LISTENs after its connection is killed', async () => {
  const [before] = await listenerPids();
  expect(before).toBeDefined();
  await pool.query('SELECT pg_terminate_backend($1)', [before]);
  await vi.waitFor(async () => {
    const pids = await listenerPids();
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(before);
  }, { timeout: 10_000, interval: 100 });

  const received: OrganizationEventPayload[] = [];
  const iterator = bus.pubsub.subscribe('org:org-1')[Symbol.asyncIterator]();
  const next = iterator.next().then((r) => received.push(r.value));
  await db.transaction().execute((trx) => bus.publish(trx, 'org:org-1', event(4)));
  await next;
  expect(received).toEqual([event(4)]);
  await iterator.return?.();
});
