import { gql } from 'urql';
import type { LlmProvider } from '../../../lib/llm-providers';

export type AgentStatus = 'ACTIVE' | 'INACTIVE' | 'ARCHIVED';
export type PiiPolicy = 'ALLOW' | 'REDACT' | 'BLOCK';
export type ChatRole = 'USER' | 'ASSISTANT';
export type AgentTestStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'STOPPED';
export type LlmCallStatus = 'SUCCEEDED' | 'FAILED' | 'CACHED';

/** The pseudo-model that lets the server route each prompt to a fast or a strong model. */
export const AUTO_MODEL = 'auto';

export interface AgentConfig {
  temperature: number | null;
  maxOutputTokens: number;
  maxSteps: number;
  maxCostPerRunUsd: number | null;
  maxCostPerMonthUsd: number | null;
  fallbackModels: string[];
  cacheEnabled: boolean;
  piiPolicy: PiiPolicy;
  /** In workflow runs, each call of these tools waits for a person's approval. */
  toolsRequiringApproval: string[];
}

export type AgentConfigInput = Partial<AgentConfig>;

export interface AgentSummary {
  id: string;
  name: string;
  role: string;
  model: string;
  status: AgentStatus;
  version: number;
  updatedAt: string;
}

export interface AgentVersionSummary {
  version: number;
  status: AgentStatus;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

export interface Agent extends AgentSummary {
  instructions: string;
  tools: string[];
  config: AgentConfig;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  costThisMonthUsd: number;
  versions: AgentVersionSummary[];
}

export interface Model {
  id: string;
  provider: LlmProvider;
  displayName: string;
  contextWindow: number;
  inputPricePerMTokUsd: number;
  outputPricePerMTokUsd: number;
  cachedInputPricePerMTokUsd: number;
  tier: 'FAST' | 'STRONG';
  available: boolean;
  pricesAsOf: string;
}

export interface ToolDefinition {
  /** What agents list in `tools`: `<plugin>.<tool>` for plugin tools, the bare name for built-ins. */
  id: string;
  /** The same as `id` (the server keeps it for older clients). */
  name: string;
  title: string | null;
  /** The installed plugin the tool comes from; null for built-ins. */
  plugin: string | null;
  description: string;
}

export interface AgentFieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface AgentsPage {
  edges: { cursor: string; node: AgentSummary }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface LlmCall {
  id: string;
  model: string;
  provider: LlmProvider;
  attempt: number;
  status: LlmCallStatus;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  latencyMs: number;
  routeReason: string | null;
  createdAt: string;
}

export interface AgentTestSession {
  id: string;
  status: AgentTestStatus;
  reply: string | null;
  error: string | null;
  errorCode: string | null;
  agentVersion: number;
  startedAt: string;
  finishedAt: string | null;
  llmCalls: LlmCall[];
}

interface EventBase {
  sessionId: string;
  seq: number;
}

export type AgentTestEvent =
  | (EventBase & { __typename: 'AgentTextDelta'; text: string })
  | (EventBase & { __typename: 'AgentToolCallEvent'; toolCallId: string; name: string; arguments: unknown })
  | (EventBase & { __typename: 'AgentToolResultEvent'; toolCallId: string; name: string; output: unknown; error: string | null })
  | (EventBase & { __typename: 'AgentModelCallEvent'; call: LlmCall })
  | (EventBase & {
      __typename: 'AgentFinalMessage';
      content: string;
      model: string;
      inputTokens: number;
      outputTokens: number;
      cachedInputTokens: number;
      costUsd: number;
      latencyMs: number;
      cached: boolean;
      steps: number;
    })
  | (EventBase & { __typename: 'AgentTestError'; code: string; message: string });

export interface CreateAgentInput {
  name: string;
  role?: string;
  instructions?: string;
  model: string;
  tools?: string[];
  config?: AgentConfigInput;
  status?: 'ACTIVE' | 'INACTIVE';
}

export interface UpdateAgentInput extends Partial<CreateAgentInput> {
  id: string;
  expectedVersion: number;
}

const SUMMARY_FIELDS = 'id name role model status version updatedAt';
const CONFIG_FIELDS = 'temperature maxOutputTokens maxSteps maxCostPerRunUsd maxCostPerMonthUsd fallbackModels cacheEnabled piiPolicy toolsRequiringApproval';
const AGENT_FIELDS = `${SUMMARY_FIELDS} instructions tools config { ${CONFIG_FIELDS} } createdBy { id name } createdAt costThisMonthUsd
  versions { version status createdBy { id name } createdAt }`;
const LLM_CALL_FIELDS =
  'id model provider attempt status error inputTokens outputTokens cachedInputTokens costUsd latencyMs routeReason createdAt';
const SESSION_FIELDS = `id status reply error errorCode agentVersion startedAt finishedAt llmCalls { ${LLM_CALL_FIELDS} }`;

export const AgentsQuery = gql<
  { agents: AgentsPage },
  { first: number; after: string | null; status: AgentStatus | null; search: string | null }
>(`
  query Agents($first: Int!, $after: String, $status: AgentStatus, $search: String) {
    agents(first: $first, after: $after, status: $status, search: $search) {
      edges { cursor node { ${SUMMARY_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const AgentQuery = gql<{ agent: Agent | null }, { id: string }>(`
  query Agent($id: ID!) { agent(id: $id) { ${AGENT_FIELDS} } }
`);

export const ModelsQuery = gql<{ models: Model[] }, Record<string, never>>(`
  query Models {
    models {
      id provider displayName contextWindow inputPricePerMTokUsd outputPricePerMTokUsd cachedInputPricePerMTokUsd tier available pricesAsOf
    }
  }
`);

export const ToolsQuery = gql<{ tools: ToolDefinition[] }, Record<string, never>>(`
  query Tools { tools { id name title plugin description } }
`);

export const AgentVersionDiffQuery = gql<
  { agentVersionDiff: { from: number; to: number; changes: AgentFieldChange[] } },
  { agentId: string; from: number; to: number }
>(`
  query AgentVersionDiff($agentId: ID!, $from: Int!, $to: Int!) {
    agentVersionDiff(agentId: $agentId, from: $from, to: $to) { from to changes { field before after } }
  }
`);

export const CreateAgentMutation = gql<{ createAgent: Agent }, { input: CreateAgentInput }>(`
  mutation CreateAgent($input: CreateAgentInput!) { createAgent(input: $input) { ${AGENT_FIELDS} } }
`);

export const UpdateAgentMutation = gql<{ updateAgent: Agent }, { input: UpdateAgentInput }>(`
  mutation UpdateAgent($input: UpdateAgentInput!) { updateAgent(input: $input) { ${AGENT_FIELDS} } }
`);

export const ArchiveAgentMutation = gql<{ archiveAgent: Agent }, { id: string }>(`
  mutation ArchiveAgent($id: ID!) { archiveAgent(id: $id) { ${AGENT_FIELDS} } }
`);

export const TestAgentMutation = gql<
  { testAgent: AgentTestSession },
  { input: { agentId: string; messages: { role: ChatRole; content: string }[] } }
>(`
  mutation TestAgent($input: TestAgentInput!) { testAgent(input: $input) { ${SESSION_FIELDS} } }
`);

export const StopAgentTestMutation = gql<{ stopAgentTest: AgentTestSession }, { id: string }>(`
  mutation StopAgentTest($id: ID!) { stopAgentTest(id: $id) { ${SESSION_FIELDS} } }
`);

export const AgentTestSessionQuery = gql<{ agentTestSession: AgentTestSession | null }, { id: string }>(`
  query AgentTestSession($id: ID!) { agentTestSession(id: $id) { ${SESSION_FIELDS} } }
`);

export const AgentTestEventsSubscription = gql<{ agentTestEvents: AgentTestEvent }, { sessionId: string }>(`
  subscription AgentTestEvents($sessionId: ID!) {
    agentTestEvents(sessionId: $sessionId) {
      __typename
      ... on AgentTextDelta { sessionId seq text }
      ... on AgentToolCallEvent { sessionId seq toolCallId name arguments }
      ... on AgentToolResultEvent { sessionId seq toolCallId name output error }
      ... on AgentModelCallEvent { sessionId seq call { ${LLM_CALL_FIELDS} } }
      ... on AgentFinalMessage { sessionId seq content model inputTokens outputTokens cachedInputTokens costUsd latencyMs cached steps }
      ... on AgentTestError { sessionId seq code message }
    }
  }
`);
