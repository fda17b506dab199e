import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { fromGlobalId, toGlobalId } from '../../graphql/ids.ts';
import { AgentRef, AgentTestSessionRef, UserRef } from '../../graphql/refs.ts';
import { replayThenFollow } from '../../graphql/replay.ts';
import { lowercaseEnum } from '../../graphql/scalars.ts';
import { notFound } from '../../lib/errors.ts';
import { PII_POLICIES, type AgentConfig } from '../../llm/agent-config.ts';
import { nanoToUsd } from '../../llm/pricing.ts';
import { callsOfTestSession, agentSpendThisMonth, type LlmCallRecord } from '../../llm/usage.ts';
import { findUserById } from '../auth/user.repository.ts';
import { LlmProviderEnum } from '../providers/provider.schema.ts';
import {
  archiveAgent, createAgent, diffVersions, findAgent, listAgents, listVersions, updateAgent, type Agent, type AgentVersion, type FieldChange,
} from './agent.service.ts';
import { findTestSession, startAgentTest, stopAgentTest, storedEvents, TERMINAL_EVENTS, type SessionEvent } from './agent-test.service.ts';

const AgentStatusEnum = lowercaseEnum('AgentStatus', ['active', 'inactive', 'archived'] as const);
const PiiPolicyEnum = lowercaseEnum('PiiPolicy', PII_POLICIES, 'ALLOW sends text as is; REDACT masks personal data before the provider and in logs; BLOCK refuses messages that contain it');
const ChatRoleEnum = lowercaseEnum('ChatRole', ['user', 'assistant'] as const);
const AgentTestStatusEnum = lowercaseEnum('AgentTestStatus', ['running', 'succeeded', 'failed', 'stopped'] as const);
const LlmCallStatusEnum = lowercaseEnum('LlmCallStatus', ['succeeded', 'failed', 'cached'] as const);

const AgentConfigRef = builder.objectRef<AgentConfig>('AgentConfig').implement({
  fields: (t) => ({
    temperature: t.exposeFloat('temperature', { nullable: true, description: 'null: the provider default' }),
    maxOutputTokens: t.exposeInt('maxOutputTokens', { description: 'Max tokens per call' }),
    maxSteps: t.exposeInt('maxSteps', { description: 'Model calls per run in the tool-calling loop' }),
    maxCostPerRunUsd: t.exposeFloat('maxCostPerRunUsd', { nullable: true }),
    maxCostPerMonthUsd: t.exposeFloat('maxCostPerMonthUsd', { nullable: true, description: 'For this agent in the calendar month (UTC)' }),
    fallbackModels: t.exposeStringList('fallbackModels', { description: 'Tried in order on 429, 5xx, timeouts and connection errors' }),
    cacheEnabled: t.exposeBoolean('cacheEnabled'),
    piiPolicy: t.expose('piiPolicy', { type: PiiPolicyEnum }),
    toolsRequiringApproval: t.exposeStringList('toolsRequiringApproval', { description: 'In workflow runs, each call of these tools waits for a person to approve it' }),
  }),
});

const AgentConfigInput = builder.inputType('AgentConfigInput', {
  fields: (t) => ({
    temperature: t.float(),
    maxOutputTokens: t.int(),
    maxSteps: t.int(),
    maxCostPerRunUsd: t.float(),
    maxCostPerMonthUsd: t.float(),
    fallbackModels: t.stringList(),
    cacheEnabled: t.boolean(),
    piiPolicy: t.field({ type: PiiPolicyEnum }),
    toolsRequiringApproval: t.stringList(),
  }),
});

