import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { DbAgentTestStatus } from '../../db/schema.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import type { AgentTestNotice } from '../../graphql/pubsub.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/keys.ts';
import { applyPiiPolicy, guardInput, runAgent, type RunnerEvent } from '../../llm/agent-runner.ts';
import { assertWithinMonthlyCap } from '../../llm/budget.ts';
import type { PiiPolicy } from '../../llm/agent-config.ts';
import { AUTO_MODEL, findModel } from '../../llm/catalog.ts';
import { resolveCredentials } from '../../llm/credentials.ts';
import { ProviderError, type ChatMessage } from '../../llm/types.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { parseInput } from '../auth/validation.ts';
import { organizationTools, toolDepsOf } from '../plugins/plugin-tools.ts';
import { requireAgent, type Agent } from './agent.service.ts';

export interface AgentTestSession {
  id: string; organizationId: string; agentId: string; agentVersion: number; status: DbAgentTestStatus;
  reply: string | null; error: string | null; errorCode: string | null; startedAt: Date; finishedAt: Date | null;
}

/** A stored or live event of a session, as the subscription sends it. */
export type SessionEvent = { sessionId: string; seq: number; type: string } & Record<string, unknown>;

const COLUMNS = ['id', 'organization_id', 'agent_id', 'agent_version', 'status', 'reply', 'error', 'error_code', 'started_at', 'finished_at'] as const;
type Row = { id: string; organization_id: string; agent_id: string; agent_version: number; status: DbAgentTestStatus; reply: string | null; error: string | null; error_code: string | null; started_at: Date; finished_at: Date | null };
const toSession = (r: Row): AgentTestSession => ({
  id: r.id, organizationId: r.organization_id, agentId: r.agent_id, agentVersion: r.agent_version, status: r.status,
  reply: r.reply, error: r.error, errorCode: r.error_code, startedAt: r.started_at, finishedAt: r.finished_at,
});

const inputSchema = z.object({
  agentId: z.string(),
  messages: z.array(z.object({
    role: z.enum(['user', 'assistant']),
    content: z.string().min(1, 'A message cannot be empty').max(32_000, 'A message can be at most 32000 characters'),
  })).min(1, 'Send at least one message').max(100, 'At most 100 messages')
    .refine((m) => m.at(-1)?.role === 'user', 'The last message must be from the user'),
});

export async function findTestSession(db: Executor, organizationId: string, id: string): Promise<AgentTestSession | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('agent_test_sessions').select(COLUMNS).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return row && toSession(row);
}

export const TERMINAL_EVENTS = new Set(['final', 'error']);

export async function storedEvents(db: Executor, sessionId: string, afterSeq = 0): Promise<SessionEvent[]> {
  const rows = await db.selectFrom('agent_test_events').select(['seq', 'payload']).where('session_id', '=', sessionId).where('seq', '>', afterSeq).orderBy('seq').execute();
  return rows.map((r) => ({ ...(r.payload as { type: string }), sessionId, seq: r.seq }));
}

/**
 * Starts one test turn of an agent with the whole conversation so far. Checks that can fail
 * (input, PII policy, the monthly cap, a missing key) fail the mutation itself, before anything
 * is stored; the turn then runs in this process and reports through `agentTestEvents`.
 */
export async function startAgentTest(deps: Deps, caller: Caller, agentId: string, input: Record<string, unknown>): Promise<AgentTestSession> {
  const data = parseInput(inputSchema, { ...input, agentId });
  const orgId = caller.organizationId!;
  const agent = await requireAgent(deps.db, orgId, agentId);
  if (agent.status === 'archived') throw conflict('This agent is archived and cannot be tested');
  const messages = guardInput(agent.config.piiPolicy, data.messages as ChatMessage[]);
  const runnerDeps = { db: deps.db, llm: deps.config.llm, secrets: deps.secrets };
  const owner = { organizationId: orgId, agentId: agent.id, testSessionId: null };
  await assertWithinMonthlyCap(deps.db, owner, agent);
  const primary = agent.model === AUTO_MODEL ? undefined : findModel(agent.model);
  if (primary) await resolveCredentials(runnerDeps, orgId, primary.provider);

  const session = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('agent_test_sessions').values({
      organization_id: orgId, agent_id: agent.id, agent_version: agent.version, messages: JSON.stringify(messages), created_by: caller.user?.id ?? null,
    }).returning(COLUMNS).executeTakeFirstOrThrow();
    await writeAudit(trx, caller, { organizationId: orgId, action: 'agent.test', targetType: 'Agent', targetId: agent.id, details: { version: agent.version, messages: messages.length } });
    return toSession(row);
  });
  const controller = new AbortController();
  track(deps, session.id, controller, runSession(deps, session, agent, messages, controller));
  return session;
}

