import { gql } from 'urql';
import type { WorkflowProblem } from '../../../editor/core/problems';

export type WorkflowStatus = 'DRAFT' | 'ACTIVE' | 'ARCHIVED';
export type RunStatus = 'QUEUED' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface UserRef {
  id: string;
  name: string;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  status: WorkflowStatus;
  version: number;
  updatedAt: string;
}

export interface WorkflowVersionSummary {
  version: number;
  name: string;
  description: string;
  status: WorkflowStatus;
  createdBy: UserRef | null;
  createdAt: string;
}

export interface Workflow extends WorkflowSummary {
  /** The definition document (see schemas/workflow-definition.schema.json); normalise before use. */
  definition: unknown;
  webhookUrl: string | null;
  createdBy: UserRef | null;
  createdAt: string;
  versions: WorkflowVersionSummary[];
}

export interface WorkflowFieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface WorkflowsPage {
  edges: { cursor: string; node: WorkflowSummary }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface WorkflowRunSummary {
  id: string;
  status: RunStatus;
  trigger: string;
  workflowVersion: number;
  costUsd: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface PickerAgent {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE' | 'ARCHIVED';
}

export interface PickerTool {
  /** What a tool node's `config.tool` holds: `<plugin>.<tool>`, or a built-in's name. */
  id: string;
  name: string;
  description: string;
  inputSchema: unknown;
}

export interface CreateWorkflowInput {
  name: string;
  description?: string;
  definition?: unknown;
}

export interface UpdateWorkflowInput {
  id: string;
  expectedVersion: number;
  name?: string;
  description?: string;
  definition?: unknown;
  status?: 'DRAFT' | 'ACTIVE';
}

export type { WorkflowProblem };

const SUMMARY_FIELDS = 'id name description status version updatedAt';
const WORKFLOW_FIELDS = `${SUMMARY_FIELDS} definition webhookUrl createdBy { id name } createdAt
  versions { version name description status createdBy { id name } createdAt }`;

export const WorkflowsQuery = gql<
  { workflows: WorkflowsPage },
  { first: number; after: string | null; status: WorkflowStatus | null; search: string | null }
>(`
  query Workflows($first: Int!, $after: String, $status: WorkflowStatus, $search: String) {
    workflows(first: $first, after: $after, status: $status, search: $search) {
      edges { cursor node { ${SUMMARY_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const WorkflowQuery = gql<{ workflow: Workflow | null }, { id: string }>(`
  query Workflow($id: ID!) { workflow(id: $id) { ${WORKFLOW_FIELDS} } }
`);

export const WorkflowRunsQuery = gql<
  { workflow: { id: string; runs: { edges: { cursor: string; node: WorkflowRunSummary }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null },
  { id: string; first: number }
>(`
  query WorkflowRuns($id: ID!, $first: Int!) {
    workflow(id: $id) {
      id
      runs(first: $first) {
        edges { cursor node { id status trigger workflowVersion costUsd createdAt startedAt finishedAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const WorkflowVersionDiffQuery = gql<
  { workflowVersionDiff: { from: number; to: number; changes: WorkflowFieldChange[] } },
  { workflowId: string; from: number; to: number }
>(`
  query WorkflowVersionDiff($workflowId: ID!, $from: Int!, $to: Int!) {
    workflowVersionDiff(workflowId: $workflowId, from: $from, to: $to) { from to changes { field before after } }
  }
`);

export const ValidateWorkflowQuery = gql<{ validateWorkflow: { valid: boolean; problems: WorkflowProblem[] } }, { definition: unknown }>(`
  query ValidateWorkflow($definition: JSON!) {
    validateWorkflow(definition: $definition) { valid problems { message nodeId edgeId path } }
  }
`);

/** The agents a workflow's agent nodes may use (not archived; the server's default). */
export const PickerAgentsQuery = gql<{ agents: { edges: { node: PickerAgent }[] } }, Record<string, never>>(`
  query PickerAgents { agents(first: 100) { edges { node { id name status } } } }
`);

export const PickerToolsQuery = gql<{ tools: PickerTool[] }, Record<string, never>>(`
  query PickerTools { tools { id name description inputSchema } }
`);

export const CreateWorkflowMutation = gql<{ createWorkflow: Workflow }, { input: CreateWorkflowInput }>(`
  mutation CreateWorkflow($input: CreateWorkflowInput!) { createWorkflow(input: $input) { ${WORKFLOW_FIELDS} } }
`);

export const UpdateWorkflowMutation = gql<{ updateWorkflow: Workflow }, { input: UpdateWorkflowInput }>(`
  mutation UpdateWorkflow($input: UpdateWorkflowInput!) { updateWorkflow(input: $input) { ${WORKFLOW_FIELDS} } }
`);

export const ArchiveWorkflowMutation = gql<{ archiveWorkflow: Workflow }, { id: string }>(`
  mutation ArchiveWorkflow($id: ID!) { archiveWorkflow(id: $id) { ${WORKFLOW_FIELDS} } }
`);

export const RotateWebhookSecretMutation = gql<{ rotateWebhookSecret: { url: string; secret: string } }, { workflowId: string }>(`
  mutation RotateWebhookSecret($workflowId: ID!) { rotateWebhookSecret(workflowId: $workflowId) { url secret } }
`);

export const StartRunMutation = gql<{ startRun: { id: string; status: RunStatus } }, { input: { workflowId: string; input: unknown } }>(`
  mutation StartRun($input: StartRunInput!) { startRun(input: $input) { id status } }
`);
