import type { LlmConfig } from '../config/env.ts';
import type { Executor } from '../db/database.ts';
import { badInput } from '../lib/errors.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { AgentSpec, PiiPolicy } from './agent-config.ts';
import { costCapExceeded, formatUsd, releaseReservation, reserveMonthlyBudget } from './budget.ts';
import { cacheKey, readCache, writeCache, type CachedResponse } from './cache.ts';
import { AUTO_MODEL, findModel, type CatalogModel } from './catalog.ts';
import { availableProviders, resolveCredentials, secretsToWithhold } from './credentials.ts';
import { createOutputFilter, redactCredentials, redactCredentialsDeep } from './guardrails/output-filter.ts';
import { redactPii } from './guardrails/pii.ts';
import { callWithFailover, type Attempt } from './model-call.ts';
import { costNanoUsd, estimateTokens, TOOL_USE_OVERHEAD_TOKENS } from './pricing.ts';
import { PROVIDERS } from './providers/index.ts';
import { simulatedProvider } from './providers/simulated.ts';
import { routeModel } from './routing.ts';
import { runTool, toolIdOfModelName, toolSpec } from './tools/registry.ts';
import type { Tool } from './tools/types.ts';
import { ProviderError, type ChatMessage, type LlmProvider, type ProviderId, type ToolCall, type ToolSpec, type Usage } from './types.ts';
import { recordLlmCall, type CallOwner, type LlmCallRecord } from './usage.ts';

export interface RunnerDeps {
  db: Executor;
  llm: LlmConfig;
  secrets: SecretBox;
  /** The organization's tools by id (the built-in core plugin's and installed plugins'); none when absent. */
  tools?: (organizationId: string) => Promise<ReadonlyMap<string, Tool>>;
}

type ToolMessage = Extract<ChatMessage, { role: 'tool' }>;
const NO_TOOLS: ReadonlyMap<string, Tool> = new Map();

/** What a run reports while it works; the caller stores, streams or ignores each one. */
export type RunnerEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'tool_call'; toolCallId: string; name: string; arguments: Record<string, unknown> }
  | { type: 'tool_result'; toolCallId: string; name: string; output?: unknown; error?: string }
  | { type: 'model_call'; call: LlmCallRecord };

export interface RunResult {
  content: string;
  model: string;
  usage: Usage;
  costNano: number;
  latencyMs: number;
  /** Every model call of the run was answered from the cache. */
  cached: boolean;
  steps: number;
  /** `max_steps` when the model still wanted tools at the step limit. */
  stoppedBy: 'answer' | 'max_steps';
}

/**
 * A tool call that needs a person's approval has no decision yet: the run stops here, with the
 * conversation so far (ending in the model's tool calls) to resume from once someone decides.
 */
export class ToolApprovalRequired extends Error {
  constructor(readonly call: ToolCall, readonly messages: ChatMessage[], readonly usage: Usage, readonly costNano: number) {
    super(`The call to ${call.name} needs approval`);
  }
}

export type ToolDecision = 'approved' | 'rejected';

export interface RunOptions {
  owner: CallOwner;
  agent: AgentSpec;
  /** Already passed through `guardInput` (PII policy applied). */
  messages: ChatMessage[];
  signal: AbortSignal;
  emit(event: RunnerEvent): Promise<void> | void;
  /** Decisions on tool calls that need approval, by call id (workflow runs only). */
  toolDecisions?: Readonly<Record<string, ToolDecision>>;
}

const providerFor = (id: ProviderId): LlmProvider => (id === 'simulated' ? simulatedProvider : PROVIDERS[id]);

const PII_LABELS: Record<string, string> = { email: 'an e-mail address', phone: 'a phone number', card: 'a card number', iban: 'an IBAN', ssn: 'a social security number' };

/**
 * Applies the agent's PII policy to text on its way to a provider: `redact` masks it, `block`
 * refuses it (for text a person sent) and `allow` leaves it. Tool output is never refused, only
 * masked, since the run cannot take it back.
 */