const SHUTDOWN = new Error('The server is shutting down');

/** Test sessions running in this process, per app, so shutdown can stop them cleanly. */
const running = new WeakMap<Deps, Map<string, { controller: AbortController; done: Promise<void> }>>();

function track(deps: Deps, id: string, controller: AbortController, done: Promise<void>): void {
  const mine = running.get(deps) ?? new Map();
  running.set(deps, mine);
  mine.set(id, { controller, done });
  void done.catch((err: Error) => deps.logger.error('agent test crashed', { sessionId: id, error: err.message }))
    .finally(() => mine.delete(id));
}

/**
 * Stops this app's running test sessions (at shutdown): each is aborted and records its end
 * (status stopped, an error event) before the database goes away.
 */
export async function stopRunningAgentTests(deps: Deps): Promise<void> {
  const mine = [...(running.get(deps)?.values() ?? [])];
  for (const s of mine) s.controller.abort(SHUTDOWN);
  await Promise.allSettled(mine.map((s) => s.done));
}

/**
 * Sessions whose process died (crash, kill) stay 'running' with nobody to finish them: the
 * maintenance job ends those older than any run can last, with an error event for subscribers.
 */
export async function failAbandonedAgentTests(db: Executor, olderThanMs: number): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs);
  return db.transaction().execute(async (trx) => {
    const stale = await trx.updateTable('agent_test_sessions')
      .set({ status: 'failed', error: 'The test was interrupted (its server stopped)', error_code: 'INTERRUPTED', finished_at: new Date() })
      .where('status', '=', 'running').where('started_at', '<', cutoff).returning('id').execute();
    for (const { id } of stale) {
      const last = await trx.selectFrom('agent_test_events').select((eb) => eb.fn.max('seq').as('seq')).where('session_id', '=', id).executeTakeFirst();
      await trx.insertInto('agent_test_events').values({
        session_id: id, seq: Number(last?.seq ?? 0) + 1000, type: 'error',
        payload: JSON.stringify({ type: 'error', code: 'INTERRUPTED', message: 'The test was interrupted (its server stopped)' }),
      }).execute();
    }
    return stale.length;
  });
}

/** Asks whichever process runs the session to stop it. Stopping a finished session changes nothing. */
export async function stopAgentTest(deps: Deps, caller: Caller, id: string): Promise<AgentTestSession> {
  const session = await findTestSession(deps.db, caller.organizationId!, id);
  if (!session) throw notFound('Test session');
  if (session.status === 'running') {
    await deps.events.publish(deps.db, `agentTestStop:${id}`, { sessionId: id });
    await writeAudit(deps.db, caller, { organizationId: session.organizationId, action: 'agent.test.stop', targetType: 'Agent', targetId: session.agentId, details: { sessionId: id } });
  }
  return session;
}

/** Every string of a stored payload passes the agent's PII policy (stored logs keep no PII); dates become ISO strings. */
function redactForStorage(value: unknown, policy: PiiPolicy): unknown {
  if (value instanceof Date) return value.toISOString();
  if (policy === 'allow') return value;
  if (typeof value === 'string') return applyPiiPolicy(policy, value, 'tool');
  if (Array.isArray(value)) return value.map((v) => redactForStorage(v, policy));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactForStorage(v, policy)]));
  return value;
}

/** NOTIFY payloads must stay under 8000 bytes (UTF-8): larger events travel as their seq alone. */
const MAX_INLINE_EVENT_BYTES = 7000;
/** Deltas go in chunks that stay under the limit even when every character needs a 6-byte JSON escape. */
const DELTA_CHUNK_CHARS = 1000;
/** Text deltas are coalesced for this long, so a fast model does not send a NOTIFY per token. */
const DELTA_FLUSH_MS = 25;

