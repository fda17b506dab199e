import { describe, expect, it } from 'vitest';
import { NODE_STATUS_LOOK, isActiveRun, nodeStatuses, runDurationMs, statusCounts } from './run-status';

describe('run status from tasks', () => {
  it('gives every node a status: its last task, or PENDING before it has one', () => {
    const statuses = nodeStatuses(
      ['trigger', 'agent_1', 'approval_1', 'output'],
      [
        { nodeId: 'trigger', status: 'SUCCEEDED' },
        { nodeId: 'agent_1', status: 'FAILED' },
        { nodeId: 'agent_1', status: 'RUNNING' },
        { nodeId: 'approval_1', status: 'WAITING' },
      ],
    );
    expect(statuses).toEqual({ trigger: 'SUCCEEDED', agent_1: 'RUNNING', approval_1: 'WAITING', output: 'PENDING' });
    expect(statusCounts(statuses)).toMatchObject({ SUCCEEDED: 1, RUNNING: 1, WAITING: 1, PENDING: 1, FAILED: 0 });
  });

  it('colours statuses: queued grey, running blue pulsing, waiting orange, succeeded green, failed red, skipped dashed, cancelled dark', () => {
    expect(NODE_STATUS_LOOK.QUEUED.color).toBe('gray');
    expect(NODE_STATUS_LOOK.RUNNING).toMatchObject({ color: 'blue', pulse: true });
    expect(NODE_STATUS_LOOK.WAITING.color).toBe('orange');
    expect(NODE_STATUS_LOOK.SUCCEEDED.color).toBe('green');
    expect(NODE_STATUS_LOOK.FAILED.color).toBe('red');
    expect(NODE_STATUS_LOOK.SKIPPED).toMatchObject({ dashed: true });
    expect(NODE_STATUS_LOOK.CANCELLED.color).toBe('dark');
  });

  it('knows which runs can still be cancelled and how long they took', () => {
    expect(['QUEUED', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED'].filter((s) => isActiveRun(s as never))).toEqual(['QUEUED', 'RUNNING', 'WAITING']);
    expect(runDurationMs({ startedAt: '2026-11-24T10:00:00Z', finishedAt: '2026-11-24T10:00:02.5Z' })).toBe(2500);
    expect(runDurationMs({ startedAt: '2026-11-24T10:00:00Z', finishedAt: null }, Date.parse('2026-11-24T10:01:00Z'))).toBe(60_000);
    expect(runDurationMs({ startedAt: null, finishedAt: null })).toBeNull();
  });
});