export function applyPiiPolicy(policy: PiiPolicy, text: string, source: 'person' | 'tool'): string {
  if (policy === 'allow') return text;
  const { text: redacted, found } = redactPii(text);
  if (policy === 'block' && source === 'person' && found.length) {
    const kinds = [...new Set(found)].map((k) => PII_LABELS[k] ?? k).join(', ');
    throw badInput(`This message contains personal data (${kinds}) and this agent's PII policy blocks it`);
  }
  return redacted;
}

export function guardInput(policy: PiiPolicy, messages: ChatMessage[]): ChatMessage[] {
  return messages.map((m) => ({ ...m, content: applyPiiPolicy(policy, m.content, m.role === 'tool' ? 'tool' : 'person') }));
}


/** The most the next call may cost on any model of the chain: its prompt plus a full-length answer. */
function worstCaseCost(chain: CatalogModel[], system: string, messages: ChatMessage[], tools: ToolSpec[], maxOutputTokens: number): number {
  const inputTokens = estimateTokens(system + JSON.stringify(messages) + JSON.stringify(tools)) + (tools.length ? TOOL_USE_OVERHEAD_TOKENS : 0);
  return Math.max(...chain.map((m) => costNanoUsd(m, { inputTokens, outputTokens: maxOutputTokens, cachedInputTokens: 0 })));
}

/**
 * Runs an agent: model calls in a tool-calling loop until the model answers or the step limit,
 * with routing, failover, the cache, budgets checked before every call, and the output filter on
 * everything the model says. Every call attempt is recorded as it finishes.
 */
export async function runAgent(deps: RunnerDeps, opts: RunOptions): Promise<RunResult> {
  const withheld = await secretsToWithhold(deps, opts.owner.organizationId);
  try {
    return await runLoop(deps, opts, withheld);
  } catch (err) {
    // Provider messages can echo what was sent (a base URL's server, a key): never let a secret out.
    if (err instanceof ProviderError) throw new ProviderError(err.provider, err.kind, redactCredentials(err.message, withheld).text, { status: err.status });
    throw err;
  }
}