async function runSession(deps: Deps, session: AgentTestSession, agent: Agent, messages: ChatMessage[], controller: AbortController): Promise<void> {
  const topic = `agentTest:${session.id}` as const;
  const policy = agent.config.piiPolicy;
  const stopRequests = deps.events.pubsub.subscribe(`agentTestStop:${session.id}`);
  void stopRequests.next().then((r) => { if (!r.done) controller.abort(new Error('Stopped')); }, () => undefined);

  let seq = 0;
  let pendingText = '';
  let flushTimer: NodeJS.Timeout | undefined;
  let lastDelta: Promise<unknown> = Promise.resolve();
  const publish = (notice: AgentTestNotice) => deps.events.publish(deps.db, topic, notice)
    .catch((err: Error) => deps.logger.warn('agent test event publish failed', { error: err.message }));
  const flushText = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!pendingText) return;
    // Split so each NOTIFY stays small.
    for (let i = 0; i < pendingText.length; i += DELTA_CHUNK_CHARS) {
      const notice = { sessionId: session.id, seq: ++seq, event: { type: 'text_delta', text: pendingText.slice(i, i + DELTA_CHUNK_CHARS) } };
      lastDelta = lastDelta.then(() => publish(notice));
    }
    pendingText = '';
  };
  const store = async (db: Executor, event: Record<string, unknown> & { type: string }) => {
    flushText();
    await lastDelta; // a stored event must not overtake the text before it
    const payload = redactForStorage(event, policy) as Record<string, unknown>;
    const eventSeq = ++seq;
    await db.insertInto('agent_test_events').values({ session_id: session.id, seq: eventSeq, type: event.type, payload: JSON.stringify(payload) }).execute();
    const inline = Buffer.byteLength(JSON.stringify(payload)) <= MAX_INLINE_EVENT_BYTES;
    await deps.events.publish(db, topic, { sessionId: session.id, seq: eventSeq, ...(inline ? { event: payload } : {}) });
  };
  const emit = async (event: RunnerEvent) => {
    if (event.type === 'text_delta') {
      pendingText += event.text;
      flushTimer ??= setTimeout(flushText, DELTA_FLUSH_MS);
      return;
    }
    await store(deps.db, event.type === 'model_call' ? { type: 'model_call', call: event.call } : event);
  };
  const finish = (status: DbAgentTestStatus, fields: { reply?: string; error?: string; errorCode?: string }, event: Record<string, unknown> & { type: string }) =>
    deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('agent_test_sessions').set({
        status, reply: fields.reply ?? null, error: fields.error ?? null, error_code: fields.errorCode ?? null, finished_at: new Date(),
      }).where('id', '=', session.id).where('status', '=', 'running').execute();
      await store(trx, event);
    });

  try {
    const result = await runAgent({ db: deps.db, llm: deps.config.llm, secrets: deps.secrets, tools: (org) => organizationTools(toolDepsOf(deps), org) }, {
      owner: { organizationId: session.organizationId, agentId: agent.id, testSessionId: session.id },
      agent, messages, signal: controller.signal, emit,
    });
    const content = redactForStorage(result.content, policy) as string;
    await finish('succeeded', { reply: content }, {
      type: 'final', content, model: result.model, inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens,
      cachedInputTokens: result.usage.cachedInputTokens, costNano: result.costNano, latencyMs: result.latencyMs,
      cached: result.cached, steps: result.steps, stoppedBy: result.stoppedBy,
    });
  } catch (err) {
    const { status, code, message } = describeFailure(err, controller.signal);
    if (code === 'INTERNAL') deps.logger.error('agent test failed', { sessionId: session.id, error: (err as Error).message });
    await finish(status, { error: message, errorCode: code }, { type: 'error', code, message })
      .catch((e: Error) => deps.logger.error('could not record agent test failure', { sessionId: session.id, error: e.message }));
  } finally {
    clearTimeout(flushTimer);
    await stopRequests.return?.();
  }
}

function describeFailure(err: unknown, signal: AbortSignal): { status: DbAgentTestStatus; code: string; message: string } {
  if (signal.aborted && signal.reason === SHUTDOWN) return { status: 'stopped', code: 'SHUTDOWN', message: SHUTDOWN.message };
  if (signal.aborted) return { status: 'stopped', code: 'STOPPED', message: 'Stopped' };
  if (err instanceof AppError) return { status: 'failed', code: err.code, message: err.message };
  if (err instanceof ProviderError) {
    return { status: 'failed', code: err.kind === 'timeout' ? 'TIMEOUT' : 'PROVIDER_ERROR', message: err.message };
  }
  return { status: 'failed', code: 'INTERNAL', message: 'The test failed unexpectedly' };
}
