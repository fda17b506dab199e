import type { Deps } from '../graphql/context.ts';
import { guardInput, runAgent, ToolApprovalRequired, type ToolDecision } from '../llm/agent-runner.ts';
import type { Json } from '@agentflow/plugin-sdk';
import type { ChatMessage } from '../llm/types.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { runTool } from '../llm/tools/registry.ts';
import { organizationTools, runInSandbox, toolDepsOf } from '../modules/plugins/plugin-tools.ts';
import { scriptBundle, scriptCodeKey } from '../modules/plugins/script-bundle.ts';
import { findAgent } from '../modules/agents/agent.service.ts';
import { conditionHolds, type Rule } from './conditions.ts';
import { agentIdOf, incomingEdges, type WorkflowDefinition, type WorkflowNode } from './definition.ts';
import { resolveTemplates } from './templates.ts';

/** What a node produced: the output port taken and the value later nodes see. `waiting`: parked. */
export interface NodeResult {
  port: string;
  output: unknown;
  /** The node's resolved config, kept on the task for the run monitor. */
  input?: unknown;
  inputTokens?: number;
  outputTokens?: number;
  costNano?: number;
  /** For `waiting`: what the approver sees, and what the node resumes from. */
  details?: Record<string, unknown>;
  state?: AgentCheckpoint;
}

/** An agent node parked on a tool call: its conversation and the decisions taken so far. */
export interface AgentCheckpoint { messages: ChatMessage[]; decisions: Record<string, ToolDecision>; pendingCallId: string }

export interface NodeContext {
  run: { id: string; organization_id: string; definition: WorkflowDefinition };
  node: WorkflowNode;
  taskId: string;
  scope: { input: unknown; nodes: Record<string, { output: unknown }> };
  signal: AbortSignal;
  /** The node's checkpoint when it resumes after a decision. */
  state?: AgentCheckpoint | null;
}

const PURE = new Set(['condition', 'join', 'transform', 'output']);
/** Nodes without side effects or waits, which may run inline in the transaction before them. */
export const isPureNode = (node: WorkflowNode): boolean => PURE.has(node.type);

export async function executeNode(deps: Deps, ctx: NodeContext): Promise<NodeResult> {
  const { node, scope } = ctx;
  switch (node.type) {
    case 'condition': {
      const holds = conditionHolds(node.config as { combinator: 'all' | 'any'; rules: Rule[] }, scope);
      return { port: holds ? 'true' : 'false', output: { result: holds } };
    }
    case 'join': {
      // The outputs of the branches that ran, by node id.
      const sources = incomingEdges(ctx.run.definition, node.id).map((e) => e.source);
      return { port: 'out', output: Object.fromEntries(sources.filter((s) => s in scope.nodes).map((s) => [s, scope.nodes[s]!.output])) };
    }
    case 'transform': {
      const output = resolveTemplates(node.config.output, scope);
      return { port: 'out', output };
    }
    case 'output': {
      const output = resolveTemplates(node.config.value, scope);
      return { port: 'out', output };
    }
    case 'approval': {
      const message = String(resolveTemplates(node.config.message, scope) ?? '');
      return { port: 'waiting', output: { message }, input: { message } };
    }
    case 'tool': return runToolNode(deps, ctx);
    case 'code': return runCodeNode(deps, ctx);
    case 'agent': return runAgentNode(deps, ctx);
    default: throw new Error(`A ${node.type} node cannot run here`);
  }
}

async function runToolNode(deps: Deps, ctx: NodeContext): Promise<NodeResult> {
  const tools = await organizationTools(toolDepsOf(deps), ctx.run.organization_id);
  const tool = tools.get(String(ctx.node.config.tool));
  if (!tool) throw new Error(`Unknown tool ${String(ctx.node.config.tool)} (is its plugin still installed?)`);
  const input = resolveTemplates(ctx.node.config.input, ctx.scope);
  const result = await runTool(tool, input, { organizationId: ctx.run.organization_id, signal: ctx.signal });
  if (!result.ok) throw new Error(result.error);
  return { port: 'out', output: result.output, input };
}

/**
 * The builder's JavaScript, in the plugin sandbox: it sees the run input and the outputs of the
 * nodes before it (JSON copies), and reaches only the hosts the node allows. Its time limit is
 * the node's timeout (when set, up to five minutes), else the sandbox's default.
 */
const MAX_CODE_WALL_MS = 5 * 60_000;

