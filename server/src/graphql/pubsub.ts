import { createPubSub } from 'graphql-yoga';
import { sql } from 'kysely';
import pg from 'pg';
import type { Executor } from '../db/database.ts';
import type { Logger } from '../lib/logger.ts';

const CHANNEL = 'agentflow_events';

export interface OrganizationEventPayload {
  type: 'MEMBER_JOINED' | 'MEMBER_ROLE_CHANGED' | 'MEMBER_REMOVED' | 'MEMBER_LEFT' | 'ORGANIZATION_RENAMED' | 'INVITATION_CREATED';
  organizationId: string;
  membershipId: string | null;
  userId: string | null;
  role: string | null;
  occurredAt: string;
}

/**
 * An agent test session's event. Text deltas travel whole (live only); stored events travel
 * whole when small, else only their `seq`, and listeners read them from agent_test_events
 * (NOTIFY payloads must stay under 8000 bytes).
 */
export interface AgentTestNotice { sessionId: string; seq: number; event?: Record<string, unknown> }

/** A run's event: whole when small, else only its id (listeners read it from run_events). */
export interface RunEventNotice { id: number; runId: string; event?: Record<string, unknown> }

type Topics = {
  [topic: `org:${string}`]: [OrganizationEventPayload];
  [topic: `agentTest:${string}`]: [AgentTestNotice];
  /** Asks the process running a test session to stop it. */
  [topic: `agentTestStop:${string}`]: [{ sessionId: string }];
  [topic: `run:${string}`]: [RunEventNotice];
  /** Every run event of an organization, for dashboards. */
  [topic: `orgRuns:${string}`]: [RunEventNotice];
  /** Tells workers running a node of this run to abort it. */
  [topic: `runCancel:${string}`]: [{ runId: string }];
};

interface Envelope { topic: string; payload: unknown }

/**
 * An EventTarget for yoga's pub/sub that crosses processes through Postgres: dispatching
 * sends NOTIFY, and subscribers are fed only from LISTEN, so each process (this one included)
 * delivers an event once, not once from memory and again from Postgres. Inside a transaction, `publish(trx, ...)` makes the
 * event fire at COMMIT and never for a rollback.
 */
class PostgresEventTarget extends EventTarget {
  constructor(private readonly notify: (envelope: Envelope) => void) { super(); }
  override dispatchEvent(event: Event): boolean {
    this.notify({ topic: event.type, payload: (event as CustomEvent).detail });
    return true;
  }
  deliver(envelope: Envelope): void {
    super.dispatchEvent(new CustomEvent(envelope.topic, { detail: envelope.payload }));
  }
}

export interface EventBus {
  pubsub: ReturnType<typeof createPubSub<Topics>>;
  /** Publishes in the caller's transaction: delivered at commit, dropped on rollback. */
  publish<T extends keyof Topics & string>(db: Executor, topic: T, payload: Topics[T][0]): Promise<void>;
  /** Several events in one round trip (same transaction rules as publish). */
  publishAll(db: Executor, events: { [T in keyof Topics & string]: { topic: T; payload: Topics[T][0] } }[keyof Topics & string][]): Promise<void>;
  close(): Promise<void>;
}

/** `pool` sends NOTIFY for events published outside a transaction; one extra connection listens. */
export async function createEventBus(connectionString: string, pool: pg.Pool, logger: Logger): Promise<EventBus> {
  let closed = false;
  let listener: pg.Client | undefined;
  const target = new PostgresEventTarget((envelope) => {
    pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(envelope)])
      .catch((err: Error) => logger.error('event publish failed', { error: err.message }));
  });

  // One listening connection. When it drops it is replaced once (an 'error' and an 'end' for the
  // same client schedule one reconnect), retrying with backoff for as long as the bus is open.
  // Events published while it is down are not replayed: subscribers here miss them.
  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString, application_name: 'agentflow-listener' });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      client.end().catch(() => undefined);
      if (closed) return;
      logger.warn('event listener lost its connection; reconnecting', { error: err?.message });
      void reconnect();
    };
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try { target.deliver(JSON.parse(msg.payload) as Envelope); } catch (err) {
        logger.error('bad event payload', { error: (err as Error).message });
      }
    });
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      lost = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    if (closed) await client.end().catch(() => undefined);
    else listener = client;
  }
  async function reconnect(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 5000)));
      if (closed) return;
      try {
        await listen();
        return;
      } catch (err) {
        logger.warn('event listener reconnect failed', { attempt, error: (err as Error).message });
      }
    }
  }
  await listen();

  return {
    pubsub: createPubSub<Topics>({ eventTarget: target as never }),
    async publish(db, topic, payload) {
      const envelope = JSON.stringify({ topic, payload });
      await sql`SELECT pg_notify(${CHANNEL}, ${envelope})`.execute(db);
    },
    async publishAll(db, events) {
      const envelopes = events.map((e) => JSON.stringify(e));
      await sql`SELECT pg_notify(${CHANNEL}, e) FROM unnest(${envelopes}::text[]) WITH ORDINALITY AS t(e, n) ORDER BY n`.execute(db);
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => undefined);
    },
  };
}
