import { Badge } from '@mantine/core';
import { RUN_STATUS_LOOK, type RunStatus } from '../editor/core/run-status';

/** A run's status, coloured as in the run monitor (running pulses there; here it is blue). */
export function RunStatusBadge({ status, testId = 'run-status-badge', size = 'sm' }: { status: RunStatus; testId?: string; size?: 'sm' | 'md' | 'lg' }) {
  const look = RUN_STATUS_LOOK[status] ?? { label: status, color: 'gray' };
  return (
    <Badge color={look.color} variant={status === 'RUNNING' ? 'filled' : 'light'} size={size} data-testid={testId} data-status={status}>
      {look.label}
    </Badge>
  );
}
