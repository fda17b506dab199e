import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/graphql/ids.ts';
import { errorCode, gql, ok, registerAccount, startTestServer, subscribe, testDatabase, wsClient, type Account, type Auth, type TestServer } from './helpers.ts';
import { llmMock } from './support/llm-mocks.ts';

/**
 * Test conversations end to end: GraphQL mutation, the runner, the official provider SDKs against
 * msw replaying each provider's wire format, and the events over graphql-ws.
 */
const llm = llmMock();
let server: TestServer;
let db: Awaited<ReturnType<typeof testDatabase>>;
const ENV_KEYS = { ANTHROPIC_API_KEY: 'sk-ant-env-key-aaaa1111', OPENAI_API_KEY: 'sk-env-openai-key-bbbb2222', GEMINI_API_KEY: 'AIza-env-gemini-key-cccc3333' };
beforeAll(async () => {
  llm.listen();
  db = await testDatabase();
  server = await startTestServer(db.url, { LOGIN_RATE_LIMIT: '100000', LLM_TIMEOUT_SECONDS: '2', ...ENV_KEYS });
});
afterEach(() => llm.reset());
afterAll(async () => { await server?.stop(); await db?.drop(); llm.close(); });

const auth = (a: Account): Auth => ({ token: a.token, org: a.orgId });
const orgUuid = (a: Account) => fromGlobalId(a.orgId, 'Organization');

async function agentFor(owner: Account, input: Record<string, unknown>): Promise<string> {
  const r = ok(await gql(server, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: 'Tester', status: 'INACTIVE', ...input } }, auth(owner)));
  return r.createAgent.id;
}

/** The subscription document for one session (the test helper's subscribe takes no variables). */
const events = (sessionId: string) => `subscription { agentTestEvents(sessionId: "${sessionId}") {
  __typename
  ... on AgentTextDelta { seq text }
  ... on AgentToolCallEvent { seq toolCallId name arguments }
  ... on AgentToolResultEvent { seq toolCallId name output error }
  ... on AgentModelCallEvent { seq call { model provider attempt status error inputTokens outputTokens cachedInputTokens costUsd routeReason createdAt } }
  ... on AgentFinalMessage { seq content model inputTokens outputTokens cachedInputTokens costUsd latencyMs cached steps }
  ... on AgentTestError { seq code message }
} }`;

interface Turn { sessionId: string; events: any[]; final: any; error: any; text: string }

/** Starts a test turn, follows its events to the end (replayed, then live) and returns them. */
async function turn(owner: Account, agentId: string, messages: { role: string; content: string }[], during?: (sessionId: string) => Promise<void>): Promise<Turn> {
  const r = ok(await gql(server, 'mutation($i: TestAgentInput!) { testAgent(input: $i) { id status } }', { i: { agentId, messages } }, auth(owner)));
  expect(r.testAgent.status).toBe('RUNNING');
  const sessionId = r.testAgent.id;
  const client = wsClient(server, { authorization: `Bearer ${owner.token}`, organizationId: owner.orgId });
  const sub = subscribe(client, events(sessionId), 10_000);
  if (during) await during(sessionId);
  const { events: raw, error } = await sub.done;
  await client.dispose();
  expect(error).toBeUndefined();
  const received = raw.map((e) => { expect(e.errors).toBeUndefined(); return e.data.agentTestEvents; });
  const seqs = received.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // in order, none twice
  expect(new Set(seqs).size).toBe(seqs.length);
  return {
    sessionId, events: received,
    final: received.find((e) => e.__typename === 'AgentFinalMessage'),
    error: received.find((e) => e.__typename === 'AgentTestError'),
    text: received.filter((e) => e.__typename === 'AgentTextDelta').map((e) => e.text).join(''),
  };
}

const user = (content: string) => [{ role: 'USER', content }];
const ofType = (t: Turn, typename: string) => t.events.filter((e) => e.__typename === typename);

