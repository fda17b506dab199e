import { gql } from 'urql';
import type { RunStatus, TaskStatus } from '../../../editor/core/run-status';
import type { Role } from '../../../lib/roles';

export type { RunStatus, TaskStatus };
export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'TIMED_OUT' | 'CANCELLED';

interface UserRef {
  id: string;
  name: string;
}

export interface RunSummary {
  id: string;
  status: RunStatus;
  trigger: string;
  workflowVersion: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errorCode: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  workflow: { id: string; name: string };
}

export interface Approval {
  id: string;
  nodeId: string;
  message: string;
  details: unknown;
  assigneeRole: Role;
  status: ApprovalStatus;
  comment: string | null;
  decidedBy: UserRef | null;
  createdAt: string;
  decidedAt: string | null;
  expiresAt: string | null;
}

export interface Task {
  id: string;
  nodeId: string;
  nodeType: string;
  status: TaskStatus;
  attempts: number;
  input: unknown;
  output: unknown;
  outputPort: string | null;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  approval: Approval | null;
}

export interface Run extends Omit<RunSummary, 'workflow'> {
  workflow: { id: string; name: string; version: number; definition: unknown };
  input: unknown;
  output: unknown;
  error: string | null;
  startedBy: UserRef | null;
  tasks: Task[];
}

export interface RunEvent {
  id: number;
  runId: string;
  type: string;
  nodeId: string | null;
  taskId: string | null;
  message: string | null;
  data: unknown;
  createdAt: string;
}

export interface PendingApproval extends Approval {
  run: { id: string; status: RunStatus; workflow: { id: string; name: string } };
}

export interface RunDay {
  date: string;
  runs: number;
  succeeded: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface RunStats {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  successRate: number | null;
  days: RunDay[];
  recentFailures: { id: string; status: RunStatus; error: string | null; errorCode: string | null; createdAt: string; finishedAt: string | null; workflow: { id: string; name: string } }[];
}

export interface RunsPage {
  edges: { cursor: string; node: RunSummary }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const SUMMARY_FIELDS = 'id status trigger workflowVersion inputTokens outputTokens costUsd errorCode createdAt startedAt finishedAt';
const APPROVAL_FIELDS = 'id nodeId message details assigneeRole status comment decidedBy { id name } createdAt decidedAt expiresAt';
const TASK_FIELDS = `id nodeId nodeType status attempts input output outputPort error inputTokens outputTokens costUsd startedAt finishedAt durationMs
  approval { ${APPROVAL_FIELDS} }`;
const RUN_FIELDS = `${SUMMARY_FIELDS} input output error startedBy { id name } workflow { id name version definition } tasks { ${TASK_FIELDS} }`;
const EVENT_FIELDS = 'id runId type nodeId taskId message data createdAt';

export const RunsQuery = gql<
  { runs: RunsPage },
  { first: number; after: string | null; workflowId: string | null; status: RunStatus | null }
>(`
  query Runs($first: Int!, $after: String, $workflowId: ID, $status: RunStatus) {
    runs(first: $first, after: $after, workflowId: $workflowId, status: $status) {
      edges { cursor node { ${SUMMARY_FIELDS} workflow { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const RunQuery = gql<{ run: Run | null }, { id: string }>(`
  query Run($id: ID!) { run(id: $id) { ${RUN_FIELDS} } }
`);

/** The definitions of a workflow's versions: a run shows the graph of the version it ran. */
export const RunWorkflowVersionsQuery = gql<{ workflow: { id: string; versions: { version: number; definition: unknown }[] } | null }, { id: string }>(`
  query RunWorkflowVersions($id: ID!) { workflow(id: $id) { id versions { version definition } } }
`);

/** Workflows to filter the run list by. */
export const RunWorkflowOptionsQuery = gql<{ workflows: { edges: { node: { id: string; name: string } }[] } }, Record<string, never>>(`
  query RunWorkflowOptions { workflows(first: 100) { edges { node { id name } } } }
`);

export const RunEventsSubscription = gql<{ runEvents: RunEvent }, { runId: string; after: number }>(`
  subscription RunEvents($runId: ID!, $after: Int) { runEvents(runId: $runId, after: $after) { ${EVENT_FIELDS} } }
`);

export const OrganizationRunEventsSubscription = gql<{ organizationRunEvents: RunEvent }, Record<string, never>>(`
  subscription OrganizationRunEvents { organizationRunEvents { ${EVENT_FIELDS} } }
`);

export const CancelRunMutation = gql<{ cancelRun: Run }, { id: string }>(`
  mutation CancelRun($id: ID!) { cancelRun(id: $id) { ${RUN_FIELDS} } }
`);

export const RetryRunMutation = gql<{ retryRun: Run }, { id: string }>(`
  mutation RetryRun($id: ID!) { retryRun(id: $id) { ${RUN_FIELDS} } }
`);

export const ApproveStepMutation = gql<{ approveStep: Approval }, { approvalId: string; comment: string | null }>(`
  mutation ApproveStep($approvalId: ID!, $comment: String) { approveStep(approvalId: $approvalId, comment: $comment) { ${APPROVAL_FIELDS} } }
`);

export const RejectStepMutation = gql<{ rejectStep: Approval }, { approvalId: string; comment: string | null }>(`
  mutation RejectStep($approvalId: ID!, $comment: String) { rejectStep(approvalId: $approvalId, comment: $comment) { ${APPROVAL_FIELDS} } }
`);

export const PendingApprovalsQuery = gql<{ pendingApprovals: PendingApproval[] }, Record<string, never>>(`
  query PendingApprovals {
    pendingApprovals { ${APPROVAL_FIELDS} run { id status workflow { id name } } }
  }
`);

/** Just the count, for the navigation badge. */
export const PendingApprovalCountQuery = gql<{ pendingApprovals: { id: string }[] }, Record<string, never>>(`
  query PendingApprovalCount { pendingApprovals { id } }
`);

export const RunStatsQuery = gql<{ runStats: RunStats }, { days: number }>(`
  query RunStats($days: Int) {
    runStats(days: $days) {
      running waiting succeeded failed cancelled successRate
      days { date runs succeeded failed inputTokens outputTokens costUsd }
      recentFailures { id status error errorCode createdAt finishedAt workflow { id name } }
    }
  }
`);