async function runLoop(deps: RunnerDeps, opts: RunOptions, withheld: string[]): Promise<RunResult> {
  const { agent, owner, signal } = opts;
  const { config } = agent;
  const started = performance.now();
  const available = agent.tools.length && deps.tools ? await deps.tools(owner.organizationId) : NO_TOOLS;
  const tools = new Map(agent.tools.flatMap((id) => { const tool = available.get(id); return tool ? [[id, tool] as const] : []; }));
  const toolSpecs: ToolSpec[] = [...tools.values()].map(toolSpec);
  // The builder's own prompt goes to the provider too, so the PII policy covers it (masking only).
  const system = applyPiiPolicy(config.piiPolicy, agent.instructions, 'tool');
  const messages = [...opts.messages];
  /** Deltas are fire-and-forget for the loop; a failing consumer must not crash the process. */
  const emitText = (text: string) => {
    try {
      void Promise.resolve(opts.emit({ type: 'text_delta', text })).catch(() => undefined);
    } catch { /* the consumer's problem, not the run's */ }
  };

  let routeReason: string | null = null;
  let primary = agent.model === AUTO_MODEL ? undefined : findModel(agent.model);
  if (agent.model === AUTO_MODEL) {
    const promptChars = system.length + messages.reduce((n, m) => n + m.content.length, 0);
    const decision = routeModel({ promptChars, needsTools: toolSpecs.length > 0 }, await availableProviders(deps, owner.organizationId));
    primary = decision.model;
    routeReason = decision.reason;
  }
  if (!primary) throw badInput(`Unknown model: ${agent.model}`);
  const chain = [primary, ...config.fallbackModels.map((id) => findModel(id)).filter((m) => m !== undefined && m.id !== primary.id)] as CatalogModel[];

  const usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  let costNano = 0;
  let allCached = true;
  let lastModel = primary.id;
  const credentials = new Map<ProviderId, Awaited<ReturnType<typeof resolveCredentials>>>();
  const credentialsFor = async (m: CatalogModel) => {
    if (!credentials.has(m.provider)) credentials.set(m.provider, await resolveCredentials(deps, owner.organizationId, m.provider));
    return credentials.get(m.provider)!;
  };

  /** Runs the last answer's tool calls that have no result yet, stopping at one that awaits approval. */
  const runPendingCalls = async () => {
    const last = messages.findLast((m) => m.role === 'assistant');
    const answered = new Set(messages.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])));
    for (const modelCall of (last?.role === 'assistant' ? last.toolCalls ?? [] : []).filter((c) => !answered.has(c.id))) {
      // Models see `slack__post_message`; people, approvals and events see the id `slack.post_message`.
      const call = { ...modelCall, name: toolIdOfModelName(modelCall.name, tools.keys()) };
      const needsApproval = config.toolsRequiringApproval.includes(call.name);
      const decision = needsApproval ? opts.toolDecisions?.[call.id] : 'approved';
      if (!decision) throw new ToolApprovalRequired(call, [...messages], { ...usage }, costNano);
      const message = decision === 'approved' ? await callTool(call, tools, opts, owner.organizationId, withheld) : await refuseTool(call, opts);
      messages.push({ ...message, name: modelCall.name });
    }
  };
  // Resuming after a decision: the conversation ends with tool calls still to run.
  await runPendingCalls();

  for (let step = 1; step <= config.maxSteps; step++) {
    if (signal.aborted) throw signal.reason;
    const request = { system: system || undefined, messages, tools: toolSpecs, temperature: config.temperature ?? undefined, maxOutputTokens: config.maxOutputTokens };
    const key = cacheKey({ models: chain.map((m) => m.id), ...request, system: request.system });
    const hit = config.cacheEnabled ? await readCache(deps.db, owner.organizationId, key) : undefined;

    let answer: CachedResponse;
    if (hit) {
      answer = { ...hit, text: redactCredentials(hit.text, withheld).text, toolCalls: redactCredentialsDeep(hit.toolCalls, withheld) };
      if (answer.text) emitText(answer.text);
      const call = await recordLlmCall(deps.db, owner, {
        model: hit.model, provider: (findModel(hit.model)?.provider ?? primary.provider), step, attempt: 1, status: 'cached', error: null,
        inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costNano: 0, latencyMs: 0, routeReason,
      });
      await opts.emit({ type: 'model_call', call });
    } else {
      allCached = false;
      // Budgets, before the call: nothing is sent (or recorded) for a call that could break a cap.
      const nextCall = worstCaseCost(chain, system, messages, toolSpecs, config.maxOutputTokens);
      if (config.maxCostPerRunUsd !== null) {
        const capNano = Math.round(config.maxCostPerRunUsd * 1e9);
        if (costNano + nextCall > capNano) {
          throw costCapExceeded(`This run would exceed the agent's cost cap of ${formatUsd(capNano)} per run (spent ${formatUsd(costNano)}, next call up to ${formatUsd(nextCall)})`);
        }
      }
      // Long enough for every model of the chain to time out, then the hold lapses.
      const reservation = await reserveMonthlyBudget(deps.db, owner, agent, nextCall, deps.llm.timeoutMs * chain.length + 60_000);
      let filter = createOutputFilter(withheld);
      const result = await callWithFailover({
        chain, request, providerFor, credentialsFor, signal, timeoutMs: deps.llm.timeoutMs,
        onText: (delta) => {
          const safe = filter.push(delta);
          if (safe) emitText(safe);
          return safe.length > 0;
        },
        discardText: () => { filter = createOutputFilter(withheld); },
        onAttempt: async (attempt: Attempt) => {
          const attemptCost = attempt.answer ? costNanoUsd(attempt.model, attempt.answer.usage) : 0;
          const call = await recordLlmCall(deps.db, owner, {
            model: attempt.model.id, provider: attempt.model.provider, step, attempt: attempt.attempt,
            status: attempt.answer ? 'succeeded' : 'failed', error: attempt.error ? redactCredentials(attempt.error.message, withheld).text : null,
            inputTokens: attempt.answer?.usage.inputTokens ?? 0, outputTokens: attempt.answer?.usage.outputTokens ?? 0,
            cachedInputTokens: attempt.answer?.usage.cachedInputTokens ?? 0, costNano: attemptCost, latencyMs: attempt.latencyMs, routeReason,
          });
          costNano += attemptCost;
          await opts.emit({ type: 'model_call', call });
        },
      }).finally(() => releaseReservation(deps.db, reservation));
      const tail = filter.flush();
      if (tail) emitText(tail);
      // The filter has seen the stream; the whole answer, tool calls included, is filtered again
      // for what is kept, shown and run.
      answer = {
        model: result.model.id, ...result.answer,
        text: redactCredentials(result.answer.text, withheld).text,
        toolCalls: redactCredentialsDeep(result.answer.toolCalls, withheld),
      };
      if (config.cacheEnabled) await writeCache(deps.db, owner.organizationId, key, answer, deps.llm.cacheTtlSeconds);
      usage.inputTokens += answer.usage.inputTokens;
      usage.outputTokens += answer.usage.outputTokens;
      usage.cachedInputTokens += answer.usage.cachedInputTokens;
    }
    lastModel = answer.model;
    const text = answer.text;
    messages.push({ role: 'assistant', content: text, ...(answer.toolCalls.length ? { toolCalls: answer.toolCalls } : {}) });

    if (!answer.toolCalls.length) {
      return { content: text, model: lastModel, usage, costNano, latencyMs: Math.round(performance.now() - started), cached: allCached, steps: step, stoppedBy: 'answer' };
    }
    if (step === config.maxSteps) break;
    await runPendingCalls();
  }
  const lastText = messages.findLast((m) => m.role === 'assistant')?.content ?? '';
  return { content: lastText, model: lastModel, usage, costNano, latencyMs: Math.round(performance.now() - started), cached: allCached, steps: config.maxSteps, stoppedBy: 'max_steps' };
}