async function sessionRow(sessionId: string) {
  return server.deps.db.selectFrom('agent_test_sessions').selectAll().where('id', '=', fromGlobalId(sessionId, 'AgentTestSession')).executeTakeFirstOrThrow();
}
async function callRows(sessionId: string) {
  return server.deps.db.selectFrom('llm_calls').selectAll().where('test_session_id', '=', fromGlobalId(sessionId, 'AgentTestSession')).orderBy('id').execute();
}

describe('the simulated model', () => {
  it('holds a tool-calling conversation at no cost and streams every step', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'simulated', tools: ['calculator'], instructions: 'You are a maths helper.' });
    const t = await turn(owner, agentId, user('What is 12 * (3 + 4)?'));
    expect(t.error).toBeUndefined();
    expect(ofType(t, 'AgentToolCallEvent')).toEqual([expect.objectContaining({ name: 'calculator', arguments: { expression: '12 * (3 + 4)' } })]);
    expect(ofType(t, 'AgentToolResultEvent')).toEqual([expect.objectContaining({ name: 'calculator', output: { expression: '12 * (3 + 4)', result: 84 }, error: null })]);
    expect(t.final).toMatchObject({ model: 'simulated', costUsd: 0, cached: false, steps: 2 });
    expect(t.final.content).toContain('84');
    expect(t.final.inputTokens).toBeGreaterThan(0);
    expect(ofType(t, 'AgentModelCallEvent').map((e) => e.call.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const session = await sessionRow(t.sessionId);
    expect(session).toMatchObject({ status: 'succeeded', reply: t.final.content, error: null });
    expect(llm.requests).toEqual([]); // no provider was called
  });

  it('replays a finished session to a late subscriber, ending with the final message', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'simulated', tools: ['current_time'] });
    const first = await turn(owner, agentId, user('What time is it in Europe/Paris?'));
    const client = wsClient(server, { authorization: `Bearer ${owner.token}`, organizationId: owner.orgId });
    const late = await subscribe(client, events(first.sessionId), 100).done;
    await client.dispose();
    expect(late.error).toBeUndefined();
    const replayed = late.events.map((e) => e.data.agentTestEvents);
    // Everything but the live-only text deltas, in the same order.
    expect(replayed).toEqual(first.events.filter((e) => e.__typename !== 'AgentTextDelta'));
    expect(ok(await gql(server, 'query($id: ID!) { agentTestSession(id: $id) { status reply llmCalls { model status } } }', { id: first.sessionId }, auth(owner))).agentTestSession)
      .toMatchObject({ status: 'SUCCEEDED', reply: first.final.content, llmCalls: [{ model: 'simulated', status: 'SUCCEEDED' }, { model: 'simulated', status: 'SUCCEEDED' }] });
  });
});

describe.each([
  ['anthropic', 'claude-sonnet-5-5', 2, 10, 0.2],
  ['openai', 'gpt-6.1-sol', 2, 10, 0.1],
  ['gemini', 'gemini-3.8-flash', 0.75, 3.75, 0.075],
] as const)('%s through its official SDK', (provider, model, inPrice, outPrice, cachedPrice) => {
  it('runs a tool-calling conversation with exact cost arithmetic from the catalog', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model, tools: ['calculator'], instructions: 'Use the calculator.', config: { temperature: 0.3, maxOutputTokens: 500 } });
    llm[provider]
      .reply({ text: 'Let me compute.', toolCalls: [{ name: 'calculator', arguments: { expression: '2^10' } }], usage: { input: 1200, output: 37, cached: 200 } })
      .reply({ text: 'Two to the tenth is 1024.', usage: { input: 1300, output: 11 } });
    const t = await turn(owner, agentId, user('What is 2 to the power of 10?'));
    expect(t.error).toBeUndefined();
    expect(ofType(t, 'AgentToolResultEvent')[0]).toMatchObject({ name: 'calculator', output: { result: 1024 } });
    expect(t.final).toMatchObject({ content: 'Two to the tenth is 1024.', model, inputTokens: 2500, outputTokens: 48, cachedInputTokens: 200, steps: 2, cached: false });
    expect(t.text).toContain('Let me compute.');
    // (1000 uncached + 1300) input, 200 cached, 48 output tokens at the catalog's prices per million.
    const expected = ((1000 + 1300) * inPrice + 200 * cachedPrice + 48 * outPrice) / 1e6;
    expect(t.final.costUsd).toBeCloseTo(expected, 12);
    const rows = await callRows(t.sessionId);
    const stored = rows.reduce((sum, r) => sum + Math.round(Number(r.cost_usd) * 1e9), 0);
    expect(stored).toBe(Math.round(expected * 1e9));

    // What went over the wire: the system prompt, the tool's JSON Schema, then the tool result.
    const sent = llm.requests.filter((r) => r.provider === provider);
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(sent[0]!.body)).toContain('Use the calculator.');
    expect(JSON.stringify(sent[0]!.body)).toContain('"expression"');
    expect(JSON.stringify(sent[1]!.body)).toContain('1024');
    expect(sent[0]!.streamed).toBe(true);
  });
});