async function runCodeNode(deps: Deps, ctx: NodeContext): Promise<NodeResult> {
  const code = String(ctx.node.config.code ?? '');
  const bundle = scriptBundle('run', code);
  const data = JSON.parse(JSON.stringify({ input: ctx.scope.input ?? null, nodes: Object.fromEntries(Object.entries(ctx.scope.nodes).map(([id, n]) => [id, { output: n.output ?? null }])) })) as Json;
  const network = Array.isArray(ctx.node.config.network) ? ctx.node.config.network.map(String) : [];
  const timeoutSeconds = ctx.node.timeoutSeconds;
  const result = await runInSandbox(toolDepsOf(deps), {
    organizationId: ctx.run.organization_id, pluginName: `code-node-${ctx.node.id}`, manifest: { permissions: { network, secrets: [] } },
    codeKey: scriptCodeKey(bundle), bundle, tool: 'run', input: data,
    // A node's timeout may be hours (approvals); a sandbox call holds a slot, so at most five minutes.
    ...(timeoutSeconds ? { limits: { wallMs: Math.min(Math.round(timeoutSeconds * 1000), MAX_CODE_WALL_MS) } } : {}),
  });
  if (!result.ok) throw new Error(`${result.error.replace(/^Tool run\b/, `The code of ${ctx.node.name}`)} (${result.code})`);
  return { port: 'out', output: result.output, input: { logs: result.logs } };
}

/**
 * The workflow's cost cap per run bounds each agent node: what the run has spent so far is
 * taken off, and the agent's own per-run cap applies if it is lower.
 */
async function withinWorkflowCap<A extends { config: { maxCostPerRunUsd: number | null } }>(deps: Deps, ctx: NodeContext, agent: A): Promise<A> {
  const cap = ctx.run.definition.settings?.maxCostPerRunUsd;
  if (!cap) return agent;
  const row = await deps.db.selectFrom('workflow_runs').select('cost_usd').where('id', '=', ctx.run.id).executeTakeFirstOrThrow();
  const remaining = cap - Number(row.cost_usd);
  if (remaining <= 0) throw new AppError(ErrorCode.COST_CAP_EXCEEDED, `This run reached the workflow's cost cap of $${cap}`);
  const own = agent.config.maxCostPerRunUsd;
  return { ...agent, config: { ...agent.config, maxCostPerRunUsd: own === null ? remaining : Math.min(own, remaining) } };
}

async function runAgentNode(deps: Deps, ctx: NodeContext): Promise<NodeResult> {
  const agent = await findAgent(deps.db, ctx.run.organization_id, agentIdOf(ctx.node.config.agentId) ?? '');
  if (!agent || agent.status === 'archived') throw new Error('The agent of this node no longer exists or is archived');
  const prompt = resolveTemplates(ctx.node.config.prompt, ctx.scope);
  const text = typeof prompt === 'string' ? prompt : JSON.stringify(prompt);
  const messages = ctx.state?.messages ?? guardInput(agent.config.piiPolicy, [{ role: 'user', content: text || '(empty)' }]);
  const decisions = ctx.state?.decisions ?? {};
  const capped = await withinWorkflowCap(deps, ctx, agent);
  let result;
  try {
    result = await runAgent({ db: deps.db, llm: deps.config.llm, secrets: deps.secrets, tools: (org) => organizationTools(toolDepsOf(deps), org) }, {
      owner: { organizationId: ctx.run.organization_id, agentId: agent.id, testSessionId: null, runId: ctx.run.id, taskId: ctx.taskId },
      agent: capped, messages, signal: ctx.signal, toolDecisions: decisions,
      emit: () => undefined,
    });
  } catch (err) {
    if (!(err instanceof ToolApprovalRequired)) throw err;
    // Park: a person approves or rejects this exact call, then the node resumes from here.
    return {
      port: 'waiting',
      output: { message: `${agent.name} wants to call ${err.call.name}` },
      details: { tool: err.call.name, arguments: err.call.arguments, toolCallId: err.call.id, agent: agent.name },
      state: { messages: err.messages, decisions, pendingCallId: err.call.id },
      inputTokens: err.usage.inputTokens, outputTokens: err.usage.outputTokens, costNano: err.costNano,
    };
  }
  return {
    port: 'out',
    output: { text: result.content, model: result.model, steps: result.steps, cached: result.cached },
    input: { agent: agent.name, version: agent.version, prompt: messages[0]!.content },
    inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, costNano: result.costNano,
  };
}