const AgentVersionRef = builder.objectRef<AgentVersion>('AgentVersion').implement({
  fields: (t) => ({
    version: t.exposeInt('version'),
    name: t.exposeString('name'),
    role: t.exposeString('role'),
    instructions: t.exposeString('instructions'),
    model: t.exposeString('model'),
    tools: t.exposeStringList('tools'),
    config: t.expose('config', { type: AgentConfigRef }),
    status: t.expose('status', { type: AgentStatusEnum }),
    createdBy: t.field({ type: UserRef, nullable: true, resolve: (v, _a, ctx) => (v.createdBy ? findUserById(ctx.deps.db, v.createdBy) : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.node(AgentRef, {
  id: { resolve: (a) => a.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.exposeString('role', { description: "A short description of the agent's job" }),
    instructions: t.exposeString('instructions', { description: 'The system prompt' }),
    model: t.exposeString('model', { description: 'A Model.id, or "auto" to let routing choose' }),
    tools: t.exposeStringList('tools', { description: 'Names of the enabled tools' }),
    config: t.expose('config', { type: AgentConfigRef }),
    status: t.expose('status', { type: AgentStatusEnum }),
    version: t.exposeInt('version'),
    createdBy: t.field({ type: UserRef, nullable: true, resolve: (a, _a, ctx) => (a.createdBy ? findUserById(ctx.deps.db, a.createdBy) : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    versions: t.field({ type: [AgentVersionRef], description: 'Newest first', resolve: (a, _a, ctx) => listVersions(ctx.deps.db, a.organizationId, a.id) }),
    costThisMonthUsd: t.float({ resolve: async (a, _a, ctx) => nanoToUsd(await agentSpendThisMonth(ctx.deps.db, a.organizationId, a.id)) }),
  }),
});

const FieldChangeRef = builder.objectRef<FieldChange>('AgentFieldChange').implement({
  fields: (t) => ({
    field: t.exposeString('field', { description: 'e.g. "instructions", "tools", "config.temperature"' }),
    before: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.before }),
    after: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.after }),
  }),
});

const AgentVersionDiffRef = builder.objectRef<{ from: number; to: number; changes: FieldChange[] }>('AgentVersionDiff').implement({
  fields: (t) => ({
    from: t.exposeInt('from'),
    to: t.exposeInt('to'),
    changes: t.expose('changes', { type: [FieldChangeRef] }),
  }),
});

const LlmCallRef = builder.objectRef<LlmCallRecord>('LlmCall').implement({
  description: 'One model call attempt: failed attempts of a failover and cache hits included',
  fields: (t) => ({
    id: t.id({ resolve: (c) => toGlobalId('LlmCall', c.id) }),
    model: t.exposeString('model'),
    provider: t.field({ type: LlmProviderEnum, resolve: (c) => c.provider }),
    attempt: t.exposeInt('attempt', { description: '1 for the first model tried in a step, 2 for the first fallback, ...' }),
    status: t.expose('status', { type: LlmCallStatusEnum }),
    error: t.exposeString('error', { nullable: true }),
    inputTokens: t.exposeInt('inputTokens'),
    outputTokens: t.exposeInt('outputTokens'),
    cachedInputTokens: t.exposeInt('cachedInputTokens'),
    costUsd: t.float({ resolve: (c) => nanoToUsd(c.costNano) }),
    latencyMs: t.exposeInt('latencyMs'),
    routeReason: t.exposeString('routeReason', { nullable: true, description: 'Why routing chose this model, when the agent uses "auto"' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.node(AgentTestSessionRef, {
  id: { resolve: (s) => s.id },
  fields: (t) => ({
    status: t.expose('status', { type: AgentTestStatusEnum }),
    reply: t.exposeString('reply', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    agentVersion: t.exposeInt('agentVersion'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    llmCalls: t.field({ type: [LlmCallRef], resolve: (s, _a, ctx) => callsOfTestSession(ctx.deps.db, s.organizationId, s.id) }),
  }),
});

// Test events: one GraphQL type per event kind, told apart by the stored `type`.
type Ev = SessionEvent;
const eventType = <F extends object>(name: string, fields: (t: any) => F) => builder.objectRef<Ev>(name).implement({
  fields: (t) => ({
    sessionId: t.id({ resolve: (e) => toGlobalId('AgentTestSession', e.sessionId) }),
    seq: t.int({ resolve: (e) => e.seq }),
    ...fields(t),
  }),
});
const str = (key: string) => (e: Ev) => e[key] as string;
const num = (key: string) => (e: Ev) => e[key] as number;

const TextDelta = eventType('AgentTextDelta', (t) => ({ text: t.string({ resolve: str('text') }) }));
const ToolCallEvent = eventType('AgentToolCallEvent', (t) => ({
  toolCallId: t.string({ resolve: str('toolCallId') }),
  name: t.string({ resolve: str('name') }),
  arguments: t.field({ type: 'JSON', resolve: (e: Ev) => e.arguments }),
}));
const ToolResultEvent = eventType('AgentToolResultEvent', (t) => ({
  toolCallId: t.string({ resolve: str('toolCallId') }),
  name: t.string({ resolve: str('name') }),
  output: t.field({ type: 'JSON', nullable: true, resolve: (e: Ev) => e.output ?? null }),
  error: t.string({ nullable: true, resolve: (e: Ev) => (e.error as string | undefined) ?? null }),
}));
const ModelCallEvent = eventType('AgentModelCallEvent', (t) => ({
  call: t.field({ type: LlmCallRef, resolve: (e: Ev) => e.call as LlmCallRecord }),
}));
const FinalMessage = eventType('AgentFinalMessage', (t) => ({
  content: t.string({ resolve: str('content') }),
  model: t.string({ description: 'The model that gave the answer', resolve: str('model') }),
  inputTokens: t.int({ resolve: num('inputTokens') }),
  outputTokens: t.int({ resolve: num('outputTokens') }),
  cachedInputTokens: t.int({ resolve: num('cachedInputTokens') }),
  costUsd: t.float({ resolve: (e: Ev) => nanoToUsd(e.costNano as number) }),
  latencyMs: t.int({ resolve: num('latencyMs') }),
  cached: t.boolean({ description: 'Every model call of the turn was answered from the cache', resolve: (e: Ev) => e.cached as boolean }),
  steps: t.int({ resolve: num('steps') }),
}));
const TestError = eventType('AgentTestError', (t) => ({
  code: t.string({ description: 'COST_CAP_EXCEEDED, BAD_USER_INPUT, PROVIDER_ERROR, TIMEOUT, STOPPED or INTERNAL', resolve: str('code') }),
  message: t.string({ resolve: str('message') }),
}));

const EVENT_TYPES = { text_delta: TextDelta, tool_call: ToolCallEvent, tool_result: ToolResultEvent, model_call: ModelCallEvent, final: FinalMessage, error: TestError };
const AgentTestEvent = builder.unionType('AgentTestEvent', {
  types: Object.values(EVENT_TYPES),
  resolveType: (e) => EVENT_TYPES[e.type as keyof typeof EVENT_TYPES],
});

const ChatMessageInput = builder.inputType('ChatMessageInput', {
  fields: (t) => ({ role: t.field({ type: ChatRoleEnum, required: true }), content: t.string({ required: true }) }),
});
const agentFields = (t: any) => ({
  name: t.string(),
  role: t.string({ description: "A short description of the agent's job" }),
  instructions: t.string({ description: 'The system prompt' }),
  model: t.string({ description: 'A Model.id, or "auto"' }),
  tools: t.stringList(),
  config: t.field({ type: AgentConfigInput }),
  status: t.field({ type: AgentStatusEnum, description: 'ACTIVE or INACTIVE' }),
});
const CreateAgentInput = builder.inputType('CreateAgentInput', { fields: (t) => ({ ...agentFields(t), name: t.string({ required: true }), model: t.string({ required: true }) }) });
const UpdateAgentInput = builder.inputType('UpdateAgentInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ required: true, description: 'The version you edited; if the agent has moved on, the update is CONFLICT' }),
    ...agentFields(t),
  }),
});
const TestAgentInput = builder.inputType('TestAgentInput', {
  fields: (t) => ({
    agentId: t.id({ required: true }),
    messages: t.field({ type: [ChatMessageInput], required: true, description: 'The whole conversation so far; the last one from USER' }),
  }),
});

const agentId = (id: string) => fromGlobalId(id, 'Agent');
const sessionId = (id: string) => fromGlobalId(id, 'AgentTestSession');

builder.queryFields((t) => ({
  agents: t.connection({
    ...access('agents:read'),
    type: AgentRef,
    args: { status: t.arg({ type: AgentStatusEnum }), search: t.arg.string({ description: 'Part of the name' }) },
    description: 'Agents of the active organization, last updated first; archived ones only when asked for by status',
    resolve: (_r, args, ctx) => resolveCursorConnection(
      { args, toCursor: (a: Agent) => a.id, defaultSize: 50, maxSize: 200 },
      (page: ResolveCursorConnectionArgs) => listAgents(ctx.deps.db, ctx.caller.organizationId!, page, { status: args.status, search: args.search }),
    ),
  }),
  agent: t.field({
    ...access('agents:read'), type: AgentRef, nullable: true, args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => findAgent(ctx.deps.db, ctx.caller.organizationId!, agentId(id)).then((a) => a ?? null),
  }),
  agentVersionDiff: t.field({
    ...access('agents:read'), type: AgentVersionDiffRef,
    args: { agentId: t.arg.id({ required: true }), from: t.arg.int({ required: true }), to: t.arg.int({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const agent = await findAgent(ctx.deps.db, ctx.caller.organizationId!, agentId(args.agentId));
      if (!agent) throw notFound('Agent');
      return { from: args.from, to: args.to, changes: await diffVersions(ctx.deps.db, agent.organizationId, agent.id, args.from, args.to) };
    },
  }),
  agentTestSession: t.field({
    ...access('agents:read'), type: AgentTestSessionRef, nullable: true, args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => findTestSession(ctx.deps.db, ctx.caller.organizationId!, sessionId(id)).then((s) => s ?? null),
  }),
}));

builder.mutationFields((t) => ({
  createAgent: t.field({
    ...access('agents:manage'), type: AgentRef, args: { input: t.arg({ type: CreateAgentInput, required: true }) },
    resolve: (_r, { input }, ctx) => createAgent(ctx.deps, ctx.caller, input as Record<string, unknown>),
  }),
  updateAgent: t.field({
    ...access('agents:manage'), type: AgentRef, args: { input: t.arg({ type: UpdateAgentInput, required: true }) },
    description: 'Saves a new immutable version',
    resolve: (_r, { input }, ctx) => updateAgent(ctx.deps, ctx.caller, agentId(String(input.id)), { ...input, id: undefined } as Record<string, unknown>),
  }),
  archiveAgent: t.field({
    ...access('agents:manage'), type: AgentRef, args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => archiveAgent(ctx.deps, ctx.caller, agentId(id)),
  }),
  testAgent: t.field({
    ...access('agents:test'), type: AgentTestSessionRef, args: { input: t.arg({ type: TestAgentInput, required: true }) },
    description: 'Starts one test turn and returns at once; follow it with agentTestEvents',
    resolve: (_r, { input }, ctx) => startAgentTest(ctx.deps, ctx.caller, agentId(String(input.agentId)), { messages: input.messages }),
  }),
  stopAgentTest: t.field({
    ...access('agents:test'), type: AgentTestSessionRef, args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => stopAgentTest(ctx.deps, ctx.caller, sessionId(id)),
  }),
}));

builder.subscriptionField('agentTestEvents', (t) => t.field({
  ...access('agents:read'),
  type: AgentTestEvent,
  args: { sessionId: t.arg.id({ required: true }) },
  description: 'A test turn as it happens: stored events are replayed first, text deltas are live only; ends after the final message or error',
  // Checked before the stream starts, so an unknown or foreign session is a plain NOT_FOUND error.
  subscribe: async (_r, args, ctx) => {
    const session = await findTestSession(ctx.deps.db, ctx.caller.organizationId!, sessionId(args.sessionId));
    if (!session) throw notFound('Test session');
    return replayThenFollow({
      live: ctx.deps.events.pubsub.subscribe(`agentTest:${session.id}`),
      replay: () => storedEvents(ctx.deps.db, session.id),
      // Small events travel in the notice; large ones are read from the table by their seq.
      materialize: async (n) => (n.event ? { ...n.event, sessionId: session.id, seq: n.seq } as Ev : (await storedEvents(ctx.deps.db, session.id, n.seq - 1))[0]!),
      isLast: (e) => TERMINAL_EVENTS.has(e.type),
      noticeSeq: (n) => n.seq,
      eventSeq: (e) => e.seq,
    });
  },
  resolve: (e) => e,
}));