describe('failover, cache and routing', () => {
  it('moves from a rate-limited OpenAI to Anthropic, recording each attempt', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'gpt-6.1-sol', config: { fallbackModels: ['claude-haiku-4-5'] } });
    llm.openai.reply({ status: 429, message: 'Rate limit reached for gpt-5' });
    llm.anthropic.reply({ text: 'Answer from Claude.', usage: { input: 20, output: 5 } });
    const t = await turn(owner, agentId, user('Hello'));
    expect(t.final).toMatchObject({ content: 'Answer from Claude.', model: 'claude-haiku-4-5' });
    const calls = ofType(t, 'AgentModelCallEvent').map((e) => e.call);
    expect(calls).toEqual([
      expect.objectContaining({ model: 'gpt-6.1-sol', provider: 'OPENAI', attempt: 1, status: 'FAILED', costUsd: 0, error: expect.stringContaining('429') }),
      expect.objectContaining({ model: 'claude-haiku-4-5', provider: 'ANTHROPIC', attempt: 2, status: 'SUCCEEDED' }),
    ]);
    expect((await callRows(t.sessionId)).map((r) => [r.model, r.status])).toEqual([['gpt-6.1-sol', 'failed'], ['claude-haiku-4-5', 'succeeded']]);
  });

  it('fails over on a 500 and on a timeout, but not on a bad key', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'gemini-3.8-flash', config: { fallbackModels: ['gpt-6.1-terra', 'claude-haiku-4-5'] } });
    llm.gemini.reply({ status: 500, message: 'Internal error' });
    llm.openai.reply({ hang: true }); // times out after LLM_TIMEOUT_SECONDS
    llm.anthropic.reply({ text: 'Third time lucky.' });
    const t = await turn(owner, agentId, user('Hi'));
    expect(t.final?.content).toBe('Third time lucky.');
    expect(ofType(t, 'AgentModelCallEvent').map((e) => e.call.status)).toEqual(['FAILED', 'FAILED', 'SUCCEEDED']);

    llm.gemini.reply({ status: 401, message: 'API key not valid' });
    const bad = await turn(owner, agentId, user('Hi again'));
    expect(bad.error).toMatchObject({ code: 'PROVIDER_ERROR' });
    expect(bad.error.message).not.toContain(ENV_KEYS.GEMINI_API_KEY);
    expect(ofType(bad, 'AgentModelCallEvent')).toHaveLength(1);
    expect((await sessionRow(bad.sessionId)).status).toBe('failed');
  });

  it('answers an identical request from the cache at zero cost, per organization', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'claude-sonnet-5-5' });
    llm.anthropic.reply({ text: 'Paris is the capital of France.', usage: { input: 30, output: 8 } });
    const first = await turn(owner, agentId, user('Capital of France?'));
    expect(first.final).toMatchObject({ cached: false });
    expect(first.final.costUsd).toBeGreaterThan(0);
    const second = await turn(owner, agentId, user('Capital of France?'));
    expect(second.final).toMatchObject({ content: 'Paris is the capital of France.', cached: true, costUsd: 0, inputTokens: 0, outputTokens: 0 });
    expect(ofType(second, 'AgentModelCallEvent').map((e) => e.call.status)).toEqual(['CACHED']);
    expect(llm.requests).toHaveLength(1);

    // Another organization with the same agent and prompt is not served from this cache.
    const other = await registerAccount(server);
    const otherAgent = await agentFor(other, { model: 'claude-sonnet-5-5' });
    llm.anthropic.reply({ text: 'Paris.' });
    expect((await turn(other, otherAgent, user('Capital of France?'))).final).toMatchObject({ content: 'Paris.', cached: false });
  });

  it('skips the cache when the agent turns it off', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'gpt-6.1-terra', config: { cacheEnabled: false } });
    await turn(owner, agentId, user('Same question'));
    await turn(owner, agentId, user('Same question'));
    expect(llm.requests).toHaveLength(2);
    expect(await server.deps.db.selectFrom('llm_cache').selectAll().where('organization_id', '=', orgUuid(owner)).execute()).toEqual([]);
  });

  it('routes "auto" by prompt and tools, recording the choice and the reason', async () => {
    const owner = await registerAccount(server);
    const short = await turn(owner, await agentFor(owner, { model: 'auto' }), user('Hi there'));
    const fastCall = ofType(short, 'AgentModelCallEvent')[0].call;
    expect(fastCall.routeReason).toMatch(/^short prompt \(\d+ chars\) without tools: cheapest fast model /);
    expect(fastCall.model).toBe('gpt-6-luna'); // the cheapest fast model among the server's keys

    llm.anthropic.reply({ text: 'Sure.' });
    const withTools = await turn(owner, await agentFor(owner, { model: 'auto', tools: ['calculator'] }), user('Hi there'));
    const strongCall = ofType(withTools, 'AgentModelCallEvent')[0].call;
    expect(strongCall).toMatchObject({ model: 'claude-sonnet-5-5', routeReason: 'tools enabled: strong model claude-sonnet-5-5' });
  });
});