async function refuseTool(call: ToolCall, opts: RunOptions): Promise<ToolMessage> {
  const error = 'A person rejected this call';
  await opts.emit({ type: 'tool_call', toolCallId: call.id, name: call.name, arguments: call.arguments });
  await opts.emit({ type: 'tool_result', toolCallId: call.id, name: call.name, error });
  return { role: 'tool', toolCallId: call.id, name: call.name, content: error, isError: true };
}

async function callTool(call: ToolCall, tools: ReadonlyMap<string, Tool>, opts: RunOptions, organizationId: string, withheld: string[]): Promise<ToolMessage> {
  await opts.emit({ type: 'tool_call', toolCallId: call.id, name: call.name, arguments: call.arguments });
  const tool = tools.get(call.name);
  const raw = tool
    ? await runTool(tool, call.arguments, { organizationId, signal: opts.signal })
    : { ok: false as const, error: `Tool ${call.name} is not enabled for this agent` };
  // What a tool returns is shown, stored and sent to the provider: no credential leaves in it.
  const result = redactCredentialsDeep(raw, withheld);
  await opts.emit(result.ok
    ? { type: 'tool_result', toolCallId: call.id, name: call.name, output: result.output }
    : { type: 'tool_result', toolCallId: call.id, name: call.name, error: result.error });
  const content = result.ok ? JSON.stringify(result.output) : result.error;
  return { role: 'tool', toolCallId: call.id, name: call.name, content: applyPiiPolicy(opts.agent.config.piiPolicy, content, 'tool'), ...(result.ok ? {} : { isError: true }) };
}
