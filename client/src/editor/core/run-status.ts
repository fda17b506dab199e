import type { NodeRunStatus } from './flow-node';

export type TaskStatus = 'QUEUED' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
export type RunStatus = 'QUEUED' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface StatusLook {
  label: string;
  /** A Mantine colour name. */
  color: string;
  pulse?: boolean;
  dashed?: boolean;
}

/** How a node looks for its task's status: queued grey, running blue and pulsing, waiting orange, ... */
export const NODE_STATUS_LOOK: Record<NodeRunStatus, StatusLook> = {
  PENDING: { label: 'Not started', color: 'gray' },
  QUEUED: { label: 'Queued', color: 'gray' },
  RUNNING: { label: 'Running', color: 'blue', pulse: true },
  WAITING: { label: 'Waiting', color: 'orange' },
  SUCCEEDED: { label: 'Succeeded', color: 'green' },
  FAILED: { label: 'Failed', color: 'red' },
  SKIPPED: { label: 'Skipped', color: 'gray', dashed: true },
  CANCELLED: { label: 'Cancelled', color: 'dark' },
};

export const RUN_STATUS_LOOK: Record<RunStatus, StatusLook> = {
  QUEUED: { label: 'Queued', color: 'gray' },
  RUNNING: { label: 'Running', color: 'blue', pulse: true },
  WAITING: { label: 'Waiting', color: 'orange' },
  SUCCEEDED: { label: 'Succeeded', color: 'green' },
  FAILED: { label: 'Failed', color: 'red' },
  CANCELLED: { label: 'Cancelled', color: 'dark' },
};

export const RUN_STATUSES = Object.keys(RUN_STATUS_LOOK) as RunStatus[];

export function isFinishedRun(status: RunStatus): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELLED';
}

export function isActiveRun(status: RunStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING' || status === 'WAITING';
}

/**
 * Each node's run state from the run's tasks (in start order): a node without a task has not
 * started (PENDING); when a node has several tasks (a retried run), the last one counts.
 */
export function nodeStatuses(nodeIds: readonly string[], tasks: readonly { nodeId: string; status: TaskStatus }[]): Record<string, NodeRunStatus> {
  const statuses: Record<string, NodeRunStatus> = {};
  for (const id of nodeIds) statuses[id] = 'PENDING';
  for (const task of tasks) statuses[task.nodeId] = task.status;
  return statuses;
}

/** How many nodes are in each state, e.g. for "3 of 5 steps done". */
export function statusCounts(statuses: Readonly<Record<string, NodeRunStatus>>): Record<NodeRunStatus, number> {
  const counts = Object.fromEntries(Object.keys(NODE_STATUS_LOOK).map((s) => [s, 0])) as Record<NodeRunStatus, number>;
  for (const status of Object.values(statuses)) counts[status] += 1;
  return counts;
}

/** A run's wall-clock time so far (running) or in total (finished), in milliseconds; null before it started. */
export function runDurationMs(run: { startedAt: string | null; finishedAt: string | null }, now = Date.now()): number | null {
  if (!run.startedAt) return null;
  const start = Date.parse(run.startedAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : null;
}