describe('budgets', () => {
  it('refuses the call that could break the per-run cap: COST_CAP_EXCEEDED, nothing half-recorded', async () => {
    const owner = await registerAccount(server);
    // The first call's worst case (a short prompt plus the tool-use overhead, 100 output tokens of
    // Sonnet: about $0.0025) fits $0.003; it costs $0.0025, after which no second call can fit.
    const agentId = await agentFor(owner, { model: 'claude-sonnet-5-5', tools: ['calculator'], config: { maxOutputTokens: 100, maxCostPerRunUsd: 0.003 } });
    llm.anthropic.reply({ toolCalls: [{ name: 'calculator', arguments: { expression: '1+1' } }], usage: { input: 1000, output: 50 } });
    const t = await turn(owner, agentId, user('1+1?'));
    expect(t.error).toMatchObject({ code: 'COST_CAP_EXCEEDED' });
    expect(t.error.message).toContain('cost cap of $0.003 per run');
    expect(llm.requests).toHaveLength(1);
    expect(await callRows(t.sessionId)).toHaveLength(1); // the refused call left no row
    expect(await sessionRow(t.sessionId)).toMatchObject({ status: 'failed', error_code: 'COST_CAP_EXCEEDED' });
  });

  it("refuses a turn over the agent's monthly cap before anything is stored", async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'gpt-6.1-sol', config: { maxCostPerMonthUsd: 0.0001 } });
    // The first turn's worst case (1024 output tokens of GPT-6.1 Sol, about $0.01) is over the cap already.
    const first = await turn(owner, agentId, user('Hello'));
    expect(first.error).toMatchObject({ code: 'COST_CAP_EXCEEDED' });
    expect(first.error.message).toContain('monthly cost cap of $0.0001');
    expect(llm.requests).toEqual([]);

    // Once spending has reached the cap, the mutation itself refuses, and no session is created.
    await server.deps.db.insertInto('llm_calls').values({
      organization_id: orgUuid(owner), agent_id: fromGlobalId(agentId, 'Agent'), test_session_id: null, model: 'gpt-6.1-sol', provider: 'openai',
      step: 1, attempt: 1, status: 'succeeded', error: null, input_tokens: 10, output_tokens: 10, cached_input_tokens: 0, cost_usd: '0.000100000', latency_ms: 5, route_reason: null,
    }).execute();
    const sessions = async () => (await server.deps.db.selectFrom('agent_test_sessions').select('id').where('organization_id', '=', orgUuid(owner)).execute()).length;
    const before = await sessions();
    const refused = await gql(server, 'mutation($i: TestAgentInput!) { testAgent(input: $i) { id } }', { i: { agentId, messages: user('Again') } }, auth(owner));
    expect(errorCode(refused)).toBe('COST_CAP_EXCEEDED');
    expect(await sessions()).toBe(before);
    expect(ok(await gql(server, 'query($id: ID!) { agent(id: $id) { costThisMonthUsd } }', { id: agentId }, auth(owner))).agent.costThisMonthUsd).toBeCloseTo(0.0001, 9);
  });
});

describe('the monthly cap under concurrency', () => {
  it('holds each call in flight against the cap, so parallel turns cannot spend past it together', async () => {
    const owner = await registerAccount(server);
    // One call's worst case (1,000 output tokens of GPT-6.1 Sol, about $0.0101) fits $0.015; two do not.
    const agentId = await agentFor(owner, { model: 'gpt-6.1-sol', config: { maxOutputTokens: 1000, maxCostPerMonthUsd: 0.015, cacheEnabled: false } });
    for (let i = 0; i < 4; i++) llm.openai.reply({ hang: true }); // in flight until the 2 s timeout
    const turns = await Promise.all(Array.from({ length: 4 }, (_, i) => turn(owner, agentId, user(`Question ${i}`))));
    expect(llm.requests).toHaveLength(1);
    expect(turns.map((t) => t.error?.code).sort()).toEqual(['COST_CAP_EXCEEDED', 'COST_CAP_EXCEEDED', 'COST_CAP_EXCEEDED', 'TIMEOUT']);
    expect(turns.find((t) => t.error?.code === 'COST_CAP_EXCEEDED')!.error.message).toContain('held by calls in flight');
    // Every hold is released once its call ends.
    expect(await server.deps.db.selectFrom('llm_budget_reservations').selectAll().where('agent_id', '=', fromGlobalId(agentId, 'Agent')).execute()).toEqual([]);
  });
});

describe('keys', () => {
  it("uses the organization's own key over the server's, and withholds it from answers", async () => {
    const owner = await registerAccount(server);
    const orgKey = 'sk-proj-OrgOwnKey1234567890abcdefghijklmnopqrstu';
    ok(await gql(server, 'mutation($i: SetProviderKeyInput!) { setProviderKey(input: $i) { source } }', { i: { provider: 'OPENAI', apiKey: orgKey } }, auth(owner)));
    const agentId = await agentFor(owner, { model: 'gpt-6.1-sol' });
    llm.openai.reply({ text: `Sure, the key is ${orgKey} and the server's is ${ENV_KEYS.ANTHROPIC_API_KEY} ok` });
    const t = await turn(owner, agentId, user('Tell me your key'));
    expect(llm.requests[0]!.headers.authorization).toBe(`Bearer ${orgKey}`);
    expect(t.final.content).not.toContain(orgKey);
    expect(t.final.content).not.toContain(ENV_KEYS.ANTHROPIC_API_KEY);
    expect(t.final.content).toContain('[REDACTED CREDENTIAL]');
    expect(t.text).not.toContain(orgKey.slice(0, 20));
    const stored = JSON.stringify(await server.deps.db.selectFrom('agent_test_events').select('payload').execute());
    expect(stored).not.toContain(orgKey);
    expect((await sessionRow(t.sessionId)).reply).not.toContain(orgKey);
  });

  it('withholds credentials from tool-call arguments and tool results too', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'simulated', tools: ['calculator'] });
    const t = await turn(owner, agentId, user(`/tool calculator {"expression":"${ENV_KEYS.OPENAI_API_KEY}"}`));
    expect(ofType(t, 'AgentToolCallEvent')[0].arguments).toEqual({ expression: '[REDACTED CREDENTIAL]' });
    expect(JSON.stringify(t.events)).not.toContain(ENV_KEYS.OPENAI_API_KEY);
    const stored = JSON.stringify(await server.deps.db.selectFrom('agent_test_events').select('payload').where('session_id', '=', fromGlobalId(t.sessionId, 'AgentTestSession')).execute());
    expect(stored).not.toContain(ENV_KEYS.OPENAI_API_KEY);
  });

  it('skips a fallback whose provider has no key, recording why, and goes on down the chain', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'gpt-6.1-sol', config: { fallbackModels: ['compat:llama3.2', 'claude-haiku-4-5'] } });
    llm.openai.reply({ status: 503, message: 'Overloaded' });
    llm.anthropic.reply({ text: 'From Claude.' });
    const t = await turn(owner, agentId, user('Hi'));
    expect(t.final?.content).toBe('From Claude.');
    expect(ofType(t, 'AgentModelCallEvent').map((e) => [e.call.model, e.call.status])).toEqual([
      ['gpt-6.1-sol', 'FAILED'], ['compat:llama3.2', 'FAILED'], ['claude-haiku-4-5', 'SUCCEEDED'],
    ]);
    expect(ofType(t, 'AgentModelCallEvent')[1].call.error).toContain('No API key for OpenAI-compatible server');
  });

  it('names the provider and where to set a missing key, and starts nothing', async () => {
    const bare = await startTestServer(db.url, { LOG_LEVEL: 'silent' });
    try {
      const owner = await registerAccount(bare);
      const r = ok(await gql(bare, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: 'No key', model: 'gemini-2.5-pro' } }, auth(owner)));
      const refused = await gql(bare, 'mutation($i: TestAgentInput!) { testAgent(input: $i) { id } }', { i: { agentId: r.createAgent.id, messages: user('Hi') } }, auth(owner));
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors![0]!.message).toBe("No API key for Google Gemini: add your organization's key in Settings → Model providers, or set GEMINI_API_KEY on the server");
    } finally { await bare.stop(); }
  });
});

describe('PII guardrails', () => {
  const PII = 'Mail jane.doe+vip@example.co.uk or call +44 20 7946 0958; card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789.';

  it('redacts PII before the provider and in stored logs (REDACT, the default)', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'gpt-6.1-sol' });
    llm.openai.reply({ text: 'Noted.' });
    const t = await turn(owner, agentId, user(PII));
    const wire = JSON.stringify(llm.requests[0]!.body);
    for (const leaked of ['jane.doe', '7946', '4111 1111', 'GB82', '123-45-6789']) expect(wire).not.toContain(leaked);
    for (const mask of ['[EMAIL]', '[PHONE]', '[CARD]', '[IBAN]', '[SSN]']) expect(wire).toContain(mask);
    const stored = JSON.stringify((await sessionRow(t.sessionId)).messages);
    expect(stored).not.toContain('jane.doe');
    expect(stored).toContain('[EMAIL]');
  });

  it('refuses a message with PII when the policy is BLOCK, storing nothing', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'gpt-6.1-sol', config: { piiPolicy: 'BLOCK' } });
    const r = await gql(server, 'mutation($i: TestAgentInput!) { testAgent(input: $i) { id } }', { i: { agentId, messages: user('My card is 4111-1111-1111-1111') } }, auth(owner));
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toBe("This message contains personal data (a card number) and this agent's PII policy blocks it");
    expect(llm.requests).toEqual([]);
    expect(await server.deps.db.selectFrom('agent_test_sessions').select('id').where('organization_id', '=', orgUuid(owner)).execute()).toEqual([]);
  });

  it('sends text unchanged when the policy is ALLOW', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'gpt-6.1-sol', config: { piiPolicy: 'ALLOW' } });
    await turn(owner, agentId, user('Reach me at jane@example.com'));
    expect(JSON.stringify(llm.requests[0]!.body)).toContain('jane@example.com');
  });
});

describe('stopping and bad input', () => {
  it('aborts a streaming call mid-stream when the test is stopped', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'claude-sonnet-5-5' });
    llm.anthropic.reply({ hang: true, text: 'Thinking about' });
    const t = await turn(owner, agentId, user('Write a long essay'), async (sessionId) => {
      await new Promise((r) => setTimeout(r, 300));
      ok(await gql(server, 'mutation($id: ID!) { stopAgentTest(id: $id) { id } }', { id: sessionId }, auth(owner)));
    });
    expect(t.error).toMatchObject({ code: 'STOPPED' });
    expect(await sessionRow(t.sessionId)).toMatchObject({ status: 'stopped' });
  });

  it('carries answers of any size and script through the event stream (NOTIFY limits are bytes)', async () => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'simulated', config: { maxOutputTokens: 20_000 } });
    const long = '東京の天気は晴れです。'.repeat(400); // 4,400 characters, about 13 KB of UTF-8
    const t = await turn(owner, agentId, user(`/reply ${long}`));
    expect(t.error).toBeUndefined();
    expect(t.final.content).toBe(long);
  });

  it('records a running test as stopped when its server shuts down', async () => {
    const other = await startTestServer(db.url, { ...ENV_KEYS });
    const owner = await registerAccount(other);
    const created = ok(await gql(other, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id } }', { i: { name: 'Slow', model: 'claude-sonnet-5-5', status: 'INACTIVE' } }, auth(owner)));
    llm.anthropic.reply({ hang: true });
    const r = ok(await gql(other, 'mutation($i: TestAgentInput!) { testAgent(input: $i) { id } }', { i: { agentId: created.createAgent.id, messages: user('Take your time') } }, auth(owner)));
    await expect.poll(() => llm.requests.length).toBe(1);
    await other.stop();
    expect(await sessionRow(r.testAgent.id)).toMatchObject({ status: 'stopped', error_code: 'SHUTDOWN' });
  });

  it.each([
    [[], 'Send at least one message'],
    [[{ role: 'ASSISTANT', content: 'Hi' }], 'The last message must be from the user'],
    [[{ role: 'USER', content: '' }], 'A message cannot be empty'],
    [[{ role: 'USER', content: 'x'.repeat(32_001) }], 'at most 32000 characters'],
  ])('refuses messages %#', async (messages, message) => {
    const owner = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'simulated' });
    const r = await gql(server, 'mutation($i: TestAgentInput!) { testAgent(input: $i) { id } }', { i: { agentId, messages } }, auth(owner));
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.message).toContain(message);
  });

  it("cannot test or follow another organization's agent or session", async () => {
    const owner = await registerAccount(server);
    const stranger = await registerAccount(server);
    const agentId = await agentFor(owner, { model: 'simulated' });
    expect(errorCode(await gql(server, 'mutation($i: TestAgentInput!) { testAgent(input: $i) { id } }', { i: { agentId, messages: user('Hi') } }, auth(stranger)))).toBe('NOT_FOUND');
    const t = await turn(owner, agentId, user('Hi'));
    expect(errorCode(await gql(server, 'mutation($id: ID!) { stopAgentTest(id: $id) { id } }', { id: t.sessionId }, auth(stranger)))).toBe('NOT_FOUND');
    const client = wsClient(server, { authorization: `Bearer ${stranger.token}`, organizationId: stranger.orgId });
    const refused = await subscribe(client, events(t.sessionId), 1).done;
    await client.dispose();
    expect(refused.events[0]?.errors?.[0]?.extensions?.code ?? 'NO ERROR EVENT').toBe('NOT_FOUND');
  });
});
